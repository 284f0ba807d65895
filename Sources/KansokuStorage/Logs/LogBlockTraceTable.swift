import KansokuModel

/// A block's decoded trace index (``LogBlockTraceIndex``) in flat arrays:
/// ids ascending, found by binary search. Decoding allocates four arrays
/// however many ids the block has, so a block with a trace id per line opens
/// its index in a few milliseconds.
struct LogBlockTraceTable: Sendable {
    private let highs: [UInt64]
    private let lows: [UInt64]
    /// Chunks of id `i` are `chunkList[starts[i]..<starts[i + 1]]`.
    private let starts: [Int32]
    private let chunkList: [Int32]

    /// Ids in the table.
    var count: Int { highs.count }

    /// Chunks holding `id`, ascending; nil when the id is not in the index.
    subscript(id: TraceID) -> [Int]? {
        var lo = 0, hi = highs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if (highs[mid], lows[mid]) < (id.high, id.low) { lo = mid + 1 } else { hi = mid }
        }
        guard lo < highs.count, highs[lo] == id.high, lows[lo] == id.low else { return nil }
        return chunkList[Int(starts[lo])..<Int(starts[lo + 1])].map(Int.init)
    }

    /// Decodes and validates (ids strictly ascending, chunks strictly
    /// ascending and below `chunkCount`, no trailing bytes).
    init(decoding bytes: [UInt8], chunkCount: Int, path: String) throws(LogBlockError) {
        var r = WALReader(bytes)
        var highs: [UInt64] = [], lows: [UInt64] = [], starts: [Int32] = [0], chunkList: [Int32] = []
        do throws(WALDecodingError) {
            let count = try r.readCount(minimumElementSize: 17)
            highs.reserveCapacity(count)
            lows.reserveCapacity(count)
            starts.reserveCapacity(count + 1)
            chunkList.reserveCapacity(count)
            for index in 0..<count {
                let high = try r.readFixed64(), low = try r.readFixed64()
                if index > 0, !((highs[index - 1], lows[index - 1]) < (high, low)) {
                    throw r.failure(.invalidTag(field: "trace id order", value: 0))
                }
                highs.append(high)
                lows.append(low)
                let n = try r.readCount(minimumElementSize: 1)
                var chunk = 0
                for i in 0..<n {
                    let delta = try r.readInt()
                    if i > 0 && delta == 0 { throw r.failure(.invalidTag(field: "chunk order", value: 0)) }
                    chunk += delta
                    guard chunk < chunkCount else {
                        throw r.failure(.valueOutOfRange(value: UInt64(chunk), maximum: UInt64(max(0, chunkCount - 1))))
                    }
                    chunkList.append(Int32(chunk))
                }
                starts.append(Int32(chunkList.count))
            }
            guard r.isAtEnd else { throw r.failure(.trailingBytes(count: r.remaining)) }
        } catch {
            throw .malformed(path: path, section: LogBlockSection.traceIndex.name, detail: error.description)
        }
        self.highs = highs
        self.lows = lows
        self.starts = starts
        self.chunkList = chunkList
    }
}
