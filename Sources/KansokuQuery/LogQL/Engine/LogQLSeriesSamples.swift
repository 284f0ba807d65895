/// One series' samples of a range aggregation, ascending by time once
/// ``seal()``ed (ties keep their extraction order).
struct LogQLSeriesSamples {
    private(set) var timestamps: [Int64] = []
    private(set) var values: [Double] = []
    private var isSorted = true

    mutating func append(_ timestamp: Int64, _ value: Double) {
        if let last = timestamps.last, timestamp < last { isSorted = false }
        timestamps.append(timestamp)
        values.append(value)
    }

    /// Appends `other`'s samples after these.
    mutating func append(contentsOf other: LogQLSeriesSamples) {
        if let last = timestamps.last, let first = other.timestamps.first, first < last { isSorted = false }
        if !other.isSorted { isSorted = false }
        timestamps += other.timestamps
        values += other.values
    }

    /// Sorts by time (stable), when samples arrived out of order.
    mutating func seal() {
        guard !isSorted else { return }
        let order = timestamps.indices.sorted { (timestamps[$0], $0) < (timestamps[$1], $1) }
        timestamps = order.map { timestamps[$0] }
        values = order.map { values[$0] }
        isSorted = true
    }

    var isEmpty: Bool { timestamps.isEmpty }
}

/// The steps of a metric query: `start, start + step, …` (`count` of them).
struct LogQLSteps {
    let start: Int64
    let step: Int64
    let count: Int

    init(start: Int64, end: Int64, step: Int64) {
        self.start = start
        self.step = max(1, step)
        self.count = end < start ? 0 : Int((end - start) / self.step) + 1
    }

    func time(_ index: Int) -> Int64 { start + Int64(index) * step }

    func index(of time: Int64) -> Int? {
        guard time >= start, (time - start) % step == 0 else { return nil }
        let index = Int((time - start) / step)
        return index < count ? index : nil
    }

    /// The first step whose time is at or after `time`.
    func firstIndex(atOrAfter time: Int64) -> Int {
        let distance = time - start
        return distance <= 0 ? 0 : Int((distance + step - 1) / step)
    }
}
