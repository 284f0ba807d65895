#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Binary operators with Prometheus semantics (which Loki follows):
/// arithmetic and comparisons between scalars and vectors, `bool`,
/// one-to-one and `group_left`/`group_right` matching with
/// `on`/`ignoring`, and the set operators `and`/`or`/`unless`.
///
/// Comparisons without `bool` filter and keep the left-hand value (for
/// `scalar op vector`, the vector's value). One-to-one results keep the
/// left-hand labels reduced by `on`/`ignoring`.
enum LogQLBinaryEvaluator {
    static func evaluate(_ bin: LogQLBinaryExpr, _ lhs: LogQLStepValue, _ rhs: LogQLStepValue,
                         at t: Int64) throws(LogQLEvaluationError) -> LogQLStepValue {
        switch (lhs, rhs) {
        case (.scalar(let l), .scalar(let r)):
            if bin.op.isSetOperator { throw .unsupported("set operator between scalars") }
            guard let v = apply(bin.op, l, r) else { return .scalar(0) }
            return .scalar(bin.op.isComparison ? (v.keep ? 1 : 0) : v.value)
        case (.vector(let samples), .scalar(let r)):
            if bin.op.isSetOperator { throw .unsupported("set operator with a scalar operand") }
            return .vector(samples.compactMap { s in scalarCase(bin, s, s.value, r, keepValue: s.value) })
        case (.scalar(let l), .vector(let samples)):
            if bin.op.isSetOperator { throw .unsupported("set operator with a scalar operand") }
            return .vector(samples.compactMap { s in scalarCase(bin, s, l, s.value, keepValue: s.value) })
        case (.vector(let l), .vector(let r)):
            if bin.op.isSetOperator { return .vector(setOperation(bin, l, r)) }
            return .vector(try vectorCase(bin, l, r, at: t))
        }
    }

    private static func scalarCase(_ bin: LogQLBinaryExpr, _ sample: LogQLSample, _ l: Double, _ r: Double,
                                   keepValue: Double) -> LogQLSample? {
        guard let result = apply(bin.op, l, r) else { return nil }
        var out = sample
        if bin.op.isComparison {
            if bin.returnBool { out.value = result.keep ? 1 : 0 } else if result.keep { out.value = keepValue } else { return nil }
        } else {
            out.value = result.value
        }
        return out
    }

    /// `value` for arithmetic; `keep` for comparisons.
    private static func apply(_ op: LogQLBinaryOperator, _ l: Double, _ r: Double) -> (value: Double, keep: Bool)? {
        switch op {
        case .add: return (l + r, true)
        case .subtract: return (l - r, true)
        case .multiply: return (l * r, true)
        case .divide: return (l / r, true)
        case .modulo: return (l.truncatingRemainder(dividingBy: r), true)
        case .power: return (pow(l, r), true)
        case .equal: return (l, l == r)
        case .notEqual: return (l, l != r)
        case .greater: return (l, l > r)
        case .greaterOrEqual: return (l, l >= r)
        case .less: return (l, l < r)
        case .lessOrEqual: return (l, l <= r)
        case .and, .or, .unless: return nil
        }
    }

    private static func pow(_ base: Double, _ exponent: Double) -> Double {
        #if canImport(Darwin)
        return Darwin.pow(base, exponent)
        #elseif canImport(Glibc)
        return Glibc.pow(base, exponent)
        #else
        return Musl.pow(base, exponent)
        #endif
    }

    private static func signature(_ labels: LogQLLabels, _ matching: LogQLVectorMatching?) -> LogQLLabels {
        switch matching?.labels {
        case .on(let names)?: return labels.keeping(Set(names))
        case .ignoring(let names)?: return labels.removing(Set(names))
        case nil: return labels
        }
    }

    private static func setOperation(_ bin: LogQLBinaryExpr, _ l: [LogQLSample], _ r: [LogQLSample]) -> [LogQLSample] {
        let rightSignatures = Set(r.map { signature($0.labels, bin.matching) })
        switch bin.op {
        case .and: return l.filter { rightSignatures.contains(signature($0.labels, bin.matching)) }
        case .unless: return l.filter { !rightSignatures.contains(signature($0.labels, bin.matching)) }
        default:
            let leftSignatures = Set(l.map { signature($0.labels, bin.matching) })
            return l + r.filter { !leftSignatures.contains(signature($0.labels, bin.matching)) }
        }
    }

    private static func vectorCase(_ bin: LogQLBinaryExpr, _ l: [LogQLSample], _ r: [LogQLSample],
                                   at t: Int64) throws(LogQLEvaluationError) -> [LogQLSample] {
        // The "one" side is indexed; the "many" side iterated.
        let groupRight: Bool
        let include: [String]
        switch bin.matching?.group {
        case .left(let names)?: groupRight = false; include = names
        case .right(let names)?: groupRight = true; include = names
        case nil: groupRight = false; include = []
        }
        let oneToOne = bin.matching?.group == nil
        let (many, one) = groupRight ? (r, l) : (l, r)
        var index: [LogQLLabels: LogQLSample] = [:]
        for sample in one {
            let sig = signature(sample.labels, bin.matching)
            if index[sig] != nil {
                throw .manyToMany(side: groupRight ? "left" : "right", labels: sig)
            }
            index[sig] = sample
        }
        var out: [LogQLSample] = []
        var seen: Set<LogQLLabels> = []
        var matchedOne: Set<LogQLLabels> = []
        for sample in many {
            let sig = signature(sample.labels, bin.matching)
            guard let other = index[sig] else { continue }
            if oneToOne {
                if matchedOne.contains(sig) { throw .manyToMany(side: "left", labels: sig) }
                matchedOne.insert(sig)
            }
            let (lv, rv) = groupRight ? (other.value, sample.value) : (sample.value, other.value)
            guard let result = apply(bin.op, lv, rv) else { continue }
            var labels: LogQLLabels
            if oneToOne {
                labels = signature(sample.labels, bin.matching)
            } else {
                labels = sample.labels
                for name in include {
                    if let v = other.labels[name] { labels.set(name, v) } else { labels.set(name, "") }
                }
            }
            let value: Double
            if bin.op.isComparison {
                if bin.returnBool { value = result.keep ? 1 : 0 } else if result.keep { value = lv } else { continue }
            } else {
                value = result.value
            }
            if !seen.insert(labels).inserted { throw .duplicateSeries(labels) }
            out.append(LogQLSample(labels: labels, timestamp: t, value: value))
        }
        return out
    }
}
