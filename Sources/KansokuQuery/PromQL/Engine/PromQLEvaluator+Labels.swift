import KansokuRegex

/// `label_replace` and `label_join`.
extension PromQLEvaluator {
    func labelReplace(_ args: [PromQLExpression], at t: Int64) throws -> [PromQLElement] {
        let destination = try string(args[1], at: t)
        let replacement = try string(args[2], at: t)
        let sourceLabel = try string(args[3], at: t)
        let pattern = try string(args[4], at: t)
        let compiled: AnchoredRegex
        do {
            compiled = try regex(pattern)
        } catch {
            throw PromQLEvaluationError.execution("invalid regular expression in label_replace(): \(pattern)")
        }
        guard Self.isValidLabelName(destination) else {
            throw PromQLEvaluationError.execution("invalid destination label name in label_replace(): \(destination)")
        }
        var out = try vector(args[0], at: t)
        for i in out.indices {
            let value = out[i].labels[sourceLabel] ?? ""
            // Upstream anchors the pattern: ^(?s:pattern)$.
            guard let match = compiled.match(value) else { continue }
            out[i].labels = out[i].labels.setting(destination, to: match.expand(replacement))
            out[i].dropName = destination == PromQLLabelMatcher.metricNameLabel ? false : out[i].dropName
        }
        return out
    }

    func labelJoin(_ args: [PromQLExpression], at t: Int64) throws -> [PromQLElement] {
        let destination = try string(args[1], at: t)
        let separator = try string(args[2], at: t)
        let sources = try args.dropFirst(3).map { try string($0, at: t) }
        for source in sources where !Self.isValidLabelName(source) {
            throw PromQLEvaluationError.execution("invalid source label name in label_join(): \(source)")
        }
        guard Self.isValidLabelName(destination) else {
            throw PromQLEvaluationError.execution("invalid destination label name in label_join(): \(destination)")
        }
        var out = try vector(args[0], at: t)
        for i in out.indices {
            let joined = sources.map { out[i].labels[$0] ?? "" }.joined(separator: separator)
            out[i].labels = out[i].labels.setting(destination, to: joined)
            out[i].dropName = destination == PromQLLabelMatcher.metricNameLabel ? false : out[i].dropName
        }
        return out
    }
}
