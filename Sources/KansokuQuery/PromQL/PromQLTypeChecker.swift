/// The type rules Prometheus enforces at parse time (its `checkAST`),
/// applied by the parser as each node is built.
enum PromQLTypeChecker {
    /// Fails with "expected type X in <context>, got Y" unless `node` has `type`.
    static func expect(_ node: PromQLParser.Node, _ type: PromQLValueType, in context: String) throws(PromQLParseError) {
        let actual = node.expression.type
        guard actual == type else {
            throw PromQLParseError(position: node.position, message: "expected type \(type) in \(context), got \(actual)")
        }
    }

    /// Checks argument count and types of a function call.
    static func checkCall(_ call: PromQLCall, arguments: [PromQLParser.Node], at position: PromQLSourcePosition) throws(PromQLParseError) {
        let function = call.function
        let name = PromQLStringLiteral.quote(function.name)
        let count = arguments.count
        if function.variadic == 0 {
            guard count == function.argumentTypes.count else {
                throw PromQLParseError(position: position, message: "expected \(function.argumentTypes.count) argument(s) in call to \(name), got \(count)")
            }
        } else {
            if count < function.minimumArguments {
                throw PromQLParseError(position: position, message: "expected at least \(function.minimumArguments) argument(s) in call to \(name), got \(count)")
            }
            if let maximum = function.maximumArguments, count > maximum {
                throw PromQLParseError(position: position, message: "expected at most \(maximum) argument(s) in call to \(name), got \(count)")
            }
        }
        // info's second argument is a bare label selector such as {k=~"v.*"}.
        if function.name == "info" && arguments.count > 1 {
            let selector = arguments[1]
            guard selector.expression.type == .instantVector else {
                throw PromQLParseError(position: position, message: "expected type instant vector in call to function \(name), got \(selector.expression.type)")
            }
            guard case .vectorSelector(let vector) = selector.expression else {
                throw PromQLParseError(position: selector.position, message: "expected label selectors only")
            }
            if vector.name != nil {
                throw PromQLParseError(position: selector.position, message: "expected label selectors only, got vector selector instead")
            }
        }
        for (index, argument) in arguments.enumerated() {
            // Surplus arguments of fixed-arity functions were rejected above.
            try expect(argument, function.argumentType(at: index), in: "call to function \(name)")
        }
    }

    /// Checks operand types and modifiers of a binary operation, and drops
    /// the vector matching when an operand is a scalar (as upstream does).
    ///
    /// Like upstream, operator-specific complaints point at the operator,
    /// operand-type complaints at the operand, and the rest at the start of
    /// the whole expression.
    static func checkBinary(_ binary: PromQLBinaryExpression, lhs: PromQLSourcePosition, op opPosition: PromQLSourcePosition,
                            rhs: PromQLSourcePosition) throws(PromQLParseError) -> PromQLExpression {
        var binary = binary
        let op = binary.op
        func fail(_ message: String, at position: PromQLSourcePosition = lhs) -> PromQLParseError {
            PromQLParseError(position: position, message: message)
        }
        let lhsType = binary.lhs.type
        let rhsType = binary.rhs.type
        if binary.returnBool && !op.isComparison {
            throw fail("bool modifier can only be used on comparison operators", at: opPosition)
        }
        if op.isComparison && !binary.returnBool && lhsType == .scalar && rhsType == .scalar {
            throw fail("comparisons between scalars must use BOOL modifier", at: opPosition)
        }
        if let matching = binary.matching, matching.on {
            for label in matching.include where matching.matchingLabels.contains(label) {
                throw fail("label \(PromQLStringLiteral.quote(label)) must not occur in ON and GROUP clause at once", at: opPosition)
            }
        }
        guard lhsType == .scalar || lhsType == .instantVector else {
            throw fail("binary expression must contain only scalar and instant vector types")
        }
        guard rhsType == .scalar || rhsType == .instantVector else {
            throw fail("binary expression must contain only scalar and instant vector types", at: rhs)
        }
        if lhsType != .instantVector || rhsType != .instantVector {
            if let matching = binary.matching {
                // Upstream only objects to a non-empty label list here.
                if !matching.matchingLabels.isEmpty {
                    throw fail("vector matching only allowed between instant vectors")
                }
                if matching.fillLeft != nil || matching.fillRight != nil {
                    throw fail("filling in missing series only allowed between instant vectors")
                }
            }
            binary.matching = nil
        } else if op.isSetOperator, let matching = binary.matching {
            if matching.cardinality == .manyToOne || matching.cardinality == .oneToMany {
                throw fail("no grouping allowed for \"\(op)\" operation")
            }
            if matching.fillLeft != nil || matching.fillRight != nil {
                throw fail("filling in missing series not allowed for set operators")
            }
        }
        if (lhsType == .scalar || rhsType == .scalar) && op.isSetOperator {
            throw fail("set operator \"\(op)\" not allowed in binary scalar expression")
        }
        return .binary(binary)
    }
}
