import KansokuModel

/// A Bloom filter over the trace ids of one block, so that asking a block
/// for a trace it does not hold costs the footer and this filter only.
///
/// A ``BloomFilter`` keyed by one 64-bit mix of the id: ids are mostly
/// random already, but Zipkin-style 64-bit ids leave the high half zero, so
/// both halves are mixed before use.
///
/// ```text
/// bloom := hashCount:uvar wordCount:uvar word:fixed64*
/// ```
struct TraceBloomFilter: Sendable, Hashable {
    private var filter: BloomFilter

    /// Sized for `expectedCount` ids at about `falsePositiveRate`.
    init(expectedCount: Int, falsePositiveRate: Double) {
        filter = BloomFilter(expectedCount: expectedCount, falsePositiveRate: falsePositiveRate)
    }

    mutating func insert(_ id: TraceID) { filter.insert(Self.key(id)) }

    func mayContain(_ id: TraceID) -> Bool { filter.mayContain(Self.key(id)) }

    private static func key(_ id: TraceID) -> UInt64 {
        BloomFilter.mix(id.high ^ BloomFilter.mix(id.low))
    }

    func encoded() -> [UInt8] { filter.encoded() }

    init(decoding bytes: [UInt8], path: String) throws(TraceBlockError) {
        do throws(WALDecodingError) {
            filter = try BloomFilter(decoding: bytes)
        } catch {
            throw .malformed(path: path, section: TraceBlockSectionKind.bloom.name, detail: error.description)
        }
    }
}
