/// `lhs op [bool] [on(...)|ignoring(...)] [group_left|group_right] rhs`.
public struct LogQLBinaryExpr: Sendable, Hashable, CustomStringConvertible {
    /// The operator.
    public var op: LogQLBinaryOperator
    /// Left operand.
    public var lhs: LogQLMetricExpr
    /// Right operand.
    public var rhs: LogQLMetricExpr
    /// `bool` modifier (comparisons only): return 0/1 instead of filtering.
    public var returnBool: Bool
    /// Vector matching; `nil` means default one-to-one on all labels.
    public var matching: LogQLVectorMatching?

    /// Creates a binary expression.
    public init(op: LogQLBinaryOperator, lhs: LogQLMetricExpr, rhs: LogQLMetricExpr, returnBool: Bool = false,
                matching: LogQLVectorMatching? = nil) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.returnBool = returnBool
        self.matching = matching
    }

    public var description: String {
        var modifiers = ""
        if returnBool { modifiers += " bool" }
        if let matching { modifiers += " " + matching.description }
        return "\(operand(lhs, isLeft: true)) \(op.rawValue)\(modifiers) \(operand(rhs, isLeft: false))"
    }

    /// Parenthesises an operand only where precedence/associativity would
    /// otherwise regroup it, so printing then parsing yields the same tree.
    private func operand(_ expr: LogQLMetricExpr, isLeft: Bool) -> String {
        guard case .binary(let inner) = expr else { return expr.description }
        let needsParens: Bool
        if inner.op.precedence != op.precedence {
            needsParens = inner.op.precedence < op.precedence
        } else {
            needsParens = isLeft == op.isRightAssociative
        }
        return needsParens ? "(\(inner))" : inner.description
    }
}
