import KansokuModel
import KansokuQuery
import KansokuStorage

/// The JSON bodies of the Prometheus HTTP API: `{"status":"success","data":…}`
/// or `{"status":"error","errorType":…,"error":…}`, with Prometheus's shapes
/// for each kind of data.
enum PrometheusResponse {
    /// A success envelope around whatever `data` writes.
    static func success(warnings: [String] = [], _ data: (inout JSONWriter) -> Void) -> [UInt8] {
        var json = JSONWriter(reservingCapacity: 256)
        json.beginObject()
        json.key("status"); json.string("success")
        json.key("data"); data(&json)
        if !warnings.isEmpty {
            json.key("warnings"); json.beginArray()
            for warning in warnings { json.string(warning) }
            json.endArray()
        }
        json.endObject()
        return json.bytes
    }

    static func error(_ error: PrometheusAPIError) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("status"); json.string("error")
        json.key("errorType"); json.string(error.kind.rawValue)
        json.key("error"); json.string(error.message)
        json.endObject()
        return json.bytes
    }

    /// A query result: `{"resultType":…,"result":…}`.
    static func queryResult(_ value: PromQLValue, at time: Int64, into json: inout JSONWriter) {
        json.beginObject()
        switch value {
        case .scalar(let v):
            json.key("resultType"); json.string("scalar")
            json.key("result"); point(time, GoFloatFormat.fixed(v), into: &json)
        case .string(let s):
            json.key("resultType"); json.string("string")
            json.key("result"); point(time, s, into: &json)
        case .vector(let samples):
            json.key("resultType"); json.string("vector")
            json.key("result"); json.beginArray()
            for sample in samples {
                json.beginObject()
                json.key("metric"); labels(sample.labels, into: &json)
                if let h = sample.histogram {
                    json.key("histogram"); histogramPoint(sample.timestamp, h, into: &json)
                } else {
                    json.key("value"); point(sample.timestamp, sample.value, into: &json)
                }
                json.endObject()
            }
            json.endArray()
        case .matrix(let series):
            matrix(series, into: &json)
        }
        json.endObject()
    }

    /// The members of a matrix result (inside the caller's object).
    static func matrix(_ series: [PromQLSeries], into json: inout JSONWriter) {
        json.key("resultType"); json.string("matrix")
        json.key("result"); json.beginArray()
        for s in series {
            json.beginObject()
            json.key("metric"); labels(s.labels, into: &json)
            // As Prometheus: `values` and `histograms` only when there are some.
            if !s.samples.isEmpty || s.histograms.isEmpty {
                json.key("values"); json.beginArray()
                for sample in s.samples { point(sample.timestamp, sample.value, into: &json) }
                json.endArray()
            }
            if !s.histograms.isEmpty {
                json.key("histograms"); json.beginArray()
                for sample in s.histograms { histogramPoint(sample.timestamp, sample.histogram, into: &json) }
                json.endArray()
            }
            json.endObject()
        }
        json.endArray()
    }

    /// `[<seconds>, "<value>"]`.
    static func point(_ time: Int64, _ value: String, into json: inout JSONWriter) {
        json.beginArray()
        PrometheusTimestamp.append(time, to: &json)
        json.string(value)
        json.endArray()
    }

    /// `[<seconds>, "<value>"]` for a sample value, written straight into the
    /// buffer (Go's 'f' formatting never needs JSON escaping).
    static func point(_ time: Int64, _ value: Double, into json: inout JSONWriter) {
        json.beginArray()
        PrometheusTimestamp.append(time, to: &json)
        json.writeValue { json in
            json.withBytes { bytes in
                bytes.append(UInt8(ascii: "\""))
                GoFloatFormat.append(value, to: &bytes)
                bytes.append(UInt8(ascii: "\""))
            }
        }
        json.endArray()
    }

    /// `[<seconds>, {"count":…,"sum":…,"buckets":[[<boundary rule>,"<lower>","<upper>","<count>"],…]}]`,
    /// populated buckets only; the rule is 0 for `(lower, upper]`, 1 for
    /// `[lower, upper)`, 3 for `[lower, upper]` (the zero bucket).
    static func histogramPoint(_ time: Int64, _ histogram: NativeHistogram, into json: inout JSONWriter) {
        json.beginArray()
        PrometheusTimestamp.append(time, to: &json)
        json.beginObject()
        json.key("count"); json.string(GoFloatFormat.fixed(histogram.count))
        json.key("sum"); json.string(GoFloatFormat.fixed(histogram.sum))
        let buckets = histogram.buckets.filter { $0.count != 0 }
        if !buckets.isEmpty {
            json.key("buckets"); json.beginArray()
            for bucket in buckets {
                json.beginArray()
                let rule = switch (bucket.lowerInclusive, bucket.upperInclusive) {
                case (false, true): 0
                case (true, false): 1
                case (false, false): 2
                case (true, true): 3
                }
                json.number(Int64(rule))
                json.string(GoFloatFormat.fixed(bucket.lower))
                json.string(GoFloatFormat.fixed(bucket.upper))
                json.string(GoFloatFormat.fixed(bucket.count))
                json.endArray()
            }
            json.endArray()
        }
        json.endObject()
        json.endArray()
    }

    static func labels(_ labels: PromQLLabels, into json: inout JSONWriter) {
        json.beginObject()
        for label in labels.labels { json.key(label.name); json.string(label.value) }
        json.endObject()
    }

    static func labels(_ labels: SeriesLabels, into json: inout JSONWriter) {
        json.beginObject()
        for label in labels.labels { json.key(label.name); json.string(label.value) }
        json.endObject()
    }

    static func strings(_ values: [String], into json: inout JSONWriter) {
        json.beginArray()
        for value in values { json.string(value) }
        json.endArray()
    }

    /// `/api/v1/metadata`: `{"<family>":[{"type":…,"help":…,"unit":…}]}`.
    static func metadata(_ families: [MetricFamilyMetadata], into json: inout JSONWriter) {
        json.beginObject()
        for family in families {
            json.key(family.family)
            json.beginArray()
            json.beginObject()
            json.key("type"); json.string(family.kind.rawValue)
            json.key("help"); json.string(family.help)
            json.key("unit"); json.string(family.unit)
            json.endObject()
            json.endArray()
        }
        json.endObject()
    }

    /// `/api/v1/query_exemplars`: per series, its labels and exemplars.
    static func exemplars(_ found: [SeriesExemplars], into json: inout JSONWriter) {
        json.beginArray()
        for series in found {
            json.beginObject()
            json.key("seriesLabels"); labels(series.labels, into: &json)
            json.key("exemplars"); json.beginArray()
            for exemplar in series.exemplars {
                json.beginObject()
                json.key("labels"); labels(exemplar.labels, into: &json)
                json.key("value"); json.string(GoFloatFormat.fixed(exemplar.value))
                json.key("timestamp"); PrometheusTimestamp.append(exemplar.timestamp, to: &json)
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
    }
}
