import KansokuModel

extension JSONWriter {
    /// A trace id as 32 lowercase hex digits, or `""` for the all-zero id
    /// (OTLP's "no trace").
    mutating func id(_ traceID: TraceID) {
        writeValue { json in
            json.appendByte(UInt8(ascii: "\""))
            if !traceID.isZero {
                json.appendHex(traceID.high)
                json.appendHex(traceID.low)
            }
            json.appendByte(UInt8(ascii: "\""))
        }
    }

    /// A span id as 16 lowercase hex digits, or `""` for the all-zero id.
    mutating func id(_ spanID: SpanID) {
        writeValue { json in
            json.appendByte(UInt8(ascii: "\""))
            if !spanID.isZero { json.appendHex(spanID.value) }
            json.appendByte(UInt8(ascii: "\""))
        }
    }

    /// Sixteen hex digits, most significant first (ids are big-endian).
    private mutating func appendHex(_ value: UInt64) {
        for shift in stride(from: 60, through: 0, by: -4) {
            appendHexDigit(UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0x0F)
        }
    }
}
