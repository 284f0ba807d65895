import KansokuModel

/// Zipkin's hex ids. The spec asks for 16 or 32 digits (trace) and 16 (span);
/// like zipkin-go (which the Collector uses) and Zipkin's own server, shorter
/// spellings are accepted and left-padded with zeros: a 64-bit trace id
/// becomes the low half of a 128-bit one.
enum ZipkinIDs {
    /// 1 to 32 hex digits; digits beyond the last 16 are the high half.
    static func traceID(_ hex: String) -> TraceID? {
        let digits = Array(hex.utf8)
        guard (1...32).contains(digits.count) else { return nil }
        let split = max(0, digits.count - 16)
        guard let high = value(digits[..<split]), let low = value(digits[split...]) else { return nil }
        return TraceID(high: high, low: low)
    }

    /// 1 to 16 hex digits.
    static func spanID(_ hex: String) -> SpanID? {
        let digits = Array(hex.utf8)
        guard (1...16).contains(digits.count), let value = value(digits[...]) else { return nil }
        return SpanID(value)
    }

    /// At most 16 hex digits (no sign or prefix); an empty run is 0.
    private static func value(_ digits: ArraySlice<UInt8>) -> UInt64? {
        var result: UInt64 = 0
        for byte in digits {
            guard let digit = Hex.value(of: byte) else { return nil }
            result = result << 4 | UInt64(digit)
        }
        return result
    }
}
