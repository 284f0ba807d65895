import Testing
@testable import KansokuQuery

/// Queries that must be rejected, with the exact text returned to Grafana.
@Suite("LogQL error table")
struct LogQLErrorTableTests {
    static let emptyMatchers = "parse error : queries require at least one regexp or equality matcher that does not "
        + #"have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will"#

    static let cases: [(query: String, message: String)] = [
        // Selector validation (Loki: validateMatchers)
        (#"{}"#, emptyMatchers),
        (#"{app=~".*"}"#, emptyMatchers),
        (#"{app=""}"#, emptyMatchers),
        (#"{app!="x"}"#, emptyMatchers),
        (#"{app=~".*", env!~"prod"}"#, emptyMatchers),
        (#"sum(rate({app=~".*"}[5m]))"#, emptyMatchers),
        // Range aggregation validation
        (#"sum_over_time({app="api"}[5m])"#, "parse error : invalid aggregation sum_over_time without unwrap"),
        (#"avg_over_time({app="api"} | json [5m])"#, "parse error : invalid aggregation avg_over_time without unwrap"),
        (#"count_over_time({app="api"} | logfmt | unwrap x [5m])"#,
         "parse error : invalid aggregation count_over_time with unwrap"),
        (#"bytes_rate({app="api"} | unwrap x [5m])"#, "parse error : invalid aggregation bytes_rate with unwrap"),
        (#"rate({app="api"}[5m]) by (pod)"#, "parse error : grouping not allowed for rate aggregation"),
        (#"quantile_over_time({app="api"} | unwrap x [5m])"#,
         "parse error : parameter required for operation quantile_over_time"),
        (#"count_over_time(0.5, {app="api"}[5m])"#,
         "parse error : parameter 0.5 not supported for operation count_over_time"),
        // Vector aggregation validation
        (#"topk(rate({app="api"}[5m]))"#, "parse error : parameter required for operation topk"),
        (#"sum(5, rate({app="api"}[5m]))"#, "parse error : unsupported parameter for operation sum(5,"),
        (#"topk(0, rate({app="api"}[5m]))"#, "parse error : invalid parameter (must be greater than 0) topk(0,"),
        (#"topk(1.5, rate({app="api"}[5m]))"#, "parse error : invalid parameter topk(1.5,"),
        // Binary operation validation
        (#"{app="api"} + 1"#, "parse error : unexpected type for left leg of binary operation (+): *syntax.MatchersExpr"),
        (#"1 > {app="api"} |= "x""#,
         "parse error : unexpected type for right leg of binary operation (>): *syntax.PipelineExpr"),
        (#"rate({app="api"}[5m]) + bool 1"#, "parse error : bool modifier can only be used on comparison operators"),
        (#"rate({app="api"}[5m]) or 1"#,
         "parse error : unexpected literal for right leg of logical/set binary operation (or): 1"),
        // Pipeline validation
        (#"{app="api"} | regexp "(\\w+)""#, "parse error : at least one named capture must be supplied"),
        (#"{app="api"} | label_format a=b, a="{{.c}}""#,
         "parse error : multiple label name 'a' not allowed in a single format operation"),
        // Syntax errors
        (#"{app="api"} | unwrap x"#, "parse error at line 1, col 15: syntax error: unexpected unwrap"),
        (#"rate({app="api"})"#, "parse error at line 1, col 17: syntax error: unexpected ), expecting ["),
        (#"sum({app="api"})"#, "parse error at line 1, col 16: syntax error: unexpected ), expecting ["),
        (#"{app="api"} |= "x" | json |"#,
         "parse error at line 1, col 28: syntax error: unexpected $end, expecting IDENTIFIER"),
        (#"{app api}"#, "parse error at line 1, col 6: syntax error: unexpected IDENTIFIER, expecting =, !=, =~ or !~"),
        (#"{app="api",}"#, "parse error at line 1, col 12: syntax error: unexpected }, expecting IDENTIFIER"),
        (#"{app="api"} |= 5"#, "parse error at line 1, col 16: syntax error: unexpected NUMBER, expecting STRING"),
        (#"{app="api"} | level == "x""#,
         "parse error at line 1, col 24: syntax error: unexpected STRING, expecting NUMBER, DURATION or BYTES"),
        (#"rate({app="api"}[5])"#, "parse error at line 1, col 18: syntax error: unexpected NUMBER, expecting DURATION"),
        (#"sum by (a (rate({x="y"}[1m]))"#, "parse error at line 1, col 11: syntax error: unexpected (, expecting , or )"),
        (#"foo(1)"#, "parse error at line 1, col 1: syntax error: unexpected IDENTIFIER"),
        (#"rate({app="api"}[5m]"#, "parse error at line 1, col 21: syntax error: unexpected $end, expecting )"),
        (#"{app="api"} {b="c"}"#, "parse error at line 1, col 13: syntax error: unexpected {"),
        (#"sum(rate({app="api"}[5m])) by (a) by (b)"#, "parse error at line 1, col 35: syntax error: unexpected by"),
        ("{app=\"api\"}\n| json\n| status >", "parse error at line 3, col 11: syntax error: unexpected $end, expecting NUMBER, DURATION or BYTES"),
        (#"{app="api"} | logfmt --bogus"#, "parse error at line 1, col 22: invalid logfmt flag --bogus"),
        (#"{app="api} |= "x""#, "parse error at line 1, col 17: literal not terminated"),
    ]

    @Test func tableIsLargeEnough() {
        #expect(Self.cases.count >= 20)
    }

    @Test(arguments: cases)
    func fails(query: String, message: String) {
        #expect(throws: LogQLParseError.self) { try LogQLParser.parse(query) }
        do {
            _ = try LogQLParser.parse(query)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func logQueryWhereMetricRequired() {
        #expect(throws: LogQLParseError(message: "only sample expression supported")) {
            try LogQLParser.parseMetricQuery(#"{app="api"} |= "error""#)
        }
        #expect(throws: LogQLParseError(message: "only log selector is supported")) {
            try LogQLParser.parseLogQuery(#"rate({app="api"}[5m])"#)
        }
    }

    @Test func syntaxErrorsWinOverSelectorValidation() {
        // Loki validates selectors after parsing, so the syntax error is reported.
        #expect(throws: LogQLParseError(message: "syntax error: unexpected $end, expecting STRING",
                                        position: LogQLSourcePosition(offset: 15, line: 1, column: 16))) {
            try LogQLParser.parse(#"{app=~".*"} |= "#)
        }
    }

    @Test func errorIsSendableAndDescribable() {
        let error: any Error & Sendable = LogQLParseError(
            message: "syntax error: unexpected IDENTIFIER", position: LogQLSourcePosition(offset: 9, line: 1, column: 10))
        #expect("\(error)" == "parse error at line 1, col 10: syntax error: unexpected IDENTIFIER")
    }
}
