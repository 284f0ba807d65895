import KansokuModel

/// Sorted label lists, the building blocks of translated series identities.
///
/// Lists are kept sorted by name with unique names so that layering (point
/// attributes, then scope and job/instance labels, then `__name__`/`le`) is a
/// linear merge rather than a sort per sample.
enum PrometheusLabelList {
    /// Attributes as labels: names sanitised, values as text, sorted by name.
    /// Keys that sanitise to the same name have their values joined with `;`
    /// in the lexicographical order of the original keys, as the spec asks.
    /// Keys in `excluding` and keys with no usable label name are left out.
    static func fromAttributes(_ attributes: [Attribute], excluding: Set<String> = [], prefix: String = "") -> [SeriesLabel] {
        guard !attributes.isEmpty else { return [] }
        var entries: [(name: String, key: String, index: Int, value: String)] = []
        entries.reserveCapacity(attributes.count)
        for (index, attribute) in attributes.enumerated() where excluding.isEmpty || !excluding.contains(attribute.key) {
            guard let name = PrometheusLabelName.sanitize(prefix + attribute.key) else { continue }
            entries.append((name, attribute.key, index, OTLPAttributeText.string(attribute.value)))
        }
        // Name first so collisions sit together, then original key (the spec's
        // order), then position so repeated keys stay deterministic.
        entries.sort { a, b in
            if a.name != b.name { return a.name < b.name }
            if a.key != b.key { return a.key < b.key }
            return a.index < b.index
        }
        var labels: [SeriesLabel] = []
        labels.reserveCapacity(entries.count)
        for entry in entries {
            if let last = labels.last, last.name == entry.name {
                // As Prometheus: an empty earlier value counts as absent.
                labels[labels.count - 1].value = last.value.isEmpty ? entry.value : last.value + ";" + entry.value
            } else {
                labels.append(SeriesLabel(name: entry.name, value: entry.value))
            }
        }
        return labels
    }

    /// `base` with `overrides` laid over it (an override replaces a base label
    /// of the same name); both sorted with unique names. Empty values are
    /// dropped from the result, since an empty value means "absent".
    static func merge(_ base: [SeriesLabel], _ overrides: [SeriesLabel]) -> [SeriesLabel] {
        var out: [SeriesLabel] = []
        out.reserveCapacity(base.count + overrides.count)
        var i = 0, j = 0
        while i < base.count || j < overrides.count {
            let label: SeriesLabel
            if j == overrides.count {
                label = base[i]; i += 1
            } else if i == base.count {
                label = overrides[j]; j += 1
            } else if base[i].name == overrides[j].name {
                label = overrides[j]; i += 1; j += 1
            } else if base[i].name < overrides[j].name {
                label = base[i]; i += 1
            } else {
                label = overrides[j]; j += 1
            }
            if !label.value.isEmpty { out.append(label) }
        }
        return out
    }

    /// `base` with the metric name and at most one more label (`le`,
    /// `quantile`) laid over it, as a finished identity.
    static func series(_ base: [SeriesLabel], name: String, extra: SeriesLabel? = nil) -> SeriesLabels {
        var overrides = [SeriesLabel(name: SeriesLabels.metricName, value: name)]
        if let extra {
            if extra.name < SeriesLabels.metricName { overrides.insert(extra, at: 0) } else { overrides.append(extra) }
        }
        return SeriesLabels(sorted: merge(base, overrides))
    }
}
