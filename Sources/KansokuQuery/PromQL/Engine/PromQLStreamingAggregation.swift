/// `sum`, `avg`, `count`, `group`, `min` and `max` folded as the members
/// arrive, one accumulator per group, instead of collecting each group's
/// values first: a range query aggregates at every step. Compensated sums
/// and means as upstream; `min`/`max` let a NaN lose to any number.
struct PromQLStreamingAggregation {
    static let operators: Set<PromQLAggregationOperator> = [.sum, .avg, .count, .group, .min, .max]

    private let op: PromQLAggregationOperator
    private var sums: [PromQLKahanSum] = []
    private var means: [PromQLMean] = []
    private var extremes: [Double] = []
    private var counts: [Int]
    private var dropNames: [Bool]

    init(_ op: PromQLAggregationOperator, groups: Int) {
        self.op = op
        counts = [Int](repeating: 0, count: groups)
        dropNames = [Bool](repeating: false, count: groups)
        switch op {
        case .sum: sums = [PromQLKahanSum](repeating: PromQLKahanSum(), count: groups)
        case .avg: means = [PromQLMean](repeating: PromQLMean(0), count: groups)
        case .min, .max: extremes = [Double](repeating: 0, count: groups)
        default: break
        }
    }

    mutating func add(_ value: Double, group i: Int, dropName: Bool) {
        let first = counts[i] == 0
        counts[i] += 1
        if dropName { dropNames[i] = true }
        switch op {
        case .sum: if first { sums[i] = PromQLKahanSum(value) } else { sums[i].add(value) }
        case .avg: if first { means[i] = PromQLMean(value) } else { means[i].add(value) }
        case .min:
            let current = extremes[i]
            extremes[i] = first || current > value || current.isNaN ? value : current
        case .max:
            let current = extremes[i]
            extremes[i] = first || current < value || current.isNaN ? value : current
        default: break
        }
    }

    /// One element per group that received a member, in group order.
    func elements(_ groups: [PromQLLabels], at t: Int64) -> [PromQLElement] {
        groups.indices.compactMap { i in
            guard counts[i] > 0 else { return nil }
            let value: Double = switch op {
            case .sum: sums[i].value
            case .avg: means[i].result
            case .min, .max: extremes[i]
            case .count: Double(counts[i])
            default: 1
            }
            return PromQLElement(labels: groups[i], value: value, timestamp: t, dropName: dropNames[i])
        }
    }
}
