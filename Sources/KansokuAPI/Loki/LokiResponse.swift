import KansokuModel

import KansokuQuery

/// Loki's JSON bodies: `{"status":"success","data":{"resultType":…,"result":…,"stats":{}}}`
/// for queries, `{"status":"success","data":[…]}` for labels and series.
enum LokiResponse {
    static func query(_ value: LogQLValue, at time: Int64) -> [UInt8] {
        var json = JSONWriter(reservingCapacity: 1024)
        json.beginObject()
        json.key("status"); json.string("success")
        json.key("data"); json.beginObject()
        json.key("resultType"); json.string(value.resultType)
        json.key("result")
        switch value {
        case .streams(let streams):
            json.beginArray()
            for stream in streams {
                json.beginObject()
                json.key("stream"); labels(stream.labels, into: &json)
                json.key("values"); json.beginArray()
                for entry in stream.entries {
                    json.beginArray()
                    json.string(String(entry.timestamp))  // nanoseconds, as a string
                    json.string(entry.line)
                    json.endArray()
                }
                json.endArray()
                json.endObject()
            }
            json.endArray()
        case .vector(let samples):
            json.beginArray()
            for sample in samples {
                json.beginObject()
                json.key("metric"); labels(sample.labels, into: &json)
                json.key("value"); point(sample.timestamp, sample.value, into: &json)
                json.endObject()
            }
            json.endArray()
        case .matrix(let series):
            json.beginArray()
            for s in series {
                json.beginObject()
                json.key("metric"); labels(s.labels, into: &json)
                json.key("values"); json.beginArray()
                for p in s.points { point(p.timestamp, p.value, into: &json) }
                json.endArray()
                json.endObject()
            }
            json.endArray()
        case .scalar(let v):
            point(time, v, into: &json)
        }
        json.key("stats"); json.beginObject(); json.endObject()
        json.endObject()
        json.endObject()
        return json.bytes
    }

    static func strings(_ values: [String]) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("status"); json.string("success")
        json.key("data"); json.beginArray()
        for value in values { json.string(value) }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    static func series(_ sets: [[(String, String)]]) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("status"); json.string("success")
        json.key("data"); json.beginArray()
        for set in sets {
            json.beginObject()
            for (name, value) in set { json.key(name); json.string(value) }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    /// `[<seconds>, "<value>"]` from nanoseconds.
    private static func point(_ nanos: Int64, _ value: Double, into json: inout JSONWriter) {
        json.beginArray()
        PrometheusTimestamp.append(nanos / 1_000_000, to: &json)
        json.string(GoFloatFormat.fixed(value))
        json.endArray()
    }

    private static func labels(_ labels: LogQLLabels, into json: inout JSONWriter) {
        json.beginObject()
        for label in labels.pairs { json.key(label.name); json.string(label.value) }
        json.endObject()
    }
}
