import KansokuModel

/// Splits log lines into the tokens the block Bloom filter indexes: maximal
/// runs of ASCII letters and digits (and of non-ASCII bytes, so UTF-8 words
/// stay whole), lowercased. No n-grams: a query token must be a whole token
/// of the line to benefit from the filter. Tokens are indexed by a 64-bit
/// hash (FNV-1a over the lowercased bytes, then SplitMix64's finaliser).
///
/// Short numbers (1 to ``shortNumberMaxLength`` ASCII digits alone) are not
/// indexed: octets, date and time parts, status codes and fractions are in
/// nearly every chunk, so they prune nothing, yet they are a third of a
/// typical line's tokens. Queries skip them the same way (they read every
/// chunk for such a token), which is also sound for blocks that did index them.
public enum LogTokenizer {
    /// Digit-only tokens up to this length are not indexed.
    public static let shortNumberMaxLength = 4

    /// Whether the token `bytes` (a whole token) is filed in the filters.
    static func isIndexed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count > shortNumberMaxLength || !bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// The distinct tokens of `text`, lowercased, in first-seen order.
    public static func tokens(_ text: String) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            forEachToken(buffer) { range in
                guard isIndexed(UnsafeBufferPointer(rebasing: buffer[range])) else { return }
                let token = String(decoding: buffer[range].map(lower), as: UTF8.self)
                if seen.insert(token).inserted { result.append(token) }
            }
        }
        return result
    }

    /// The tokens a query requires: each given string is tokenised the same
    /// way (so `"GET /api"` requires `get` and `api`); distinct, by hash.
    public static func queryTokens(_ required: [String]) -> [LogQueryToken] {
        var tokens: [UInt64: LogQueryToken] = [:]
        for text in required {
            withUTF8(text) { buffer in
                forEachToken(buffer) { range in
                    let token = UnsafeBufferPointer(rebasing: buffer[range])
                    guard isIndexed(token) else { return }
                    let hash = hash(buffer, range)
                    tokens[hash] = LogQueryToken(token, hash: hash)
                }
            }
        }
        return tokens.keys.sorted().map { tokens[$0]! }
    }

    /// `text` as a query token when it is exactly one indexed token, else nil.
    public static func singleQueryToken(_ text: String) -> LogQueryToken? {
        var result: LogQueryToken?
        withUTF8(text) { buffer in
            guard !buffer.isEmpty, buffer.allSatisfy(isTokenByte), isIndexed(buffer) else { return }
            result = LogQueryToken(buffer, hash: hash(buffer, 0..<buffer.count))
        }
        return result
    }

    /// Calls `body` with the hash of every indexed token of `text` (repeats included).
    static func forEachTokenHash(_ text: String, _ body: (UInt64) -> Void) {
        withUTF8(text) { buffer in
            forEachToken(buffer) { range in
                if isIndexed(UnsafeBufferPointer(rebasing: buffer[range])) { body(hash(buffer, range)) }
            }
        }
    }

    /// One pass over `text` for the block writer: calls `body` with each
    /// indexed token's hash (repeats included) and whether the token is longer than
    /// 32 bytes and holds 32 or more consecutive hex digits
    /// (``LogTraceIndexCoverage/hasEmbeddedHexRun(_:)``).
    static func scan(_ text: String, _ body: (UInt64, Bool) -> Void) {
        withUTF8(text) { scan($0, body, movable: { _, _ in true }) }
    }

    /// ``scan(_:_:)`` over a line's UTF-8 bytes; also calls `movable`, in
    /// order, with the range of each token that a chunk may keep out of its
    /// compressed text, and whether it is all decimal digits: 16 or 32
    /// lowercase hex digits (``LogChunkIDColumn``), or 10, 13, 16 or 19
    /// decimal digits (``LogEntryTimeToken``). When `movable` returns false,
    /// the token is not given to `body` (a time token, which queries look
    /// for by the chunk's time range instead).
    static func scan(_ buffer: UnsafeBufferPointer<UInt8>, _ body: (UInt64, Bool) -> Void,
                     movable: (Range<Int>, Bool) -> Bool) {
        guard let bytes = buffer.baseAddress else { return }
        // One table load a byte gives both the lowercased byte and its
        // classes, and the loop does no more than the hash needs: compaction
        // spends about a fifth of its time here.
        byteEntries.withUnsafeBufferPointer { entries in
            let table = entries.baseAddress!
            var i = 0
            let n = buffer.count
            while i < n {
                while i < n && table[Int(bytes[i])] & tokenEntry == 0 { i += 1 }
                guard i < n else { return }
                let start = i
                var h: UInt64 = 0xCBF2_9CE4_8422_2325
                var common = digitEntry | lowerHexEntry  // what every byte of the token has of these
                while i < n {
                    let entry = table[Int(bytes[i])]
                    guard entry & tokenEntry != 0 else { break }
                    h = (h ^ UInt64(entry & 0xFF)) &* 0x0000_0100_0000_01B3
                    common &= entry
                    i += 1
                }
                let length = i - start
                // `isIndexed`, from what the loop already knows.
                if common & digitEntry != 0 && length <= shortNumberMaxLength { continue }
                if common & digitEntry != 0 && (LogEntryTimeToken.mayMatch(length: length) || LogChunkIDColumn.movesToken(length: length)) {
                    guard movable(start..<i, true) else { continue }
                } else if common & lowerHexEntry != 0 && LogChunkIDColumn.movesToken(length: length) {
                    guard movable(start..<i, false) else { continue }
                }
                // Only a token longer than 32 bytes can hide a run of 32 hex
                // digits; those are rare, so the run is looked for only then.
                let hexRun = length > 32 && longestHexRun(UnsafeBufferPointer(rebasing: buffer[start..<i])) >= 32
                body(BloomFilter.mix(h), hexRun)
            }
        }
    }

    /// The longest run of hex digits in `token`.
    static func longestHexRun(_ token: UnsafeBufferPointer<UInt8>) -> Int {
        var run = 0, longest = 0
        for byte in token {
            run = Hex.value(of: byte) != nil ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    private static let tokenEntry: UInt16 = 0x100
    private static let digitEntry: UInt16 = 0x200
    private static let lowerHexEntry: UInt16 = 0x400
    /// Per byte: the byte lowercased (low 8 bits) and whether it is a token
    /// byte, a decimal digit, a lowercase hex digit (high bits).
    private static let byteEntries: [UInt16] = (0..<256).map { value in
        let byte = UInt8(value)
        var entry = UInt16(lower(byte))
        if isTokenByte(byte) { entry |= tokenEntry }
        if byte >= 0x30 && byte <= 0x39 { entry |= digitEntry | lowerHexEntry }
        if byte >= 0x61 && byte <= 0x66 { entry |= lowerHexEntry }
        return entry
    }

    /// Trace ids spelled as 32 hex digits standing alone as a token in `text`.
    static func forEachHexTraceID(_ text: String, _ body: (TraceID) -> Void) {
        withUTF8(text) { buffer in
            forEachToken(buffer) { range in
                guard range.count == 32 else { return }
                var high: UInt64 = 0, low: UInt64 = 0
                for (i, index) in range.enumerated() {
                    guard let digit = Hex.value(of: buffer[index]) else { return }
                    if i < 16 { high = high << 4 | UInt64(digit) } else { low = low << 4 | UInt64(digit) }
                }
                let id = TraceID(high: high, low: low)
                if !id.isZero { body(id) }
            }
        }
    }

    private static func withUTF8(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if text.utf8.withContiguousStorageIfAvailable({ body($0) }) == nil {
            var copy = text
            copy.withUTF8 { body($0) }
        }
    }

    @inline(__always)
    static func isTokenByte(_ c: UInt8) -> Bool {
        c >= 0x80 || (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
    }

    @inline(__always)
    private static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    static func forEachToken(_ buffer: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        var i = 0
        let n = buffer.count
        while i < n {
            while i < n && !isTokenByte(buffer[i]) { i += 1 }
            let start = i
            while i < n && isTokenByte(buffer[i]) { i += 1 }
            if i > start { body(start..<i) }
        }
    }

    static func hash(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for i in range {
            h = (h ^ UInt64(lower(buffer[i]))) &* 0x0000_0100_0000_01B3
        }
        return BloomFilter.mix(h)
    }
}
