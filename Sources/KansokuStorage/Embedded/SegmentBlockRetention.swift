import Foundation

/// Which blocks retention deletes, for stores that write one block per WAL
/// segment (traces, logs): blocks that are empty or whose newest data is
/// older than the cutoff, then the oldest — segment numbers grow with time —
/// while the rest take more than the byte limit.
enum SegmentBlockRetention {
    struct Block {
        let segment: UInt64
        /// Newest data time in the block (ns).
        let newest: UInt64
        let isEmpty: Bool
        let path: String
    }

    static func victims(_ blocks: [Block], cutoff: UInt64?, maxBytes: Int64?) throws -> Set<UInt64> {
        var doomed = Set<UInt64>()
        if let cutoff {
            for block in blocks where block.isEmpty || block.newest < cutoff { doomed.insert(block.segment) }
        }
        if let maxBytes {
            let kept = blocks.filter { !doomed.contains($0.segment) }.sorted { $0.segment < $1.segment }
            var total = try kept.reduce(Int64(0)) { $0 + (try fileSize($1.path)) }
            for block in kept where total > maxBytes {
                total -= try fileSize(block.path)
                doomed.insert(block.segment)
            }
        }
        return doomed
    }

    static func fileSize(_ path: String) throws -> Int64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
    }
}
