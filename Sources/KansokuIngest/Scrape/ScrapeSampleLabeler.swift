import KansokuModel

/// Gives scraped samples their final labels as Prometheus's
/// `mutateSampleLabels` does: target labels are attached (with
/// `honor_labels: false`, conflicting scraped labels are renamed
/// `exported_<name>`, repeatedly if needed; with `true`, scraped values
/// win), then `metric_relabel_configs` run.
struct ScrapeSampleLabeler: Sendable {
    let targetLabels: SeriesLabels
    let honorLabels: Bool
    let metricRelabeler: Relabeler

    /// The sample's final labels, or nil when metric relabeling dropped it
    /// (or left no metric name).
    func label(_ scraped: SeriesLabels) -> SeriesLabels? {
        var builder: [String: String] = [:]
        for label in scraped.labels { builder[label.name] = label.value }
        if honorLabels {
            for label in targetLabels.labels where (builder[label.name] ?? "").isEmpty {
                builder[label.name] = label.value
            }
        } else {
            var conflicting: [(String, String)] = []
            for label in targetLabels.labels {
                if let existing = builder[label.name], !existing.isEmpty { conflicting.append((label.name, existing)) }
                builder[label.name] = label.value
            }
            for (name, value) in conflicting {
                var exported = "exported_" + name
                while let taken = builder[exported], !taken.isEmpty { exported = "exported_" + exported }
                builder[exported] = value
            }
        }
        if !metricRelabeler.configs.isEmpty, !metricRelabeler.process(&builder) { return nil }
        guard let name = builder[SeriesLabels.metricName], !name.isEmpty else { return nil }
        return SeriesLabels(builder.map { ($0.key, $0.value) })
    }
}
