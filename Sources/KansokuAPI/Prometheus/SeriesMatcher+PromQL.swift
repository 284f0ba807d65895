import KansokuQuery
import KansokuStorage

extension SeriesMatcher {
    /// The store's form of a PromQL matcher (the operators are the same four).
    static func converting(_ matchers: [PromQLLabelMatcher]) throws(SeriesMatcherError) -> [SeriesMatcher] {
        var converted: [SeriesMatcher] = []
        converted.reserveCapacity(matchers.count)
        for matcher in matchers {
            converted.append(try SeriesMatcher(name: matcher.name, op: Operator(rawValue: matcher.op.rawValue)!, value: matcher.value))
        }
        return converted
    }
}
