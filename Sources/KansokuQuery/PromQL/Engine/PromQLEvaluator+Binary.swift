#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KansokuModel

/// Binary operators: scalar/scalar, vector/scalar and vector/vector with
/// Prometheus's matching rules and error texts.
extension PromQLEvaluator {
    func evaluateBinary(_ binary: PromQLBinaryExpression, at t: Int64) throws -> PromQLIntermediate {
        let lhs = try evaluate(binary.lhs, at: t)
        let rhs = try evaluate(binary.rhs, at: t)
        switch (lhs, rhs) {
        case (.scalar(let a), .scalar(let b)):
            let (value, keep) = try Self.apply(binary.op, a, b)
            return .scalar(binary.op.isComparison ? (keep ? 1 : 0) : value)
        case (.vector(let v), .scalar(let s)):
            return .vector(try vectorScalar(binary, v, s, swapped: false, at: t))
        case (.scalar(let s), .vector(let v)):
            return .vector(try vectorScalar(binary, v, s, swapped: true, at: t))
        case (.vector(let l), .vector(let r)):
            let matching = binary.matching ?? PromQLVectorMatching(cardinality: binary.op.isSetOperator ? .manyToMany : .oneToOne)
            switch binary.op {
            case .and, .or, .unless: return .vector(setOperation(binary.op, l, r, matching))
            default: return .vector(try vectorVector(binary, l, r, matching, at: t))
            }
        default:
            throw PromQLEvaluationError.execution("binary operator \(binary.op) applied to unsupported operand types")
        }
    }

    /// `vectorElemBinop` for floats: the result value and whether a
    /// comparison keeps the element.
    static func apply(_ op: PromQLBinaryOperator, _ l: Double, _ r: Double) throws -> (Double, Bool) {
        switch op {
        case .add: return (l + r, true)
        case .sub: return (l - r, true)
        case .mul: return (l * r, true)
        case .div: return (l / r, true)
        case .pow: return (pow(l, r), true)
        case .mod: return (fmod(l, r), true)
        case .atan2: return (atan2(l, r), true)
        case .equal: return (l, l == r)
        case .notEqual: return (l, l != r)
        case .greater: return (l, l > r)
        case .less: return (l, l < r)
        case .greaterEqual: return (l, l >= r)
        case .lessEqual: return (l, l <= r)
        case .trimUpper, .trimLower:
            // Trimming applies to histograms only; floats are dropped.
            return (l, false)
        case .and, .or, .unless:
            throw PromQLEvaluationError.execution("set operator \(op) not allowed in binary scalar expression")
        }
    }

    /// `histogram * scalar`, `scalar * histogram`, `histogram / scalar`
    /// (exactly one of `lhs`/`rhs` set); nil where the operator is not
    /// defined for these operand types (the element is dropped, as upstream).
    static func combineHistograms(_ op: PromQLBinaryOperator, _ lhs: NativeHistogram?, _ rhs: NativeHistogram?, _ scalar: Double) -> NativeHistogram? {
        switch (op, lhs, rhs) {
        case (.mul, let h?, nil), (.mul, nil, let h?): return h.multiplied(by: scalar).compacted()
        case (.div, let h?, nil): return h.divided(by: scalar).compacted()
        case (.trimUpper, let h?, nil): return h.trimmed(at: scalar, upper: true)
        case (.trimLower, let h?, nil): return h.trimmed(at: scalar, upper: false)
        default: return nil
        }
    }

    /// `vectorElemBinop` when a histogram is involved: value, histogram and
    /// whether to keep the element; nil where the operator is not defined
    /// for the operand types or the histograms do not combine.
    static func histogramElements(_ op: PromQLBinaryOperator, _ l: PromQLElement, _ r: PromQLElement) -> (Double, NativeHistogram?, Bool)? {
        switch (l.histogram, r.histogram) {
        case (let a?, let b?):
            switch op {
            case .add:
                guard let sum = try? a.adding(b).result else { return nil }
                return (0, sum.compacted(), true)
            case .sub:
                guard var difference = try? a.subtracting(b).result else { return nil }
                difference.counterResetHint = .gauge
                return (0, difference.compacted(), true)
            case .equal: return (0, a, sameHistogram(a, b))
            case .notEqual: return (0, a, !sameHistogram(a, b))
            default: return nil
            }
        case (let a?, nil): return combineHistograms(op, a, nil, r.value).map { (0, $0, true) }
        case (nil, let b?): return combineHistograms(op, nil, b, l.value).map { (0, $0, true) }
        case (nil, nil): return nil
        }
    }

