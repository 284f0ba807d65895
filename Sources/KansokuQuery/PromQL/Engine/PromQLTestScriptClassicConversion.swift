import KansokuModel

/// `load_with_nhcb`: each classic histogram (`x_bucket{le=…}`, `x_count`,
/// `x_sum` with the same other labels) also becomes one native histogram
/// series `x{…}` with custom buckets, sample by sample, as Prometheus's
/// test loader does.
enum PromQLTestScriptClassicConversion {
    private struct Family {
        var buckets: [(le: Double, values: [PromQLTestScriptValue?])] = []
        var count: [PromQLTestScriptValue?]?
        var sum: [PromQLTestScriptValue?]?
    }

    /// The converted series for every classic histogram among `series`.
    static func convert(_ series: [(PromQLLabels, [PromQLTestScriptValue?])]) -> [(PromQLLabels, [PromQLTestScriptValue?])] {
        var families: [PromQLLabels: Family] = [:]
        var order: [PromQLLabels] = []
        for (labels, values) in series {
            guard let name = labels.metricName else { continue }
            for suffix in ["_bucket", "_count", "_sum"] where name.hasSuffix(suffix) {
                let base = labels.removing(["le"]).setting(PromQLLabelMatcher.metricNameLabel, to: String(name.dropLast(suffix.count)))
                if families[base] == nil { order.append(base) }
                switch suffix {
                case "_bucket":
                    guard let text = labels["le"], let le = PromQLTestScriptValues.parseNumber(text) else { continue }
                    families[base, default: Family()].buckets.append((le, values))
                case "_count": families[base, default: Family()].count = values
                default: families[base, default: Family()].sum = values
                }
            }
        }
        return order.compactMap { base in
            guard let family = families[base], !family.buckets.isEmpty else { return nil }
            return (base, convert(family))
        }
    }

    private static func convert(_ family: Family) -> [PromQLTestScriptValue?] {
        let buckets = family.buckets.sorted { $0.le < $1.le }
        let bounds = buckets.map(\.le).filter { $0 != .infinity }
        let length = buckets.map(\.values.count).max() ?? 0
        return (0..<length).map { i -> PromQLTestScriptValue? in
            var cumulative: [Double] = []
            for bucket in buckets {
                guard i < bucket.values.count, let v = bucket.values[i]?.float else { return nil }
                if PromQLStaleness.isMarker(v) { return .float(v) }
                cumulative.append(v)
            }
            // Without a +Inf bucket the last finite bound closes the histogram.
            if buckets.last?.le != .infinity { cumulative.append(cumulative.last ?? 0) }
            var counts: [Double] = []
            var previous = 0.0
            for c in cumulative {
                counts.append(c - previous)
                previous = c
            }
            let count = value(family.count, i) ?? cumulative.last ?? 0
            let histogram = NativeHistogram(schema: NativeHistogram.customBucketsSchema, count: count, sum: value(family.sum, i) ?? 0,
                                            positiveSpans: [.init(offset: 0, length: UInt32(counts.count))],
                                            positiveBuckets: counts, customValues: bounds)
            return .histogram(histogram)
        }
    }

    private static func value(_ values: [PromQLTestScriptValue?]?, _ i: Int) -> Double? {
        guard let values, i < values.count else { return nil }
        return values[i]?.float
    }
}
