/// Canonical PromQL rendering, following Prometheus's `String()` methods on
/// its AST nodes so `format_query` output and round-trips match upstream.
extension PromQLExpression: CustomStringConvertible {
    public var description: String {
        switch self {
        case .number(let value, let isDuration):
            if isDuration, value.isFinite {
                return PromQLDuration(seconds: value).description
            }
            return PromQLNumber.format(value)
        case .string(let value):
            return PromQLStringLiteral.quote(value)
        case .vectorSelector(let selector):
            return selector.description
        case .matrixSelector(let matrix):
            var bare = matrix.selector
            bare.offset = nil
            bare.offsetExpression = nil
            bare.at = nil
            bare.rangeModifier = nil
            let range = matrix.rangeExpression?.description ?? matrix.range.description
            let modifier = matrix.selector.rangeModifier.map { " \($0.rawValue)" } ?? ""
            return "\(bare)[\(range)]\(modifier)"
                + promqlModifierSuffix(at: matrix.selector.at, offset: matrix.selector.offset, offsetExpression: matrix.selector.offsetExpression)
        case .subquery(let subquery):
            let range = subquery.rangeExpression?.description ?? subquery.range.description
            let step = subquery.stepExpression?.description ?? subquery.step?.description ?? ""
            return "\(subquery.expression)[\(range):\(step)]"
                + promqlModifierSuffix(at: subquery.at, offset: subquery.offset, offsetExpression: subquery.offsetExpression)
        case .call(let call):
            return "\(call.function.name)(\(call.arguments.map(\.description).joined(separator: ", ")))"
        case .aggregation(let aggregation):
            return aggregation.description
        case .unary(let op, let operand):
            return "\(op.rawValue)\(operand)"
        case .binary(let binary):
            return binary.description
        case .parentheses(let inner):
            return "(\(inner))"
        }
    }
}

/// The ` @ <t>` suffix.
private func promqlAtSuffix(_ at: PromQLAtModifier?) -> String {
    switch at {
    case .timestamp(let milliseconds)?: return " @ " + promqlFormatThreeDecimals(milliseconds)
    case .start?: return " @ start()"
    case .end?: return " @ end()"
    case nil: return ""
    }
}

/// The ` offset <d>` suffix; a zero offset is not printed.
private func promqlOffsetSuffix(_ offset: PromQLDuration?, _ expression: PromQLDurationExpression?) -> String {
    if let expression { return " offset \(expression)" }
    if let offset, offset.milliseconds != 0 { return " offset \(offset)" }
    return ""
}

/// ` @ <t>` then ` offset <d>`, in Prometheus's order.
private func promqlModifierSuffix(at: PromQLAtModifier?, offset: PromQLDuration?, offsetExpression: PromQLDurationExpression?) -> String {
    promqlAtSuffix(at) + promqlOffsetSuffix(offset, offsetExpression)
}

/// `%.3f` of a millisecond timestamp in seconds, without Foundation.
private func promqlFormatThreeDecimals(_ milliseconds: Int64) -> String {
    let magnitude = milliseconds.magnitude
    let fraction = String(magnitude % 1000)
    return (milliseconds < 0 ? "-" : "") + "\(magnitude / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
}

extension PromQLVectorSelector: CustomStringConvertible {
    /// `name{matchers}` with matchers sorted, omitting the matcher that
    /// repeats the name; names that are not legacy identifiers move into the
    /// braces as a quoted string (PromQL 3 syntax).
    public var description: String {
        var labels: [String] = []
        var prefix = ""
        if let name {
            if PromQLLabelMatcher.isLegacyMetricName(name) {
                prefix = name
            } else {
                labels.append(PromQLStringLiteral.quote(name))
            }
        }
        var others: [String] = []
        var skippedName = false
        for matcher in matchers {
            if !skippedName, let name, matcher.name == PromQLLabelMatcher.metricNameLabel, matcher.op == .equal, matcher.value == name {
                skippedName = true
                continue
            }
            others.append(matcher.description)
        }
        labels += others.sorted()
        let braces = labels.isEmpty ? "" : "{\(labels.joined(separator: ","))}"
        let modifier = rangeModifier.map { " \($0.rawValue)" } ?? ""
        return prefix + braces + promqlAtSuffix(at) + modifier + promqlOffsetSuffix(offset, offsetExpression)
    }
}

extension PromQLAggregation: CustomStringConvertible {
    /// `op by (labels) (param, expr)`.
    public var description: String {
        var out = op.rawValue
        if without {
            out += " without (\(promqlFormatLabelList(grouping))) "
        } else if !grouping.isEmpty {
            out += " by (\(promqlFormatLabelList(grouping))) "
        }
        out += "("
        if let parameter { out += "\(parameter), " }
        return out + "\(expression))"
    }
}

extension PromQLBinaryExpression: CustomStringConvertible {
    /// `lhs op [bool] [on|ignoring (...)] [group_x (...)] [fill...] rhs`.
    public var description: String {
        var modifiers = returnBool ? " bool" : ""
        if let matching {
            let grouped = matching.cardinality == .manyToOne || matching.cardinality == .oneToMany
            if !matching.matchingLabels.isEmpty || matching.on || grouped {
                modifiers += " \(matching.on ? "on" : "ignoring") (\(promqlFormatLabelList(matching.matchingLabels)))"
            }
            if grouped {
                let side = matching.cardinality == .manyToOne ? "left" : "right"
                modifiers += " group_\(side) (\(promqlFormatLabelList(matching.include)))"
            }
            // Upstream writes a space before the parenthesis and Go's %v number form.
            switch (matching.fillLeft, matching.fillRight) {
            case let (left?, right?) where left == right || (left.isNaN && right.isNaN):
                modifiers += " fill (\(PromQLNumber.formatShortest(left)))"
            case let (left, right):
                if let left { modifiers += " fill_left (\(PromQLNumber.formatShortest(left)))" }
                if let right { modifiers += " fill_right (\(PromQLNumber.formatShortest(right)))" }
            }
        }
        return "\(lhs) \(op)\(modifiers) \(rhs)"
    }
}

/// Joins grouping labels with ", ", quoting names that are not legacy identifiers.
private func promqlFormatLabelList(_ labels: [String]) -> String {
    labels.map(PromQLLabelMatcher.formatLabelName).joined(separator: ", ")
}
