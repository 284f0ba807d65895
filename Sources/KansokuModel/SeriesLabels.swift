#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One `name="value"` pair of a time series' identity.
public struct SeriesLabel: Sendable, Hashable, Comparable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    // Byte-wise, as Prometheus compares labels: Swift's String equality would
    // treat canonically equivalent text ("é" precomposed or not) as one label.
    public static func == (a: SeriesLabel, b: SeriesLabel) -> Bool {
        sameBytes(a.name, b.name) && sameBytes(a.value, b.value)
    }

    /// Byte equality: lengths first, then one `memcmp` when both strings are
    /// contiguous (the generic `elementsEqual` walk cost a fifth of the
    /// remote-write ingest CPU in the head's series lookups).
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let fast: Bool?? = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0
            }
        }
        if case .some(.some(let equal)) = fast { return equal }
        return a.utf8.elementsEqual(b.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        SeriesLabel.hashBytes(name, into: &hasher)
        hasher.combine(0xFF as UInt8)  // never in UTF-8: separates name from value
        SeriesLabel.hashBytes(value, into: &hasher)
    }

    private static func hashBytes(_ text: String, into hasher: inout Hasher) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil { for byte in text.utf8 { hasher.combine(byte) } }
    }

    public static func < (a: SeriesLabel, b: SeriesLabel) -> Bool {
        let byName = compareBytes(a.name, b.name)
        return byName != 0 ? byName < 0 : compareBytes(a.value, b.value) < 0
    }

    /// Byte-wise order of two strings (negative, zero, positive), as Go
    /// compares strings; one `memcmp`-like pass when both are contiguous.
    static func compareBytes(_ a: String, _ b: String) -> Int {
        let fast: Int?? = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                for i in 0..<min(x.count, y.count) where x[i] != y[i] { return x[i] < y[i] ? -1 : 1 }
                return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
            }
        }
        if case .some(.some(let order)) = fast { return order }
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }
}

/// The identity of a time series: labels sorted by name, names unique, no
/// empty values (an empty value means "absent", as in Prometheus). The metric
/// name is the `__name__` label.
public struct SeriesLabels: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The label holding the metric name.
    public static let metricName = "__name__"

    /// The labels in ascending name order.
    public private(set) var labels: [SeriesLabel]
    /// ``LabelBytesHash`` of every name and value, computed once: the head
    /// looks series up by their labels for every sample written. Equal label
    /// sets have equal fingerprints within one process (the hash is seeded
    /// per process, so never store it).
    public let fingerprint: UInt64

    /// Creates a label set from pairs in any order. Empty values are dropped;
    /// for a repeated name the last value wins.
    public init(_ pairs: [(String, String)]) {
        var sorted = pairs.filter { !$0.1.isEmpty }.map { SeriesLabel(name: $0.0, value: $0.1) }
        sorted.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        // Stable sort keeps arrival order within a name; keep the last one.
        var unique: [SeriesLabel] = []
        unique.reserveCapacity(sorted.count)
        for label in sorted {
            if let last = unique.last, last.name.utf8.elementsEqual(label.name.utf8) { unique[unique.count - 1] = label } else { unique.append(label) }
        }
        labels = unique
        fingerprint = Self.fingerprint(of: unique)
    }

    /// Wraps labels already sorted by name, unique and non-empty (as decoded from storage).
    public init(sorted: [SeriesLabel]) {
        labels = sorted
        fingerprint = Self.fingerprint(of: sorted)
    }

    private static func fingerprint(of labels: [SeriesLabel]) -> UInt64 {
        var state = LabelBytesHash.seed
        for label in labels {
            state = LabelBytesHash.combine(state, label.name)
            state = LabelBytesHash.combine(state, label.value)
        }
        return state
    }

    public static func == (a: SeriesLabels, b: SeriesLabels) -> Bool {
        // Array equality starts with a same-storage check: a label set
        // reused from a cache compares without reading a byte.
        a.fingerprint == b.fingerprint && a.labels == b.labels
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fingerprint)
    }

    /// The value of `name`, or nil when absent.
    public subscript(name: String) -> String? {
        for label in labels where label.name == name { return label.value }
        return nil
    }

    /// The metric name, if any.
    public var name: String? { self[SeriesLabels.metricName] }

    public var isEmpty: Bool { labels.isEmpty }

    public static func < (a: SeriesLabels, b: SeriesLabels) -> Bool {
        // Prometheus's labels.Compare: pairwise by name then value, shorter first.
        for (x, y) in zip(a.labels, b.labels) {
            let byName = SeriesLabel.compareBytes(x.name, y.name)
            if byName != 0 { return byName < 0 }
            let byValue = SeriesLabel.compareBytes(x.value, y.value)
            if byValue != 0 { return byValue < 0 }
        }
        return a.labels.count < b.labels.count
    }

    public var description: String {
        var text = name ?? ""
        let rest = labels.filter { $0.name != SeriesLabels.metricName }
        if !rest.isEmpty || text.isEmpty {
            text += "{" + rest.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
        }
        return text
    }
}
