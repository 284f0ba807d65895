import Foundation

/// Query strings decoded the way Go's `url.ParseQuery` (and so Jaeger and
/// Prometheus) decodes them: `+` is a space, then percent-escapes. Repeated
/// names are kept in order.
enum FormQuery {
    static func parameters(_ rawQuery: String?) -> [(name: String, value: String)] {
        guard let rawQuery, !rawQuery.isEmpty else { return [] }
        return rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (name: decode(parts[0]), value: parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Undecodable escapes are kept as written rather than dropping the parameter.
    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
