extension JSONWriter {
    /// An integer as a JSON number.
    public mutating func number(_ value: Int64) {
        writeValue { json in
            if value < 0 { json.appendByte(UInt8(ascii: "-")) }
            json.appendDigits(value.magnitude)
        }
    }

    /// An unsigned integer as a JSON number.
    public mutating func number(_ value: UInt64) {
        writeValue { $0.appendDigits(value) }
    }

    /// A double: finite values as the shortest text that reads back to the
    /// same double (Swift's `description`, e.g. `0.1`, `1e-05`, `-0.0`), and
    /// the values JSON has no number for as the strings `"NaN"`, `"+Inf"` and
    /// `"-Inf"`.
    public mutating func number(_ value: Double) {
        writeValue { json in
            if value.isNaN {
                json.appendASCII(#""NaN""#)
            } else if value.isInfinite {
                json.appendASCII(value < 0 ? #""-Inf""# : #""+Inf""#)
            } else {
                json.appendRaw(value.description.utf8)
            }
        }
    }

    /// An unsigned integer as a JSON string of decimal digits. Used for
    /// nanosecond timestamps, which exceed the 2^53 that JavaScript and many
    /// JSON parsers read exactly as numbers.
    public mutating func quotedNumber(_ value: UInt64) {
        writeValue { json in
            json.appendByte(UInt8(ascii: "\""))
            json.appendDigits(value)
            json.appendByte(UInt8(ascii: "\""))
        }
    }

    /// Bytes as a JSON string in standard base64 with padding (RFC 4648 §4).
    public mutating func base64String(_ data: [UInt8]) {
        writeValue { json in
            json.appendByte(UInt8(ascii: "\""))
            json.appendBase64(data)
            json.appendByte(UInt8(ascii: "\""))
        }
    }

    /// Decimal digits without allocating a `String`.
    private mutating func appendDigits(_ value: UInt64) {
        guard value >= 10 else { return appendByte(UInt8(ascii: "0") + UInt8(value)) }
        // UInt64.max has 20 digits; fill from the end of a stack buffer.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var remaining = value
            var start = 20
            while remaining > 0 {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            appendRaw(UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    private mutating func appendBase64(_ data: [UInt8]) {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        alphabet.withUTF8Buffer { table in
            var i = 0
            while i + 3 <= data.count {
                let chunk = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
                appendByte(table[Int(chunk >> 18 & 0x3F)])
                appendByte(table[Int(chunk >> 12 & 0x3F)])
                appendByte(table[Int(chunk >> 6 & 0x3F)])
                appendByte(table[Int(chunk & 0x3F)])
                i += 3
            }
            let rest = data.count - i
            guard rest > 0 else { return }
            let chunk = UInt32(data[i]) << 16 | (rest == 2 ? UInt32(data[i + 1]) << 8 : 0)
            appendByte(table[Int(chunk >> 18 & 0x3F)])
            appendByte(table[Int(chunk >> 12 & 0x3F)])
            appendByte(rest == 2 ? table[Int(chunk >> 6 & 0x3F)] : UInt8(ascii: "="))
            appendByte(UInt8(ascii: "="))
        }
    }
}
