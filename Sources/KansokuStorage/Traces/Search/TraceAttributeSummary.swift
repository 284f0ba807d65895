/// What is known of one attribute key (or intrinsic): the kinds of value it
/// had and its distinct listable values.
///
/// `values` is ascending and always a *prefix* of the key's true distinct
/// values in ``TraceAttributeValue`` order: all of them when `isComplete`,
/// otherwise the smallest ones (a cap or a limit cut the rest). Merging two
/// summaries keeps that true, which is why capped lists keep the smallest
/// values rather than the first seen.
public struct TraceAttributeSummary: Sendable, Hashable {
    public var types: TraceAttributeTypes
    public var values: [TraceAttributeValue]
    /// False when the key had more distinct values than `values` lists.
    public var isComplete: Bool

    public init(types: TraceAttributeTypes = [], values: [TraceAttributeValue] = [], isComplete: Bool = true) {
        self.types = types
        self.values = values
        self.isComplete = isComplete
    }

    /// Nothing known: the identity of ``merged(with:limit:)``.
    public static let empty = TraceAttributeSummary()

    /// At most `limit` values; incomplete if that cut any.
    public func limited(to limit: Int) -> TraceAttributeSummary {
        let limit = max(0, limit)
        guard values.count > limit else { return self }
        return TraceAttributeSummary(types: types, values: Array(values.prefix(limit)), isComplete: false)
    }

    /// What both summaries know together, at most `limit` values.
    ///
    /// An incomplete side knows its values only up to its largest listed one
    /// (anything above may be missing from it), so the union is cut there:
    /// the result is again an exact prefix of the true values.
    public func merged(with other: TraceAttributeSummary, limit: Int = .max) -> TraceAttributeSummary {
        var union = Self.union(values, other.values)
        for side in [self, other] where !side.isComplete {
            guard let largest = side.values.last else {
                union = []
                break
            }
            if let end = union.firstIndex(where: { $0 > largest }) { union.removeSubrange(end...) }
        }
        return TraceAttributeSummary(types: types.union(other.types), values: union,
                                     isComplete: isComplete && other.isComplete).limited(to: limit)
    }

    /// The union of two ascending lists of distinct values, ascending.
    private static func union(_ a: [TraceAttributeValue], _ b: [TraceAttributeValue]) -> [TraceAttributeValue] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var result: [TraceAttributeValue] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] {
                result.append(a[i]); i += 1
            } else if b[j] < a[i] {
                result.append(b[j]); j += 1
            } else {
                result.append(a[i]); i += 1; j += 1
            }
        }
        result.append(contentsOf: a[i...])
        result.append(contentsOf: b[j...])
        return result
    }
}
