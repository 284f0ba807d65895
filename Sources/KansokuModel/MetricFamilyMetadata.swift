/// What a metric family is, as Prometheus's metadata API reports it.
public struct MetricFamilyMetadata: Sendable, Hashable {
    /// Prometheus metric types, spelled as the exposition format spells them.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown
    }

    /// The family name (for a histogram, without `_bucket`/`_sum`/`_count`).
    public var family: String
    public var kind: Kind
    public var help: String
    public var unit: String

    public init(family: String, kind: Kind, help: String = "", unit: String = "") {
        self.family = family
        self.kind = kind
        self.help = help
        self.unit = unit
    }
}
