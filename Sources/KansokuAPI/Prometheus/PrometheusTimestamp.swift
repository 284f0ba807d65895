import KansokuModel
import Foundation
import KansokuQuery

/// Times and durations in Prometheus API parameters and responses.
enum PrometheusTimestamp {
    /// Parses a time parameter as Prometheus does: Unix seconds (fractions
    /// allowed) or RFC 3339; returns milliseconds.
    static func parse(_ text: String) -> Int64? {
        if let seconds = Double(text), seconds.isFinite {
            return Int64((seconds * 1000).rounded())
        }
        // Prometheus's own spellings of its smallest and largest times.
        if text == "0001-01-01T00:00:00Z" || text == "-292273086-05-16T16:47:06Z" { return Int64.min / 2 }
        if text == "292277025-08-18T07:12:54.999999999Z" { return Int64.max / 2 }
        return rfc3339(text)
    }

    private static func rfc3339(_ text: String) -> Int64? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        return nil
    }

    /// Parses a duration parameter: seconds as a number, or a Prometheus duration (`5m`, `1h30m`); milliseconds.
    static func parseDuration(_ text: String) -> Int64? {
        if let seconds = Double(text) {
            guard seconds.isFinite, abs(seconds) < Double(Int64.max / 1000) else { return nil }
            return Int64((seconds * 1000).rounded())
        }
        return PromQLDuration(parsing: text)?.milliseconds
    }

    /// Now, in milliseconds.
    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// Writes a millisecond timestamp as Prometheus's JSON does: seconds, and
    /// a three-digit fraction only when it is not zero (`1435781451.781`).
    static func append(_ milliseconds: Int64, to json: inout JSONWriter) {
        json.writeValue { json in
            json.withBytes { bytes in
                if milliseconds < 0 { bytes.append(UInt8(ascii: "-")) }
                let magnitude = milliseconds.magnitude
                GoFloatFormat.appendDecimal(Int64(magnitude / 1000), to: &bytes)
                let fraction = magnitude % 1000
                if fraction != 0 {
                    bytes.append(UInt8(ascii: "."))
                    bytes.append(UInt8(ascii: "0") + UInt8(fraction / 100))
                    bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
                    bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
                }
            }
        }
    }
}
