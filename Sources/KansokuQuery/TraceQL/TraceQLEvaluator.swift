import KansokuRegex
import KansokuModel

/// Runs a `TraceQLQuery` against one complete trace.
///
/// Span sets are sets of spans of that trace; `&&` between span sets needs
/// both sides non-empty and yields their union, `||` yields the union,
/// `>`/`>>`/`~` keep the right-hand spans whose parent / an ancestor / a
/// sibling is in the left-hand set, and pipeline stages filter or test the
/// set as a whole (Tempo groups by trace, so one trace is one span set).
public enum TraceQLEvaluator {
    /// The spans of `trace` that satisfy `query`, in the order the batch
    /// holds them; empty means the trace does not match.
    public static func matchingSpans(_ query: TraceQLQuery, in trace: SpanBatch) -> [Span] {
        let index = TraceQLTraceIndex(trace)
        var run = Run(index: index)
        return run.evaluate(query.root).sorted().map { index.entries[$0].span }
    }

    /// Whether any span of `trace` satisfies `query`.
    public static func matches(_ query: TraceQLQuery, in trace: SpanBatch) -> Bool {
        !matchingSpans(query, in: trace).isEmpty
    }

    /// One evaluation, with a cache of compiled regular expressions.
    private struct Run {
        let index: TraceQLTraceIndex
        var regexes: [String: AnchoredRegex?] = [:]

        init(index: TraceQLTraceIndex) {
            self.index = index
        }

        mutating func evaluate(_ expr: TraceQLSpansetExpr) -> Set<Int> {
            switch expr {
            case .filter(let condition):
                return filter(index.allIndices, condition)
            case .binary(let op, let lhs, let rhs):
                let left = evaluate(lhs)
                let right = evaluate(rhs)
                switch op {
                case .and: return left.isEmpty || right.isEmpty ? [] : left.union(right)
                case .or: return left.union(right)
                case .child: return right.filter { index.parent(of: $0).map(left.contains) ?? false }
                case .descendant: return right.filter { index.hasAncestor(of: $0, in: left) }
                case .sibling: return right.filter { index.hasSibling(of: $0, in: left) }
                }
            case .pipeline(let input, let stage):
                let spans = evaluate(input)
                guard !spans.isEmpty else { return [] }
                switch stage {
                case .filter(let condition):
                    return filter(spans, condition)
                case .aggregate(let aggregate, let op, let value):
                    guard let result = self.aggregate(aggregate, over: spans) else { return [] }
                    return TraceQLValueComparison.holds(result, op, value, regex: { _ in nil }) ? spans : []
                }
            }
        }

        private mutating func filter(_ candidates: Set<Int>, _ condition: TraceQLFieldExpr?) -> Set<Int> {
            guard let condition else { return candidates }
            return Set(candidates.filter { test(condition, $0) })
        }

        private mutating func test(_ condition: TraceQLFieldExpr, _ i: Int) -> Bool {
            switch condition {
            case .constant(let value): return value
            case .and(let l, let r): return test(l, i) && test(r, i)
            case .or(let l, let r): return test(l, i) || test(r, i)
            case .comparison(let c):
                let value = resolve(c.field, i)
                return TraceQLValueComparison.holds(value, c.op, c.value) { pattern in self.regex(pattern) }
            }
        }

        private mutating func regex(_ pattern: String) -> AnchoredRegex? {
            if let cached = regexes[pattern] { return cached }
            let compiled = try? AnchoredRegex(pattern, dotMatchesNewline: false)
            regexes[pattern] = compiled
            return compiled
        }

        /// The value of `field` for span `i`, nil when it is missing.
        private func resolve(_ field: TraceQLField, _ i: Int) -> TraceQLStatic? {
            let entry = index.entries[i]
            switch TraceQLSpanFields.resolve(field, span: entry.span, resource: entry.resource) {
            case .value(let value): return value
            case .traceLevel(.rootName): return index.root.map { .string(index.entries[$0].span.name) }
            case .traceLevel(.rootServiceName):
                return index.root.flatMap { index.entries[$0].resource.serviceName }.map { .string($0) }
            case .traceLevel(.traceDuration): return .duration(index.traceDurationNanos)
            case .traceLevel: return nil  // no other intrinsic is trace-level
            }
        }

        /// `count()` or the avg/min/max/sum of a field over `spans`; spans
        /// without a numeric value are skipped, and nil means no value at all.
        private func aggregate(_ aggregate: TraceQLAggregate, over spans: Set<Int>) -> TraceQLStatic? {
            guard let field = aggregate.field else { return .int(Int64(spans.count)) }
            let values = spans.compactMap { resolve(field, $0).flatMap(TraceQLValueComparison.numeric) }
            guard !values.isEmpty else { return nil }
            let result: Double
            switch aggregate.function {
            case .count: result = Double(values.count)
            case .avg: result = values.reduce(0, +) / Double(values.count)
            case .min: result = values.min()!
            case .max: result = values.max()!
            case .sum: result = values.reduce(0, +)
            }
            if case .intrinsic = field {
                // Clamped like span durations: a sum (or a wrapped span's duration) can exceed Int64, which would trap.
                let rounded = result.rounded()
                return .duration(rounded >= 0x1p63 ? .max : rounded < -0x1p63 ? .min : Int64(rounded))
            }
            return .float(result)
        }
    }
}
