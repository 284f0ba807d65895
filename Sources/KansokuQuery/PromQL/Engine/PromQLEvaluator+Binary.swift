#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
            throw PromQLEvaluationError.unsupported("operator \(op.rawValue) (native histograms)")
        case .and, .or, .unless:
            throw PromQLEvaluationError.execution("set operator \(op) not allowed in binary scalar expression")
        }
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
            let (l, r) = oneToMany ? (o.value, m.value) : (m.value, o.value)
            var (value, keep) = try Self.apply(binary.op, l, r)
            if binary.returnBool { value = keep ? 1 : 0 }
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
            out.append(PromQLElement(labels: labels, value: value, timestamp: t, dropName: binary.returnBool))
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
