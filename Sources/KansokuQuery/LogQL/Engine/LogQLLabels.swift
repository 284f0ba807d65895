/// One `name="value"` pair (a label or a structured-metadata entry).
public struct LogQLLabel: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Label name.
    public var name: String
    /// Label value.
    public var value: String

    /// Creates a pair.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.name != rhs.name ? lhs.name < rhs.name : lhs.value < rhs.value
    }

    public var description: String { "\(name)=\(LogQLStringLiteral.quote(value))" }
}

/// A label set: unique names, kept sorted by name (Prometheus' canonical order).
public struct LogQLLabels: Sendable, Hashable, Comparable, CustomStringConvertible,
    ExpressibleByDictionaryLiteral, Sequence {
    /// The pairs, sorted by name, names unique.
    public private(set) var pairs: [LogQLLabel]

    /// The empty set.
    public init() { pairs = [] }

    /// Builds a set from pairs; a later duplicate name wins.
    public init(_ pairs: [LogQLLabel]) {
        var byName: [String: String] = [:]
        for pair in pairs { byName[pair.name] = pair.value }
        self.pairs = byName.map { LogQLLabel($0.key, $0.value) }.sorted()
    }

    /// A set from pairs already sorted by name, names unique.
    init(sortedUniquePairs pairs: [LogQLLabel]) {
        self.pairs = pairs
    }

    /// Builds a set from a dictionary.
    public init(_ dictionary: [String: String]) {
        pairs = dictionary.map { LogQLLabel($0.key, $0.value) }.sorted()
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements.map { LogQLLabel($0.0, $0.1) })
    }

    /// The value of `name`, or `nil`.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Whether the set is empty.
    public var isEmpty: Bool { pairs.isEmpty }

    /// The labels as a dictionary.
    public var dictionary: [String: String] {
        Dictionary(pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { _, new in new })
    }

    /// Only the named labels (`by`).
    public func keeping(_ names: Set<String>) -> LogQLLabels {
        var copy = self
        copy.pairs = pairs.filter { names.contains($0.name) }
        return copy
    }

    /// All but the named labels (`without`).
    public func removing(_ names: Set<String>) -> LogQLLabels {
        var copy = self
        copy.pairs = pairs.filter { !names.contains($0.name) }
        return copy
    }

    /// Sets (or, with an empty value, removes) a label.
    public mutating func set(_ name: String, _ value: String) {
        pairs.removeAll { $0.name == name }
        guard !value.isEmpty else { return }
        let index = pairs.firstIndex { $0.name > name } ?? pairs.endIndex
        pairs.insert(LogQLLabel(name, value), at: index)
    }

    public func makeIterator() -> IndexingIterator<[LogQLLabel]> { pairs.makeIterator() }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        for (l, r) in zip(lhs.pairs, rhs.pairs) where l != r {
            if l.name != r.name { return l.name < r.name }
            return l.value < r.value
        }
        return lhs.pairs.count < rhs.pairs.count
    }

    /// `{a="b", c="d"}`, the form Loki prints.
    public var description: String {
        "{" + pairs.map(\.description).joined(separator: ", ") + "}"
    }
}