    /// Upstream's `FloatHistogram.Equals` on compacted histograms: every
    /// field but the counter-reset hint.
    static func sameHistogram(_ a: NativeHistogram, _ b: NativeHistogram) -> Bool {
        var (x, y) = (a.compacted(), b.compacted())
        x.counterResetHint = .unknown
        y.counterResetHint = .unknown
        return x == y
    }

    /// Arithmetic marks the name for removal; so does `bool`.
    private static func changesSchema(_ op: PromQLBinaryOperator) -> Bool {
        switch op {
        case .add, .sub, .mul, .div, .pow, .mod, .atan2: return true
        default: return false
        }
    }

    private func vectorScalar(_ binary: PromQLBinaryExpression, _ vector: [PromQLElement], _ scalar: Double, swapped: Bool, at t: Int64) throws -> [PromQLElement] {
        var out: [PromQLElement] = []
        for element in vector {
            if let h = element.histogram {
                // Only `histogram * scalar`, `scalar * histogram` and `histogram / scalar` are defined.
                guard !binary.returnBool,
                      let product = Self.combineHistograms(binary.op, swapped ? nil : h, swapped ? h : nil, scalar) else { continue }
                out.append(PromQLElement(labels: element.labels, histogram: product, timestamp: t,
                                         dropName: Self.changesSchema(binary.op) || element.dropName))
                continue
            }
            let (l, r) = swapped ? (scalar, element.value) : (element.value, scalar)
            var (value, keep) = try Self.apply(binary.op, l, r)
            // The vector's value is the result of a filtering comparison,
            // whichever side the vector is on.
            if binary.op.isComparison && swapped { value = element.value }
            if binary.returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { continue }
            var result = element
            result.value = value
            result.timestamp = t
            if Self.changesSchema(binary.op) || binary.returnBool { result.dropName = true }
            out.append(result)
        }
        return out
    }

    /// The matching signature of a series: the `on` labels, or every label
    /// except the `ignoring` ones and the metric name.
    static func signature(_ labels: PromQLLabels, _ matching: PromQLVectorMatching) -> PromQLLabels {
        matching.on ? labels.keeping(Set(matching.matchingLabels))
            : labels.removing(Set(matching.matchingLabels + [PromQLLabelMatcher.metricNameLabel]))
    }

    private func setOperation(_ op: PromQLBinaryOperator, _ lhs: [PromQLElement], _ rhs: [PromQLElement], _ matching: PromQLVectorMatching) -> [PromQLElement] {
        switch op {
        case .and:
            guard !lhs.isEmpty, !rhs.isEmpty else { return [] }
            let right = Set(rhs.map { Self.signature($0.labels, matching) })
            return lhs.filter { right.contains(Self.signature($0.labels, matching)) }
        case .unless:
            guard !lhs.isEmpty, !rhs.isEmpty else { return lhs }
            let right = Set(rhs.map { Self.signature($0.labels, matching) })
            return lhs.filter { !right.contains(Self.signature($0.labels, matching)) }
        default:
            guard !lhs.isEmpty else { return rhs }
            guard !rhs.isEmpty else { return lhs }
            let left = Set(lhs.map { Self.signature($0.labels, matching) })
            return lhs + rhs.filter { !left.contains(Self.signature($0.labels, matching)) }
        }
    }

