/// The first `limit` processed entries of a log query in output order,
/// kept in a bounded heap while runs are read (the whole result is never
/// materialised), and the test that lets the reader stop early: once the
/// selection is full, an entry whose timestamp comes strictly after the
/// worst kept one can never enter.
///
/// Output order: by timestamp in `direction`; ties by the labels after the
/// pipeline, then by stored order (stream labels, then position in the
/// stream), reversed for `.backward`.
struct LogQLEntrySelection {
    struct Row {
        var labels: LogQLLabels
        var entry: LogQLEntry
        /// Where the entry is stored: its stream, and its run and index there.
        var stream: LogQLLabels
        var position: (runStart: Int64, run: Int, index: Int)
    }

    let direction: LogQLDirection
    /// `nil`: keep every entry.
    let limit: Int?
    /// A binary heap whose root is the row that comes last in output order.
    private var heap: [Row] = []

    init(direction: LogQLDirection, limit: Int) {
        self.direction = direction
        self.limit = limit > 0 ? limit : nil
    }

    private var isFull: Bool { limit.map { heap.count >= $0 } ?? false }

    /// Whether an entry at `timestamp` could still be kept.
    func admits(_ timestamp: Int64) -> Bool {
        guard isFull, let worst = heap.first?.entry.timestamp else { return true }
        return direction == .forward ? timestamp <= worst : timestamp >= worst
    }

    /// Whether a run spanning `[minTime, maxTime]` could still contribute.
    func admits(runFrom minTime: Int64, to maxTime: Int64) -> Bool {
        admits(direction == .forward ? minTime : maxTime)
    }

    mutating func insert(_ row: Row) {
        if let limit, heap.count >= limit {
            guard precedes(row, heap[0]) else { return }
            heap[0] = row
            siftDown(0)
        } else {
            heap.append(row)
            siftUp(heap.count - 1)
        }
    }

    /// The kept rows in output order.
    func rows() -> [Row] { heap.sorted(by: precedes) }

    /// Whether `a` comes before `b` in the output.
    private func precedes(_ a: Row, _ b: Row) -> Bool {
        let forward = direction == .forward
        if a.entry.timestamp != b.entry.timestamp {
            return forward ? a.entry.timestamp < b.entry.timestamp : a.entry.timestamp > b.entry.timestamp
        }
        if a.labels != b.labels { return a.labels < b.labels }
        if a.stream != b.stream { return forward == (a.stream < b.stream) }
        return forward ? a.position < b.position : a.position > b.position
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(heap[parent], heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            var last = parent
            for child in [2 * parent + 1, 2 * parent + 2] where child < heap.count && precedes(heap[last], heap[child]) {
                last = child
            }
            if last == parent { return }
            heap.swapAt(parent, last)
            parent = last
        }
    }
}
