import Foundation
import KansokuModel
import Synchronization

/// The persisted blocks of the metric store, oldest first: opened from the
/// blocks directory at start, added to when the head is cut, replaced when
/// blocks are merged, shrunk by retention. Readers get a snapshot array, so
/// a query keeps using the blocks it started with even if they are replaced
/// meanwhile (an open reader keeps its file descriptor).
final class MetricBlockSet: Sendable {
    let directory: String
    private let readers: Mutex<[MetricBlockReader]>

    /// Opens every block in `directory` (creating it if needed). A block that
    /// does not open is an error naming it: silently serving partial data is worse.
    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var opened: [MetricBlockReader] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where name.hasSuffix(".kmb") {
            opened.append(try MetricBlockReader(path: "\(directory)/\(name)"))
        }
        readers = Mutex(opened.sorted { $0.meta.minTime < $1.meta.minTime })
    }

    var all: [MetricBlockReader] { readers.withLock { $0 } }

    /// Blocks whose time range meets `[start, end]`.
    func overlapping(start: Int64, end: Int64) -> [MetricBlockReader] {
        all.filter { $0.meta.minTime <= end && $0.meta.maxTime >= start }
    }

    /// The newest time any block covers, nil without blocks.
    var maxTime: Int64? { all.map(\.meta.maxTime).max() }

    func add(_ reader: MetricBlockReader) {
        readers.withLock { list in
            list.append(reader)
            list.sort { $0.meta.minTime < $1.meta.minTime }
        }
    }

    /// Swaps `old` blocks for `new` (a merge), then deletes the old files.
    func replace(_ old: [MetricBlockReader], with new: MetricBlockReader) throws {
        let doomed = Set(old.map(\.path))
        readers.withLock { list in
            list.removeAll { doomed.contains($0.path) }
            list.append(new)
            list.sort { $0.meta.minTime < $1.meta.minTime }
        }
        for path in doomed { try FileManager.default.removeItem(atPath: path) }
    }

    /// Deletes `victims` (retention).
    func remove(_ victims: [MetricBlockReader]) throws {
        let doomed = Set(victims.map(\.path))
        readers.withLock { $0.removeAll { doomed.contains($0.path) } }
        for path in doomed { try FileManager.default.removeItem(atPath: path) }
    }
}
