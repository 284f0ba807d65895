import KansokuStorage

/// The JSON text of one tail message, as Loki's v1 tail sends it:
/// `{"streams":[{"stream":{…},"values":[["<ns>","<line>"]]}],"dropped_entries":[{"labels":{…},"timestamp":"<ns>"}]}`.
/// Entries with the same labels share a stream, streams in order of first
/// appearance; `dropped_entries` is left out when nothing was dropped.
enum LokiTailFrame {
    static func json(entries: some Collection<LogTailEntry>, dropped: [LogTailDrop] = []) -> String {
        var order: [String] = []
        var streams: [String: (labels: [(String, String)], values: [LogTailEntry])] = [:]
        for entry in entries {
            let key = entry.labels.map { "\($0.0)\u{1}\($0.1)" }.joined(separator: "\u{2}")
            if streams[key] == nil {
                order.append(key)
                streams[key] = (entry.labels, [])
            }
            streams[key]!.values.append(entry)
        }
        var json = JSONWriter(reservingCapacity: 256 + entries.count * 128)
        json.beginObject()
        json.key("streams"); json.beginArray()
        for key in order {
            let stream = streams[key]!
            json.beginObject()
            json.key("stream"); labels(stream.labels, into: &json)
            json.key("values"); json.beginArray()
            for entry in stream.values {
                json.beginArray()
                json.string(String(entry.timestampNanos))
                json.string(entry.line)
                json.endArray()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        if !dropped.isEmpty {
            json.key("dropped_entries"); json.beginArray()
            for drop in dropped {
                json.beginObject()
                json.key("labels"); labels(drop.labels, into: &json)
                json.key("timestamp"); json.string(String(drop.timestampNanos))
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    private static func labels(_ pairs: [(String, String)], into json: inout JSONWriter) {
        json.beginObject()
        for (name, value) in pairs { json.key(name); json.string(value) }
        json.endObject()
    }
}