    /// One-to-one and many-to-one/one-to-many matching (`VectorBinop` upstream).
    private func vectorVector(_ binary: PromQLBinaryExpression, _ left: [PromQLElement], _ right: [PromQLElement],
                              _ matching: PromQLVectorMatching, at t: Int64) throws -> [PromQLElement] {
        let hasFill = matching.fillLeft != nil || matching.fillRight != nil
        if (left.isEmpty && right.isEmpty) || ((left.isEmpty || right.isEmpty) && !hasFill) { return [] }
        let oneToMany = matching.cardinality == .oneToMany
        let oneToOne = matching.cardinality == .oneToOne
        // For group_right the "one" side is the left; swap so the right is always "one".
        let (many, one) = oneToMany ? (right, left) : (left, right)
        // Upstream applies fill_right to the (swapped) "one" side and
        // fill_left to the "many" side, whichever way the grouping goes.
        let (fillMany, fillOne) = (matching.fillLeft, matching.fillRight)
        var oneBySignature: [PromQLLabels: PromQLElement] = [:]
        for element in one {
            let signature = Self.signature(element.labels, matching)
            if let duplicate = oneBySignature[signature] {
                var pair = [element.labels.description, duplicate.labels.description]
                if pair[0] > pair[1] { pair.swapAt(0, 1) }
                throw PromQLEvaluationError.execution("found duplicate series for the match group \(signature) on the \(oneToMany ? "left" : "right") hand-side of the operation: [\(pair[0]), \(pair[1])];many-to-many matching not allowed: matching labels must be unique on one side")
            }
            oneBySignature[signature] = element
        }
        var matchedOneToOne = Set<PromQLLabels>()
        var matchedMany: [PromQLLabels: Set<PromQLLabels>] = [:]
        var out: [PromQLElement] = []

        func combine(_ m: PromQLElement, _ o: PromQLElement, _ signature: PromQLLabels) throws {
            let (le, re) = oneToMany ? (o, m) : (m, o)
            var histogram: NativeHistogram?
            var value = 0.0, keep = false
            if le.isHistogram || re.isHistogram {
                if let (f, h, k) = Self.histogramElements(binary.op, le, re) {
                    (value, histogram, keep) = (f, h, k)
                    if binary.returnBool {
                        // Only the comparisons of two histograms reach here.
                        histogram = nil
                        value = keep ? 1 : 0
                    }
                } else {
                    keep = false
                    if binary.returnBool { return }
                }
            } else {
                (value, keep) = try Self.apply(binary.op, le.value, re.value)
                if binary.returnBool { value = keep ? 1 : 0 }
            }
            let labels = resultLabels(m.labels, o.labels, binary.op, matching)
            if oneToOne {
                guard matchedOneToOne.insert(signature).inserted else {
                    throw PromQLEvaluationError.execution("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
            } else {
                guard matchedMany[signature, default: []].insert(labels).inserted else {
                    throw PromQLEvaluationError.execution("multiple matches for labels: grouping labels must ensure unique matches")
                }
            }
            guard keep || binary.returnBool else { return }
            if let histogram {
                out.append(PromQLElement(labels: labels, histogram: histogram, timestamp: t, dropName: binary.returnBool))
            } else {
                out.append(PromQLElement(labels: labels, value: value, timestamp: t, dropName: binary.returnBool))
            }
        }

        for m in many {
            let signature = Self.signature(m.labels, matching)
            if let o = oneBySignature[signature] {
                try combine(m, o, signature)
            } else if let fill = fillOne {
                try combine(m, PromQLElement(labels: signature, value: fill, timestamp: t), signature)
            }
        }
        if let fill = fillMany {
            for o in one {
                let signature = Self.signature(o.labels, matching)
                let matched = oneToOne ? matchedOneToOne.contains(signature) : !(matchedMany[signature]?.isEmpty ?? true)
                guard !matched else { continue }
                try combine(PromQLElement(labels: signature, value: fill, timestamp: t), o, signature)
            }
        }
        return out
    }

    /// `resultMetric` upstream: the "many" side's labels, reduced to the
    /// matching labels for one-to-one, plus `group_x` labels from the "one" side.
    private func resultLabels(_ many: PromQLLabels, _ one: PromQLLabels, _ op: PromQLBinaryOperator, _ matching: PromQLVectorMatching) -> PromQLLabels {
        var labels = many
        if Self.changesSchema(op) { labels = labels.droppingMetadata }
        if matching.cardinality == .oneToOne {
            labels = matching.on ? labels.keeping(Set(matching.matchingLabels)) : labels.removing(Set(matching.matchingLabels))
        }
        for name in matching.include {
            labels = labels.setting(name, to: one[name] ?? "")
        }
        return labels
    }
}
