/// Label names for OTLP attribute keys, as Prometheus's OTLP receiver makes
/// them by default (otlptranslator's `LabelNamer` without UTF-8, following the
/// OpenTelemetry compatibility spec):
///
/// - characters outside `[a-zA-Z0-9]` become `_` and runs of `_` collapse to one
///   (so `a__b` → `a_b` and `_x` stays `_x`);
/// - a name wrapped in double underscores (`__x__`, reserved in Prometheus) keeps
///   its wrapping, only the inside is cleaned; any other `__` prefix collapses;
/// - a leading digit gets a `key_` prefix;
/// - empty names and names left with only underscores are unusable (nil).
enum PrometheusLabelName {
    /// The label name for `key`, or nil when it has none.
    static func sanitize(_ key: String) -> String? {
        if isAlreadyValid(key) { return key }
        guard !key.isEmpty else { return nil }

        // Bytes suffice: every byte of a non-ASCII character is invalid, and
        // the run they form collapses to one `_` exactly as the character would.
        var key = key
        return key.withUTF8 { bytes -> String? in
            let reserved = isReserved(bytes)
            let inner = reserved ? bytes[2..<(bytes.count - 2)] : bytes[...]
            let underscore = UInt8(ascii: "_")
            let startsWithDigit = !reserved && bytes[0] >= 0x30 && bytes[0] <= 0x39
            var sawOther = false
            // Written straight into the result: this runs for every dotted key of every point.
            let name = String(unsafeUninitializedCapacity: bytes.count + 4) { out in
                var n = 0
                func put(_ byte: UInt8) { out[n] = byte; n += 1 }
                if startsWithDigit { "key_".utf8.forEach(put) }
                if reserved { put(underscore); put(underscore) }
                var previousUnderscore = false
                for byte in inner {
                    if isValidScalar(UInt32(byte)) {
                        put(byte)
                        previousUnderscore = false
                        sawOther = true
                    } else if !previousUnderscore {
                        put(underscore)
                        previousUnderscore = true
                    }
                }
                if reserved { put(underscore); put(underscore) }
                return n
            }
            return sawOther ? name : nil
        }
    }

    /// `__x__`: Prometheus keeps such names' double-underscore wrapping.
    private static func isReserved<C: Collection<UInt8>>(_ bytes: C) -> Bool where C.Index == Int {
        let n = bytes.count
        let underscore = UInt8(ascii: "_")
        return n >= 4 && bytes[bytes.startIndex] == underscore && bytes[bytes.startIndex + 1] == underscore
            && bytes[bytes.startIndex + n - 1] == underscore && bytes[bytes.startIndex + n - 2] == underscore
    }

    @inline(__always)
    private static func isValidScalar(_ v: UInt32) -> Bool {
        (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39)
    }

    /// The common case, checked on bytes without building a string: names that
    /// sanitising would return unchanged.
    private static func isAlreadyValid(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { bytes in
            guard let first = bytes.first, !(first >= 0x30 && first <= 0x39) else { return false }
            let range = isReserved(bytes) ? 2..<(bytes.count - 2) : 0..<bytes.count
            var previousUnderscore = false
            var sawOther = false
            for byte in bytes[range] {
                if byte == UInt8(ascii: "_") {
                    if previousUnderscore { return false }
                    previousUnderscore = true
                } else if isValidScalar(UInt32(byte)) {
                    previousUnderscore = false
                    sawOther = true
                } else {
                    return false
                }
            }
            return sawOther
        }
    }
}
