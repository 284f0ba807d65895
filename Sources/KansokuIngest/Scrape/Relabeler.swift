import KansokuModel

/// Applies a list of relabel configs with Prometheus's semantics
/// (`model/relabel` `Process`): each step sees the labels the previous one
/// left; `keep`/`drop`/`keepequal`/`dropequal` may drop the whole set.
public struct Relabeler: Sendable {
    public let configs: [RelabelConfig]

    public init(_ configs: [RelabelConfig]) { self.configs = configs }

    /// The relabeled set, or nil when a step dropped it. Labels whose value
    /// becomes empty are removed (empty means absent).
    public func process(_ labels: SeriesLabels) -> SeriesLabels? {
        var builder: [String: String] = [:]
        for label in labels.labels { builder[label.name] = label.value }
        guard process(&builder) else { return nil }
        return SeriesLabels(builder.map { ($0.key, $0.value) })
    }

    /// Relabels a label map in place; false when it was dropped.
    public func process(_ labels: inout [String: String]) -> Bool {
        for config in configs where !Self.apply(config, to: &labels) { return false }
        return true
    }

    /// One step; false when the set is dropped.
    static func apply(_ config: RelabelConfig, to labels: inout [String: String]) -> Bool {
        let value = config.sourceLabels.map { labels[$0] ?? "" }.joined(separator: config.separator)
        switch config.action {
        case .drop:
            if config.regex.matches(value) { return false }
        case .keep:
            if !config.regex.matches(value) { return false }
        case .dropequal:
            if (labels[config.targetLabel] ?? "") == value { return false }
        case .keepequal:
            if (labels[config.targetLabel] ?? "") != value { return false }
        case .replace:
            guard let match = config.regex.match(value) else { break }
            let target = match.expand(config.targetLabel)
            guard Self.isValidLabelName(target) else { break }
            let result = match.expand(config.replacement)
            set(&labels, target, result)
        case .lowercase:
            set(&labels, config.targetLabel, value.lowercased())
        case .uppercase:
            set(&labels, config.targetLabel, value.uppercased())
        case .hashmod:
            let digest = MD5.digest(Array(value.utf8))
            var tail: UInt64 = 0
            for byte in digest[8..<16] { tail = tail << 8 | UInt64(byte) }
            set(&labels, config.targetLabel, String(tail % config.modulus))
        case .labelmap:
            for (name, labelValue) in labels {
                guard let match = config.regex.match(name) else { continue }
                set(&labels, match.expand(config.replacement), labelValue)
            }
        case .labeldrop:
            for name in labels.keys where config.regex.matches(name) { labels[name] = nil }
        case .labelkeep:
            for name in labels.keys where !config.regex.matches(name) { labels[name] = nil }
        }
        return true
    }

    private static func set(_ labels: inout [String: String], _ name: String, _ value: String) {
        labels[name] = value.isEmpty ? nil : value
    }

    /// Whether `name` is a valid (legacy) Prometheus label name, `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return name.utf8.allSatisfy { b in
            b == 0x5F || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
        }
    }
}
