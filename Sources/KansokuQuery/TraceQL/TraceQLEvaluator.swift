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
        var regexes: [String: Regex<AnyRegexOutput>?] = [:]

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

        private mutating func regex(_ pattern: String) -> Regex<AnyRegexOutput>? {
            if let cached = regexes[pattern] { return cached }
            let compiled = try? Regex(pattern)
            regexes[pattern] = compiled
            return compiled
        }

        /// The value of `field` for span `i`, nil when it is missing.
        private func resolve(_ field: TraceQLField, _ i: Int) -> TraceQLStatic? {
            let entry = index.entries[i]
            switch field {
            case .attribute(let scope, let name):
                switch scope {
                case .span: return Self.convert(entry.span.attributes[key: name])
                case .resource: return Self.convert(entry.resource.attributes[key: name])
                case .unscoped:
                    return Self.convert(entry.span.attributes[key: name]) ?? Self.convert(entry.resource.attributes[key: name])
                }
            case .intrinsic(let intrinsic):
                switch intrinsic {
                case .name: return .string(entry.span.name)
                case .status: return .status(entry.span.status.code)
                case .statusMessage: return .string(entry.span.status.message)
                case .kind: return .kind(entry.span.kind)
                case .duration: return .duration(Int64(clamping: entry.span.durationNanos))
                case .rootName: return index.root.map { .string(index.entries[$0].span.name) }
                case .rootServiceName:
                    return index.root.flatMap { index.entries[$0].resource.serviceName }.map { .string($0) }
                case .traceDuration: return .duration(index.traceDurationNanos)
                }
            }
        }

        /// Scalar attribute values as statics; arrays, maps, bytes and empty
        /// values count as missing.
        private static func convert(_ value: AttributeValue?) -> TraceQLStatic? {
            switch value {
            case .string(let s): .string(s)
            case .int(let v): .int(v)
            case .double(let v): .float(v)
            case .bool(let v): .bool(v)
            default: nil
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
            if case .intrinsic = field { return .duration(Int64(result.rounded())) }
            return .float(result)
        }
    }
}
