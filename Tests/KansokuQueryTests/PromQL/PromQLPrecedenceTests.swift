import Testing
@testable import KansokuQuery

/// Checks grouping by printing the AST with every binary node parenthesized.
@Suite("PromQL operator precedence")
struct PromQLPrecedenceTests {
    private func grouped(_ expression: PromQLExpression) -> String {
        switch expression {
        case .binary(let b):
            return "(\(grouped(b.lhs)) \(b.op)\(b.returnBool ? " bool" : "") \(grouped(b.rhs)))"
        case .unary(let op, let e):
            return "\(op.rawValue)\(grouped(e))"
        case .parentheses(let e):
            return grouped(e)
        default:
            return expression.description
        }
    }

    @Test(arguments: [
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("1 * 2 + 3", "((1 * 2) + 3)"),
        ("1 - 2 - 3", "((1 - 2) - 3)"),
        ("2 * 3 % 2", "((2 * 3) % 2)"),
        ("2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))"),
        ("2 * 3 ^ 2", "(2 * (3 ^ 2))"),
        ("-2 ^ 2", "-(2 ^ 2)"),
        ("-a * b", "(-a * b)"),
        ("-a ^ b", "-(a ^ b)"),
        ("a + b > bool c", "((a + b) > bool c)"),
        ("a > b and c < d", "((a > b) and (c < d))"),
        ("a and b or c and d", "((a and b) or (c and d))"),
        ("a or b unless c", "(a or (b unless c))"),
        ("a unless b and c", "((a unless b) and c)"),
        ("a atan2 b + c", "((a atan2 b) + c)"),
        ("a </ 5 + 1", "((a </ 5) + 1)"),
        ("(1 + 2) * 3", "((1 + 2) * 3)"),
        ("a offset 5m + b", "(a offset 5m + b)"),
        ("1 == bool 2 == bool 3", "((1 == bool 2) == bool 3)"),
    ])
    func grouping(query: String, expected: String) throws {
        #expect(grouped(try PromQLParser.parse(query)) == expected)
    }

    @Test func signFoldsIntoNumberLiterals() throws {
        #expect(try PromQLParser.parse("-1") == .number(-1))
        #expect(try PromQLParser.parse("+1") == .number(1))
        #expect(try PromQLParser.parse("- -1") == .number(1))
        #expect(try PromQLParser.parse("-(1)") == .unary(.minus, .parentheses(.number(1))))
        #expect(try PromQLParser.parse("1 - -1") == .binary(PromQLBinaryExpression(op: .sub, lhs: .number(1), rhs: .number(-1))))
    }
}
