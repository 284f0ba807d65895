/// Writes compact JSON text into one byte array, token by token.
///
/// Hand-rolled rather than built on `JSONSerialization` or `Codable` because
/// the debug endpoints render up to hundreds of thousands of items: appending
/// straight into `[UInt8]` avoids building an intermediate object tree.
///
/// Commas are inserted automatically; the caller is responsible for balancing
/// `begin…`/`end…` calls and for writing a `key` before each value inside an
/// object.
///
/// ```swift
/// var json = JSONWriter()
/// json.beginObject()
/// json.key("name"); json.string("GET /")
/// json.key("count"); json.number(Int64(3))
/// json.endObject()
/// // json.bytes == Array(#"{"name":"GET /","count":3}"#.utf8)
/// ```
public struct JSONWriter: Sendable {
    /// The JSON text written so far, UTF-8 encoded.
    public private(set) var bytes: [UInt8] = []

    /// Whether a value has just been completed at the current level, so the
    /// next key or value must be preceded by a comma.
    private var needsComma = false

    /// An empty writer with room for `capacity` bytes.
    public init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: Structure

    /// Opens an object (`{`) as the next value.
    public mutating func beginObject() {
        beginValue()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the innermost object (`}`).
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Opens an array (`[`) as the next value.
    public mutating func beginArray() {
        beginValue()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Closes the innermost array (`]`).
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object member's name; the next call writes its value.
    public mutating func key(_ name: String) {
        beginValue()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: Values

    /// A string, escaped as JSON requires.
    public mutating func string(_ value: String) {
        writeValue { $0.appendQuoted(value) }
    }

    /// `true` or `false`.
    public mutating func bool(_ value: Bool) {
        writeValue { $0.appendASCII(value ? "true" : "false") }
    }

    /// `null`.
    public mutating func null() {
        writeValue { $0.appendASCII("null") }
    }

    /// A JSON text that is already rendered (for example a resource shared by
    /// many items, rendered once). It must be one complete, valid JSON value.
    public mutating func rawValue(_ json: [UInt8]) {
        writeValue { $0.appendRaw(json) }
    }

    /// Writes one value through `body`, with the separator before it.
    mutating func writeValue(_ body: (inout JSONWriter) -> Void) {
        beginValue()
        body(&self)
        needsComma = true
    }

    // MARK: Byte-level helpers (they do not manage separators)

    private mutating func beginValue() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    mutating func appendByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Lets `body` append bytes that are valid JSON text at this point.
    mutating func withBytes(_ body: (inout [UInt8]) -> Void) {
        body(&bytes)
    }

    /// Appends bytes that are already valid JSON text.
    mutating func appendRaw(_ raw: some Sequence<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    /// Appends text known to need no escaping.
    mutating func appendASCII(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `value` as a quoted JSON string.
    mutating func appendQuoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        if done == nil {
            Array(value.utf8).withUnsafeBufferPointer { appendEscaped($0) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Copies UTF-8 text, escaping what JSON requires (quote, backslash,
    /// control characters) plus U+2028/U+2029, which are valid JSON but end
    /// lines in JavaScript and would break the text if embedded in a script.
    /// Everything else, including non-ASCII, is copied as is: Swift strings
    /// are always valid UTF-8, and so is JSON text.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var i = 0
        while i < utf8.count {
            let byte = utf8[i]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte != 0xE2 {
                i += 1
                continue
            }
            var width = 1
            if byte == 0xE2 {
                // U+2028 is E2 80 A8 and U+2029 is E2 80 A9; other E2 sequences pass.
                guard i + 2 < utf8.count, utf8[i + 1] == 0x80, utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9 else {
                    i += 1
                    continue
                }
                width = 3
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
            switch byte {
            case UInt8(ascii: "\""): appendASCII(#"\""#)
            case UInt8(ascii: "\\"): appendASCII(#"\\"#)
            case 0x0A: appendASCII(#"\n"#)
            case 0x0D: appendASCII(#"\r"#)
            case 0x09: appendASCII(#"\t"#)
            case 0x08: appendASCII(#"\b"#)
            case 0x0C: appendASCII(#"\f"#)
            case 0xE2: appendASCII(utf8[i + 2] == 0xA8 ? #"\u2028"# : #"\u2029"#)
            default:
                appendASCII(#"\u00"#)
                appendHexDigit(byte >> 4)
                appendHexDigit(byte & 0x0F)
            }
            i += width
            runStart = i
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }

    /// One lowercase hex digit for `nibble` (0...15).
    mutating func appendHexDigit(_ nibble: UInt8) {
        bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
    }
}
