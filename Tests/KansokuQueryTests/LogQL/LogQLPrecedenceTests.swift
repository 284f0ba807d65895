import Testing
@testable import KansokuQuery

@Suite("LogQL operator precedence")
struct LogQLPrecedenceTests {
    /// Renders the tree with explicit parentheses around every binary node.
    private func shape(_ expr: LogQLMetricExpr) -> String {
        switch expr {
        case .binary(let b): return "(\(shape(b.lhs)) \(b.op.rawValue) \(shape(b.rhs)))"
        case .literal(let v): return LogQLNumberFormat.format(v)
        case .vector(let v): return "v\(LogQLNumberFormat.format(v))"
        default: return "x"
        }
    }

    @Test(arguments: [
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("1 * 2 + 3", "((1 * 2) + 3)"),
        ("1 - 2 - 3", "((1 - 2) - 3)"),
        ("2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))"),
        ("2 * 3 ^ 2", "(2 * (3 ^ 2))"),
        ("1 + 2 > bool 3", "((1 + 2) > 3)"),
        ("vector(1) or vector(2) and vector(3)", "(v1 or (v2 and v3))"),
        ("vector(1) unless vector(2) or vector(3)", "((v1 unless v2) or v3)"),
        ("vector(1) > 2 and vector(3)", "((v1 > 2) and v3)"),
        ("(1 + 2) * 3", "((1 + 2) * 3)"),
        ("1 % 2 / 3", "((1 % 2) / 3)"),
        ("-1 + -2", "(-1 + -2)"),
    ])
    func precedence(query: String, expected: String) throws {
        #expect(shape(try LogQLParser.parseMetricQuery(query)) == expected)
    }

    @Test func printerKeepsGrouping() throws {
        for query in ["(1 + 2) * 3", "2 ^ (3 ^ 2)", "(2 ^ 3) ^ 2", "1 - (2 - 3)", "(vector(1) or vector(2)) and vector(3)"] {
            let expr = try LogQLParser.parseMetricQuery(query)
            #expect(try LogQLParser.parseMetricQuery(expr.description) == expr, "\(query) -> \(expr)")
        }
        #expect(try LogQLParser.parseMetricQuery("(1 + 2) * 3").description == "(1 + 2) * 3")
        #expect(try LogQLParser.parseMetricQuery("1 + (2 * 3)").description == "1 + 2 * 3")
    }
}

@Suite("LogQL canonical printer")
struct LogQLPrinterTests {
    @Test(arguments: [
        (#"sum(rate({app="api"}[5m]))by(level)"#, #"sum by (level) (rate({app="api"}[5m]))"#),
        (#"count_over_time({a="b"}[5m] |= "x")"#, #"count_over_time({a="b"} |= "x" [5m])"#),
        (#"{a="b"}|json|status>=500,level=`error`"#, #"{a="b"} | json | status >= 500 and level="error""#),
        (#"{a="b"} |~ `\d+`"#, #"{a="b"} |~ "\\d+""#),
        (#"rate({a="b"}[1m0s])"#, #"rate({a="b"}[1m])"#),
        (#"topk(5,sum by(x)(rate({a="b"}[90s])))"#, #"topk(5, sum by (x) (rate({a="b"}[1m30s])))"#),
        (#"{a="b"} | logfmt --keep-empty --strict"#, #"{a="b"} | logfmt --strict --keep-empty"#),
        (#"vector(1) / on(a) group_left vector(2)"#, #"vector(1) / on (a) group_left () vector(2)"#),
    ])
    func canonicalForm(query: String, expected: String) throws {
        #expect(try LogQLParser.parse(query).description == expected)
    }
}
