import KansokuModel

/// What "the line contains `needle`" implies about the line's tokens, as a
/// log store's token index splits them (maximal runs of ASCII letters and
/// digits; anything else delimits).
///
/// A needle can start or end in the middle of a line token, so only tokens
/// delimited on *both* sides inside the needle are certain to be whole tokens
/// of a matching line: `"user=alice id"` requires `alice`, not `user` or `id`.
/// A 32-hex-digit run of the needle is a trace id the line contains.
///
/// `|=` matches bytes in the engine, as Loki does, but the literal runs of a
/// `|~` regex come here too, and Swift's `Regex` is defined on `Character`s,
/// which honour canonical equivalence: a line may then match with different
/// bytes. So a needle with
/// non-ASCII text gives nothing, and because U+212A KELVIN SIGN, U+037E GREEK
/// QUESTION MARK and U+1FEF GREEK VARIA are canonically `K`, `;` and `` ` ``,
/// a token containing `K` or delimited by `;` or `` ` `` is not required.
/// Without any of these three characters, a `Character` match of an ASCII
/// needle is also a byte match, so the needle itself is required as bytes
/// (`.lineContains`, a cheap per-line check). The result is therefore sound
/// for both `Character` and byte matching.
enum LogQLNeedleTerms {
    /// The requirement implied by a line containing `needle`, or nil when
    /// nothing is implied (empty or non-ASCII needle; one with `K`, `;` or
    /// `` ` `` and no inner token or trace id).
    static func requirement(containing needle: String) -> LogEntryRequirement? {
        let bytes = Array(needle.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        var parts: [LogEntryRequirement] = []
        if !bytes.contains(where: isCanonicalAlias) { parts.append(.lineContains(needle)) }
        for token in innerTokens(bytes) { parts.append(.lineToken(token)) }
        for id in traceIDs(bytes) { parts.append(.lineTraceID(id)) }
        return LogEntryRequirement.all(of: parts)
    }

    /// Lowercased tokens delimited on both sides within `bytes` (ASCII only).
    static func innerTokens(_ bytes: [UInt8]) -> [String] {
        var tokens: [String] = []
        forEachRun(bytes, of: isTokenByte) { range in
            guard range.lowerBound > 0, range.upperBound < bytes.count,
                  isFirmDelimiter(bytes[range.lowerBound - 1]), isFirmDelimiter(bytes[range.upperBound]),
                  !bytes[range].contains(UInt8(ascii: "K")) else { return }
            let token = String(decoding: bytes[range].map(lower), as: UTF8.self)
            if !tokens.contains(token) { tokens.append(token) }
        }
        return tokens
    }

    /// Ids spelled by maximal runs of exactly 32 hex digits (non-zero ids only).
    static func traceIDs(_ bytes: [UInt8]) -> [TraceID] {
        var ids: [TraceID] = []
        forEachRun(bytes, of: { Hex.value(of: $0) != nil }) { range in
            guard range.count == 32, let id = TraceID(hex: String(decoding: bytes[range], as: UTF8.self)),
                  !id.isZero, !ids.contains(id) else { return }
            ids.append(id)
        }
        return ids
    }

    private static func forEachRun(_ bytes: [UInt8], of member: (UInt8) -> Bool, _ body: (Range<Int>) -> Void) {
        var i = 0
        while i < bytes.count {
            while i < bytes.count && !member(bytes[i]) { i += 1 }
            let start = i
            while i < bytes.count && member(bytes[i]) { i += 1 }
            if i > start { body(start..<i) }
        }
    }

    private static func isTokenByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
    }

    /// A delimiter no non-ASCII character is canonically equivalent to.
    private static func isFirmDelimiter(_ c: UInt8) -> Bool {
        c != UInt8(ascii: ";") && c != UInt8(ascii: "`")
    }

    /// An ASCII character some non-ASCII character is canonically equivalent to.
    private static func isCanonicalAlias(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "K") || c == UInt8(ascii: ";") || c == UInt8(ascii: "`")
    }

    /// `c` with an ASCII capital letter lowercased.
    static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
}
