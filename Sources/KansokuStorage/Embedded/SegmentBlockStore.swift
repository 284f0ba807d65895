import Foundation

/// A store that keeps one immutable block per closed write-ahead-log segment
/// (traces, logs). The compaction loop and the deletion of expired blocks are
/// the same for both; the block format is each store's own.
protocol SegmentBlockStore: AnyObject {
    associatedtype BlockReader
    var log: WriteAheadLog { get }
    /// Held for reading while a query walks blocks and WAL, for writing while
    /// blocks and segments change hands.
    var segmentsLock: ReadWriteLock { get }
    /// Runs `body` on the blocks by segment number, under their lock.
    func withBlocks<T>(_ body: (inout [UInt64: BlockReader]) -> T) -> T
    /// Writes the block of one closed segment atomically and opens it.
    func writeBlock(of segment: UInt64) throws -> BlockReader
    func path(of reader: BlockReader) -> String
}

extension SegmentBlockStore {
    /// Writes a block for every closed segment that has none, oldest first,
    /// and deletes each segment once its block is in place. Returns the new blocks.
    func compactClosedSegments() throws -> [(segment: UInt64, reader: BlockReader)] {
        var written: [(segment: UInt64, reader: BlockReader)] = []
        for segment in log.closedSegments {
            let reader = withBlocks({ $0[segment] }) == nil ? try writeBlock(of: segment) : nil
            try segmentsLock.withWriteLock { () throws in
                if let reader { withBlocks { $0[segment] = reader } }
                try log.removeSegments(before: WALPosition(segment: segment + 1, offset: 0))
            }
            if let reader { written.append((segment, reader)) }
        }
        return written
    }

    /// Forgets the blocks of `segments` and deletes their files.
    func deleteBlocks(_ segments: Set<UInt64>) throws {
        try segmentsLock.withWriteLock { () throws in
            for segment in segments.sorted() {
                guard let reader = withBlocks({ $0.removeValue(forKey: segment) }) else { continue }
                // Open readers keep their descriptor, so unlinking under the write lock is safe.
                try FileManager.default.removeItem(atPath: path(of: reader))
            }
        }
    }
}
