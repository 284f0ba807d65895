import KansokuModel

/// A range function over a plain range selector, evaluated for every step
/// of a range query at once, series by series (`rate(x[5m])` from 1 h ago to
/// now, step 1 m): each series' window slides across the steps with two
/// cursors instead of two binary searches and a slice at every step. The
/// evaluator then reads a step's values from here.
///
/// Only for floats: a series with native histograms is evaluated step by
/// step as before (``PromQLStepValues/init`` returns nil).
struct PromQLStepValues {
    /// Per series: labels, then one value per step (flat, series-major).
    let labels: [PromQLLabels]
    private let values: [Double]
    private let present: [Bool]
    let steps: Int

    /// The most series × steps held, so a huge query falls back to step by
    /// step evaluation instead of holding every value at once.
    static let maxCells = 4_000_000

    /// Series per part when the series are split among the cores.
    static let minimumSeriesPerPart = 128

    /// - Parameters:
    ///   - function: one of ``PromQLRangeFunctions/names``.
    ///   - references: the read time of every step (after `offset`/`@`), ascending.
    ///   - range: the window length in ms.
    init?(function: String, series: [PromQLSeries], references: [Int64], range: Int64) {
        guard series.count * references.count <= Self.maxCells,
              series.allSatisfy({ $0.histograms.isEmpty }),
              zip(references, references.dropFirst()).allSatisfy({ $0 <= $1 }) else { return nil }
        steps = references.count
        labels = series.map(\.labels)
        // Series are independent: contiguous parts on every core, joined in order (the layout is series-major).
        let parts = ParallelParts.map(count: series.count, minimumPerPart: Self.minimumSeriesPerPart) { part in
            Self.evaluate(function, series[part], references: references, range: range)
        }
        values = parts.count == 1 ? parts[0].values : Array(parts.map(\.values).joined())
        present = parts.count == 1 ? parts[0].present : Array(parts.map(\.present).joined())
    }

    /// Values and presence of `series`, series-major.
    private static func evaluate(_ function: String, _ series: ArraySlice<PromQLSeries>, references: [Int64],
                                 range: Int64) -> (values: [Double], present: [Bool]) {
        let steps = references.count
        var values = [Double](repeating: 0, count: series.count * steps)
        var present = [Bool](repeating: false, count: series.count * steps)
        for (index, s) in zip(0..., series) {
            let samples = s.samples.contains { PromQLStaleness.isMarker($0.value) }
                ? s.samples.filter { !PromQLStaleness.isMarker($0.value) } : s.samples
            var lower = 0, upper = 0
            for (k, end) in references.enumerated() {
                let start = end - range
                while upper < samples.count, samples[upper].timestamp <= end { upper += 1 }
                while lower < upper, samples[lower].timestamp <= start { lower += 1 }
                guard lower < upper,
                      let value = PromQLRangeFunctions.evaluate(function, PromQLRangeFunctions.Window(samples: samples[lower..<upper], start: start, end: end))
                else { continue }
                values[index * steps + k] = value
                present[index * steps + k] = true
            }
        }
        return (values, present)
    }

    /// Calls `body` with the index and value of each series present at step `k`.
    func forEachValue(step k: Int, _ body: (_ series: Int, _ value: Double) -> Void) {
        for index in labels.indices where present[index * steps + k] {
            body(index, values[index * steps + k])
        }
    }

    /// The elements of step `k`.
    func elements(step k: Int, at t: Int64, dropName: Bool) -> [PromQLElement] {
        var out: [PromQLElement] = []
        out.reserveCapacity(labels.count)
        for index in labels.indices where present[index * steps + k] {
            out.append(PromQLElement(labels: labels[index], value: values[index * steps + k], timestamp: t, dropName: dropName))
        }
        return out
    }
}

/// Identifies a cached ``PromQLStepValues``: the function and its selector.
struct PromQLStepValuesKey: Hashable {
    var function: String
    var selector: PromQLMatrixSelector
}
