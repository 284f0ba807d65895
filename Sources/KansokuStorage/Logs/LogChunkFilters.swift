import KansokuModel

/// A token Bloom filter per chunk of a log block (version 2 on), so that a line
/// filter or trace-id lookup reads only the chunks that may hold it (a
/// block-wide filter lets a needle spread over the range hit every block).
///
/// ```text
/// chunkFilters := count:uvar (flags:u8 hashCount:uvar wordCount:uvar word:fixed64*)*   one per chunk, in chunk order
/// flags        := 1 a line of the chunk has 32+ hex digits running inside a longer token
/// ```
///
/// A chunk's filter holds the hashes (``LogTokenizer``) of its lines' tokens
/// and of the lowercase 32-hex spelling of every trace id an entry refers to
/// (its `traceID`, and trace-id structured metadata), sized for the block
/// writer's false-positive rate. Since a 32-hex token of a line hashes like
/// the id's spelling, a line *containing* trace id `x` is in a chunk whose
/// filter may contain `x` or whose hex-run flag is set.
struct LogChunkFilters: Sendable {
    /// Filter `i` is `words[starts[i]..<starts[i + 1]]` with `hashCounts[i]` hashes.
    private let words: [UInt64]
    private let starts: [Int]
    private let hashCounts: [UInt8]
    private let hexRuns: [Bool]

    var count: Int { hashCounts.count }

    func mayContain(chunk: Int, _ hash: UInt64) -> Bool {
        BloomFilter.mayContain(LogTokenHashSet.key(hash), words: words[starts[chunk]..<starts[chunk + 1]],
                               hashCount: Int(hashCounts[chunk]))
    }

    /// Whether a line of chunk `chunk` has 32+ hex digits inside a longer token.
    func hasHexRun(chunk: Int) -> Bool { hexRuns[chunk] }

    /// The hash under which trace id `id` is filed.
    static func hash(of id: TraceID) -> UInt64 {
        var hash: UInt64 = 0
        LogTokenizer.forEachTokenHash(id.hex) { hash = $0 }
        return hash
    }

    init(decoding bytes: [UInt8], chunkCount: Int, path: String) throws(LogBlockError) {
        var r = WALReader(bytes)
        var words: [UInt64] = [], starts = [0], hashCounts: [UInt8] = [], hexRuns: [Bool] = []
        do throws(WALDecodingError) {
            let count = try r.readCount(minimumElementSize: 3)
            guard count == chunkCount else { throw r.failure(.valueOutOfRange(value: UInt64(count), maximum: UInt64(chunkCount))) }
            for _ in 0..<count {
                let flags = try r.readByte()
                let hashCount = try r.readInt()
                let wordCount = try r.readCount(minimumElementSize: 8)
                guard flags <= 1 else { throw r.failure(.invalidTag(field: "chunk filter flags", value: UInt64(flags))) }
                guard (1...16).contains(hashCount), wordCount >= 1 else {
                    throw r.failure(.valueOutOfRange(value: UInt64(hashCount), maximum: 16))
                }
                for _ in 0..<wordCount { words.append(try r.readFixed64()) }
                starts.append(words.count)
                hashCounts.append(UInt8(hashCount))
                hexRuns.append(flags & 1 != 0)
            }
            guard r.isAtEnd else { throw r.failure(.trailingBytes(count: r.remaining)) }
        } catch {
            throw .malformed(path: path, section: LogBlockSection.chunkFilters.name, detail: error.description)
        }
        self.words = words
        self.starts = starts
        self.hashCounts = hashCounts
        self.hexRuns = hexRuns
    }
}

/// Builds ``LogChunkFilters`` while the block writer fills chunks: tokens of
/// the current chunk are collected (one pass over each line also spots hex
/// runs), and each finished chunk's filter is encoded at once.
struct LogChunkFilterBuilder {
    private let falsePositiveRate: Double
    private var tokens = LogTokenHashSet()
    private var hexRun = false
    private var encoded = WALWriter()
    private var count = 0

    init(falsePositiveRate: Double) { self.falsePositiveRate = falsePositiveRate }

    /// Files the tokens of `line` (UTF-8); calls `movable` with the range
    /// (in `line`) of each token the chunk may keep out of its compressed
    /// text, and whether it is all decimal digits, and files it only if
    /// `movable` returns true (``LogTokenizer/scan(_:_:movable:)``).
    mutating func add(line: UnsafeBufferPointer<UInt8>, movable: (Range<Int>, Bool) -> Bool) {
        LogTokenizer.scan(line, { hash, isHexRun in
            tokens.insert(hash)
            if isHexRun { hexRun = true }
        }, movable: movable)
    }

    /// Files trace id `id` (a record's id or a trace-id metadata value).
    mutating func add(traceID id: TraceID) {
        if !id.isZero { tokens.insert(LogChunkFilters.hash(of: id)) }
    }

    /// Ends the current chunk's filter.
    mutating func finishChunk() {
        var bloom = BloomFilter(expectedCount: tokens.count, falsePositiveRate: falsePositiveRate)
        bloom.insertAll(tokens.forEach)
        encoded.writeByte(hexRun ? 1 : 0)
        bloom.encoded().withUnsafeBytes { encoded.appendRaw($0) }
        tokens.removeAll()
        hexRun = false
        count += 1
    }

    /// The section's bytes.
    func section() -> [UInt8] {
        var w = WALWriter(reservingCapacity: encoded.bytes.count + 5)
        w.writeCount(count)
        return w.bytes + encoded.bytes
    }
}
