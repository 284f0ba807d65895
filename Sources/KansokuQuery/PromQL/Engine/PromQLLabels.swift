/// One `name="value"` pair of a series' label set.
public struct PromQLLabel: Sendable, Hashable {
    /// The label name (`__name__` holds the metric name).
    public var name: String
    /// The label value; never empty inside a ``PromQLLabels`` (an empty
    /// value means "label absent" in Prometheus).
    public var value: String

    /// Creates a label.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A label set kept sorted by label name, as Prometheus's `labels.Labels`.
///
/// Sorting once on construction makes equality, hashing and ordering cheap
/// and deterministic, which the evaluator relies on for grouping and for the
/// label-set ordering of range-query results.
public struct PromQLLabels: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The labels in ascending name order, without empty values.
    public let labels: [PromQLLabel]
    /// A hash of the labels computed once: queries hash the same label sets
    /// at every step (grouping, duplicate checks), and hashing every string
    /// each time dominated range queries.
    private let fingerprint: UInt64

    /// The empty label set.
    public static let empty = PromQLLabels(sorted: [])

    /// Creates a label set from pairs in any order; empty values are dropped.
    public init(_ pairs: [(String, String)]) {
        var unique: [String: String] = [:]
        for (name, value) in pairs { unique[name] = value }
        self.init(dictionary: unique)
    }

    /// Creates a label set from a dictionary; empty values are dropped.
    public init(dictionary: [String: String]) {
        self.init(sorted: dictionary.filter { !$0.value.isEmpty }.map { PromQLLabel(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name })
    }

    /// Wraps labels that are already sorted by name, unique and non-empty
    /// (as a store returns them); the caller guarantees it.
    public init(sorted: [PromQLLabel]) {
        labels = sorted
        fingerprint = PromQLLabels.fingerprint(of: sorted)
    }

    /// FNV-1a over the names and values, each followed by a byte that cannot
    /// occur in UTF-8 so `a="bc"` and `ab="c"` differ.
    private static func fingerprint(of labels: [PromQLLabel]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for label in labels {
            for byte in label.name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            hash = (hash ^ 0xff) &* 0x0000_0100_0000_01b3
            for byte in label.value.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            hash = (hash ^ 0xff) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    public static func == (a: PromQLLabels, b: PromQLLabels) -> Bool {
        guard a.fingerprint == b.fingerprint else { return false }
        // Range queries look up the same series' label set at every step:
        // copies of one array share storage, so equal sets are usually found
        // without comparing strings.
        let shared = a.labels.withUnsafeBufferPointer { x in
            b.labels.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress && x.count == y.count }
        }
        return shared || a.labels == b.labels
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fingerprint)
    }

    /// Whether both are copies of one label array (so equal without
    /// comparing anything): a cheap check for "the same series as before".
    func sharesStorage(with other: PromQLLabels) -> Bool {
        fingerprint == other.fingerprint && labels.withUnsafeBufferPointer { x in
            other.labels.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress && x.count == y.count }
        }
    }

    /// The value of `name`, or `nil` when absent.
    public subscript(name: String) -> String? {
        for label in labels where label.name == name { return label.value }
        return nil
    }

    /// The metric name (`__name__`), if any.
    public var metricName: String? { self[PromQLLabelMatcher.metricNameLabel] }

    /// Whether the set has no labels.
    public var isEmpty: Bool { labels.isEmpty }

    /// A copy with `name` set to `value`; an empty value removes the label.
    public func setting(_ name: String, to value: String) -> PromQLLabels {
        var copy = labels.filter { $0.name != name }
        if !value.isEmpty {
            let index = copy.firstIndex { $0.name > name } ?? copy.count
            copy.insert(PromQLLabel(name: name, value: value), at: index)
        }
        return PromQLLabels(sorted: copy)
    }

    /// A copy without the named labels.
    public func removing(_ names: some Collection<String>) -> PromQLLabels {
        PromQLLabels(sorted: labels.filter { !names.contains($0.name) })
    }

    /// A copy with only the named labels.
    public func keeping(_ names: some Collection<String>) -> PromQLLabels {
        PromQLLabels(sorted: labels.filter { names.contains($0.name) })
    }

    /// A copy without `__name__`.
    public var droppingMetricName: PromQLLabels { removing([PromQLLabelMatcher.metricNameLabel]) }

    /// A copy without `__name__`, `__type__` and `__unit__`: the labels
    /// Prometheus drops together with the name when an operation changes a
    /// series' meaning (`schema.IsMetadataLabel`).
    public var droppingMetadata: PromQLLabels {
        // Runs for every series at every step of a range query: no set lookups, no copy when there is nothing to drop.
        func isMetadata(_ name: String) -> Bool { name == "__name__" || name == "__type__" || name == "__unit__" }
        guard labels.contains(where: { isMetadata($0.name) }) else { return self }
        return PromQLLabels(sorted: labels.filter { !isMetadata($0.name) })
    }

    /// Prometheus's `labels.Compare`: pairwise by name, then value, then length.
    public static func < (a: PromQLLabels, b: PromQLLabels) -> Bool {
        for (x, y) in zip(a.labels, b.labels) {
            if x.name != y.name { return x.name < y.name }
            if x.value != y.value { return x.value < y.value }
        }
        return a.labels.count < b.labels.count
    }

    /// `{a="1", b="2"}`, the form Prometheus's `labels.Labels.String()` prints
    /// (error messages quote label sets this way).
    public var description: String {
        "{" + labels.map { "\(PromQLLabelMatcher.formatLabelName($0.name))=\(PromQLStringLiteral.quote($0.value))" }.joined(separator: ", ") + "}"
    }
}
