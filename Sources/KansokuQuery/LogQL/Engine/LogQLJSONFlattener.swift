extension LogQLJSONValue.Reader {
    /// Reads the object at the cursor (`{`) and appends every scalar member
    /// as `(label name, label value)`: nested keys joined with `_` and
    /// sanitised, strings unquoted, numbers as written, booleans as
    /// `true`/`false`; arrays and nulls are checked but left out. Builds no
    /// document tree, which the `| json` stage would throw away at once.
    /// False when the text is not valid JSON.
    mutating func flattenObject(prefix: String, into out: inout [(String, String)]) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return false }
        index += 1
        skip()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return true }
        while true {
            skip()
            guard let key = string() else { return false }
            skip()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            skip()
            guard index < bytes.count else { return false }
            let name = prefix.isEmpty ? logqlSanitizeLabelName(key) : prefix + "_" + logqlSanitizeLabelName(key, isPrefix: false)
            switch bytes[index] {
            case UInt8(ascii: "{"):
                guard flattenObject(prefix: name, into: &out) else { return false }
            case UInt8(ascii: "\""):
                guard let text = string() else { return false }
                out.append((name, text))
            default:
                switch value() {
                case nil: return false
                case .number(let text)?: out.append((name, text))
                case .bool(let flag)?: out.append((name, flag ? "true" : "false"))
                case .array?, .null?, .object?, .string?: break
                }
            }
            skip()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return true }
            return false
        }
    }
}

extension LogQLJSONValue {
    /// The labels `| json` takes from `text`, in document order, or nil when
    /// `text` is not a JSON object.
    static func flattenedLabels(_ text: String) -> [(String, String)]? {
        var reader = Reader(bytes: Array(text.utf8))
        reader.skip()
        var pairs: [(String, String)] = []
        guard reader.flattenObject(prefix: "", into: &pairs) else { return nil }
        reader.skip()
        return reader.index == reader.bytes.count ? pairs : nil
    }
}
