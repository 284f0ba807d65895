import KansokuModel

/// Averages the way upstream does: a compensated direct sum divided by the
/// count, switching to an incremental mean only if the sum would overflow.
struct PromQLMean {
    private var value: Double
    private var compensation: Double = 0
    private var mean: Double = 0
    private var incremental = false
    private(set) var count: Double = 1

    init(_ first: Double) { value = first }

    mutating func add(_ f: Double) {
        count += 1
        if !incremental {
            let (newValue, newC) = CompensatedSum.add(f, to: value, compensation: compensation)
            if !newValue.isInfinite {
                (value, compensation) = (newValue, newC)
                return
            }
            incremental = true
            mean = value / (count - 1)
            compensation /= count - 1
        }
        let q = (count - 1) / count
        (mean, compensation) = CompensatedSum.add(f / count, to: q * mean, compensation: q * compensation)
    }

    var result: Double { incremental ? mean + compensation : value / count + compensation / count }
}
