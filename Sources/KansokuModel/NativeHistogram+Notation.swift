extension NativeHistogram {
    /// Reads Prometheus's test-script notation (also used in its docs and
    /// this project's tests): `{{schema:0 count:4 sum:10 z_bucket:1
    /// z_bucket_w:0.001 buckets:[1 2] offset:0 n_buckets:[1] n_offset:0
    /// counter_reset_hint:gauge custom_values:[5 10]}}`. Every field is
    /// optional; `buckets` with `offset` (and `n_buckets` with `n_offset`)
    /// form one span. nil if the text cannot be read.
    public init?(notation text: String) {
        guard text.hasPrefix("{{"), text.hasSuffix("}}"), text.count >= 4 else { return nil }
        let body = Array(text.dropFirst(2).dropLast(2))
        var histogram = NativeHistogram()
        var positive: [Double] = [], negative: [Double] = []
        var positiveOffset: Int32 = 0, negativeOffset: Int32 = 0
        var i = 0
        while i < body.count {
            while i < body.count, body[i] == " " || body[i] == "\t" { i += 1 }
            guard i < body.count else { break }
            guard let colon = body[i...].firstIndex(of: ":") else { return nil }
            let key = String(body[i..<colon])
            var end = colon + 1
            if end < body.count, body[end] == "[" {
                guard let close = body[end...].firstIndex(of: "]") else { return nil }
                end = close + 1
            } else {
                while end < body.count, body[end] != " ", body[end] != "\t" { end += 1 }
            }
            let value = String(body[(colon + 1)..<end])
            i = end
            switch key {
            case "schema": guard let v = Int32(value) else { return nil }; histogram.schema = v
            case "sum": guard let v = Self.number(value) else { return nil }; histogram.sum = v
            case "count": guard let v = Self.number(value) else { return nil }; histogram.count = v
            case "z_bucket": guard let v = Self.number(value) else { return nil }; histogram.zeroCount = v
            case "z_bucket_w": guard let v = Self.number(value) else { return nil }; histogram.zeroThreshold = v
            case "offset": guard let v = Int32(value) else { return nil }; positiveOffset = v
            case "n_offset": guard let v = Int32(value) else { return nil }; negativeOffset = v
            case "buckets": guard let v = Self.numbers(value) else { return nil }; positive = v
            case "n_buckets": guard let v = Self.numbers(value) else { return nil }; negative = v
            case "custom_values": guard let v = Self.numbers(value) else { return nil }; histogram.customValues = v
            case "counter_reset_hint":
                switch value {
                case "unknown": histogram.counterResetHint = .unknown
                case "reset": histogram.counterResetHint = .counterReset
                case "not_reset": histogram.counterResetHint = .notCounterReset
                case "gauge": histogram.counterResetHint = .gauge
                default: return nil
                }
            default: return nil
            }
        }
        if !positive.isEmpty {
            histogram.positiveSpans = [.init(offset: positiveOffset, length: UInt32(positive.count))]
            histogram.positiveBuckets = positive
        }
        if !negative.isEmpty {
            histogram.negativeSpans = [.init(offset: negativeOffset, length: UInt32(negative.count))]
            histogram.negativeBuckets = negative
        }
        self = histogram
    }

    /// A number as the notation writes it (`1`, `-2.5`, `1e3`, `Inf`, `-Inf`, `NaN`).
    private static func number(_ text: String) -> Double? {
        switch text.lowercased() {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        default: return Double(text)
        }
    }

    private static func numbers(_ text: String) -> [Double]? {
        guard text.hasPrefix("["), text.hasSuffix("]") else { return nil }
        var out: [Double] = []
        for word in text.dropFirst().dropLast().split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            guard let v = number(String(word)) else { return nil }
            out.append(v)
        }
        return out
    }
}
