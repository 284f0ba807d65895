extension LogQLJSONValue.Reader {
    /// Steps over the string at the cursor, accepting exactly what
    /// ``string()`` accepts; builds no string unless it holds escapes.
    mutating func skipString() -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return false }
        var end = index + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") { end += 1 }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            index = end + 1
            return true
        }
        return string() != nil
    }

    /// The byte range of the string at the cursor, stepping over it, when
    /// it holds no escape; nil (cursor unmoved) otherwise.
    mutating func plainString() -> Range<Int>? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        var end = index + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
        defer { index = end + 1 }
        return (index + 1)..<end
    }

    /// Reads the object at the cursor (`{`) and appends every scalar member
    /// as `(label name, label value)`: nested keys joined with `_` and
    /// sanitised, strings unquoted, numbers as written, booleans as
    /// `true`/`false`; arrays and nulls are checked but left out. Builds no
    /// document tree, which the `| json` stage would throw away at once.
    /// With `keep`, only members whose label name it lists are appended;
    /// the others are checked without building their strings (nor, for a
    /// top-level key that is a label name as it stands, their names). False
    /// when the text is not valid JSON.
    mutating func flattenObject(prefix: String, keeping keep: [String]? = nil,
                                into out: inout [(String, String)]) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return false }
        index += 1
        skip()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return true }
        while true {
            skip()
            var key: String?
            let plainKey = plainString()
            if plainKey == nil {
                guard let escaped = string() else { return false }
                key = escaped
            }
            skip()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            skip()
            guard index < bytes.count else { return false }
            // The member's label name; for a kept-or-not check on a plain top-level scalar member, not built.
            var name: String?
            let kept: Bool
            if let plainKey, let keep, prefix.isEmpty, bytes[index] != UInt8(ascii: "{"),
               case let raw = UnsafeBufferPointer(rebasing: bytes[plainKey]), logqlIsPlainLabelName(raw) {
                kept = keep.contains { $0.utf8.count == raw.count && $0.utf8.elementsEqual(raw) }
                if kept { name = String(decoding: raw, as: UTF8.self) }
            } else {
                let text = key ?? String(decoding: UnsafeBufferPointer(rebasing: bytes[plainKey!]), as: UTF8.self)
                let full = prefix.isEmpty ? logqlSanitizeLabelName(text) : prefix + "_" + logqlSanitizeLabelName(text, isPrefix: false)
                name = full
                kept = keep?.contains(full) ?? true
            }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                guard flattenObject(prefix: name!, keeping: keep, into: &out) else { return false }
            case UInt8(ascii: "\""):
                if kept {
                    guard let text = string() else { return false }
                    out.append((name!, text))
                } else {
                    guard skipString() else { return false }
                }
            case let byte where Self.isNumberByte(byte):
                guard let range = number() else { return false }
                if kept { out.append((name!, String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))) }
            default:
                switch value() {
                case nil: return false
                case .bool(let flag)? where kept: out.append((name!, flag ? "true" : "false"))
                case .array?, .null?, .object?, .string?, .number?, .bool?: break
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
    /// The labels `| json` takes from `text`, in document order (only those
    /// whose name `keep` lists, when given), or nil when `text` is not a
    /// JSON object.
    static func flattenedLabels(_ text: String, keeping keep: [String]? = nil) -> [(String, String)]? {
        var text = text
        return text.withUTF8 { utf8 in
            var reader = Reader(bytes: utf8)
            reader.skip()
            var pairs: [(String, String)] = []
            guard reader.flattenObject(prefix: "", keeping: keep, into: &pairs) else { return nil }
            reader.skip()
            return reader.index == reader.bytes.count ? pairs : nil
        }
    }
}
