/// Vector aggregations (`sum by (x) (...)`, `topk(3, ...)`, `sort(...)`),
/// with Prometheus semantics: `by` keeps only the listed labels, `without`
/// removes them; `topk`/`bottomk` keep the original series labels.
enum LogQLVectorAggregator {
    static func aggregate(_ agg: LogQLVectorAggregation, _ samples: [LogQLSample],
                          at t: Int64) throws(LogQLEvaluationError) -> [LogQLSample] {
        switch agg.operation {
        case .sort: return samples.sorted { $0.value != $1.value ? $0.value < $1.value : $0.labels < $1.labels }
        case .sortDesc: return samples.sorted { $0.value != $1.value ? $0.value > $1.value : $0.labels < $1.labels }
        default: break
        }
        var groups: [LogQLLabels: [LogQLSample]] = [:]
        for sample in samples { groups[groupLabels(sample.labels, agg.grouping), default: []].append(sample) }
        var out: [LogQLSample] = []
        for (labels, members) in groups {
            let values = members.map(\.value)
            let value: Double
            switch agg.operation {
            case .sum: value = values.reduce(0, +)
            case .avg: value = values.reduce(0, +) / Double(values.count)
            case .min: value = values.min()!
            case .max: value = values.max()!
            case .count: value = Double(values.count)
            case .stdvar: value = LogQLMetricEvaluator.variance(values)
            case .stddev: value = LogQLMetricEvaluator.variance(values).squareRoot()
            case .topk, .bottomk:
                let k = agg.parameter ?? 0
                let ordered = members.sorted { a, b in
                    if a.value != b.value { return agg.operation == .topk ? a.value > b.value : a.value < b.value }
                    return a.labels < b.labels
                }
                out += ordered.prefix(max(0, k)).map { LogQLSample(labels: $0.labels, timestamp: t, value: $0.value) }
                continue
            case .sort, .sortDesc: continue
            }
            out.append(LogQLSample(labels: labels, timestamp: t, value: value))
        }
        return out
    }

    static func groupLabels(_ labels: LogQLLabels, _ grouping: LogQLGrouping?) -> LogQLLabels {
        guard let grouping else { return LogQLLabels() }
        return grouping.without ? labels.removing(Set(grouping.labels)) : labels.keeping(Set(grouping.labels))
    }
}
