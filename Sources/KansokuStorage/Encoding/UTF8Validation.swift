/// A strict UTF-8 check (RFC 3629: no overlong forms, no surrogates, nothing
/// above U+10FFFF) for strings read from the write-ahead log.
///
/// It exists because the standard library's strict initializer,
/// `String(validating:as:)`, runs as unspecialized generic code and took
/// most of the decoding time; `String(decoding:as:)` is fast but silently
/// repairs bad input, which would hide corruption.
enum UTF8Validation {
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var i = 0
        while i < count {
            // Most telemetry strings are ASCII: test 32 bytes at a time (four
            // words or-ed, one branch), then eight.
            while i &+ 32 <= count {
                let chunk = UnsafeRawPointer(base + i)
                let word = chunk.loadUnaligned(as: UInt64.self) | chunk.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    | chunk.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | chunk.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i &+= 32
            }
            while i &+ 8 <= count {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i &+= 8
            }
            guard i < count else { return true }
            let lead = base[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            // The range the second byte must fall in; it narrows for leads
            // that could otherwise start overlong forms, surrogates or values past U+10FFFF.
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; second = 0xA0...0xBF
            case 0xED: length = 3; second = 0x80...0x9F
            case 0xE1...0xEF: length = 3
            case 0xF0: length = 4; second = 0x90...0xBF
            case 0xF4: length = 4; second = 0x80...0x8F
            case 0xF1...0xF3: length = 4
            default: return false  // continuation byte, overlong 2-byte lead, or beyond U+10FFFF
            }
            guard i + length <= count, second.contains(base[i + 1]) else { return false }
            for j in 2..<length where base[i + j] & 0xC0 != 0x80 {
                return false
            }
            i += length
        }
        return true
    }
}
