import KansokuModel

/// The sorted distinct trace ids of a block with the row each one starts at.
///
/// Stored uncompressed as fixed 20-byte entries (high:u64 low:u64 firstRow:u32,
/// little-endian): random ids do not compress, and a fixed width lets the
/// lookup binary-search the section bytes as they come off the disk. A
/// trace's span count is the next entry's first row minus its own.
struct TraceBlockTraceIndex: Sendable {
    static let entrySize = 20

    private let bytes: [UInt8]
    let count: Int
    let rowCount: Int

    static func encode(ids: [TraceID], firstRows: [Int]) -> [UInt8] {
        var w = WALWriter(reservingCapacity: ids.count * entrySize)
        for (id, row) in zip(ids, firstRows) {
            w.writeFixed64(id.high)
            w.writeFixed64(id.low)
            withUnsafeBytes(of: UInt32(row).littleEndian) { for b in $0 { w.writeByte(b) } }
        }
        return w.bytes
    }

    /// Checks size, order and row numbers once, so lookups can trust them.
    init(bytes: [UInt8], traceCount: Int, rowCount: Int, path: String) throws(TraceBlockError) {
        func malformed(_ detail: String) -> TraceBlockError {
            .malformed(path: path, section: TraceBlockSectionKind.traceIndex.name, detail: detail)
        }
        guard bytes.count == traceCount * Self.entrySize else {
            throw malformed("\(bytes.count) bytes for \(traceCount) traces")
        }
        self.bytes = bytes
        self.count = traceCount
        self.rowCount = rowCount
        for i in 0..<count {
            let row = firstRow(i)
            guard i == 0 ? row == 0 : (id(i - 1) < id(i) && firstRow(i - 1) < row), row < rowCount else {
                throw malformed("entry \(i) is out of order")
            }
        }
    }

    func id(_ i: Int) -> TraceID {
        bytes.withUnsafeBytes { raw in
            TraceID(high: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * Self.entrySize, as: UInt64.self)),
                    low: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * Self.entrySize + 8, as: UInt64.self)))
        }
    }

    func firstRow(_ i: Int) -> Int {
        bytes.withUnsafeBytes { raw in
            Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * Self.entrySize + 16, as: UInt32.self)))
        }
    }

    /// Rows of trace `i`.
    func rows(_ i: Int) -> Range<Int> {
        firstRow(i)..<(i + 1 < count ? firstRow(i + 1) : rowCount)
    }

    /// The entry of `id`, by binary search.
    func find(_ id: TraceID) -> Int? {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            let candidate = self.id(mid)
            if candidate == id { return mid }
            if candidate < id { low = mid + 1 } else { high = mid }
        }
        return nil
    }
}
