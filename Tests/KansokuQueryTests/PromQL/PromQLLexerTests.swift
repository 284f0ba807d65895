import Testing
@testable import KansokuQuery

@Suite("PromQL lexer")
struct PromQLLexerTests {
    private func kinds(_ query: String) throws -> [PromQLTokenKind] {
        try PromQLLexer.tokenize(query).map(\.kind)
    }

    @Test func operatorsAndPunctuation() throws {
        #expect(try kinds("+ - * / % ^ == != < <= > >= </ >/ ( ) , @") == [
            .add, .sub, .mul, .div, .mod, .pow, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual,
            .trimUpper, .trimLower, .leftParen, .rightParen, .comma, .at, .eof,
        ])
    }

    @Test func selectorTokensInsideBraces() throws {
        #expect(try kinds(#"up{job="a",x!="b",y=~"c",z!~'d'}"#) == [
            .identifier, .leftBrace, .identifier, .assign, .string, .comma, .identifier, .notEqual, .string, .comma,
            .identifier, .regexMatch, .string, .comma, .identifier, .regexNoMatch, .string, .rightBrace, .eof,
        ])
    }

    @Test func rangesAndSubqueries() throws {
        #expect(try kinds("x[5m:30s]") == [.identifier, .leftBracket, .duration, .colon, .duration, .rightBracket, .eof])
    }

    @Test func metricIdentifiersKeepColons() throws {
        let tokens = try PromQLLexer.tokenize("job:rate5m:sum")
        #expect(tokens[0].kind == .metricIdentifier)
        #expect(tokens[0].text == "job:rate5m:sum")
    }

    @Test func numbersDurationsAndSpecialValues() throws {
        #expect(try kinds("1 1.5 .5 1e3 1E-3 0x1F 5m 1h30m 100ms Inf nan") == [
            .number, .number, .number, .number, .number, .number, .duration, .duration, .duration, .number, .number, .eof,
        ])
    }

    @Test func positionsCountLinesAndColumns() throws {
        let tokens = try PromQLLexer.tokenize("sum(\n  rate(x[5m])\n)")
        let rate = try #require(tokens.first { $0.text == "rate" })
        #expect(rate.position.line == 2)
        #expect(rate.position.column == 3)
        #expect(rate.position.offset == 7)
        #expect(rate.position.description == "2:3")
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let tokens = try PromQLLexer.tokenize(#"{a="äö"} + b"#)
        let plus = try #require(tokens.first { $0.kind == .add })
        #expect(plus.position.column == 10)
        #expect(plus.position.offset == 11)
    }

    @Test func commentsAreSkipped() throws {
        #expect(try kinds("up # the metric\n+ 1") == [.identifier, .add, .number, .eof])
    }

    @Test func keywordsAreIdentifiersWithCaseInsensitiveKeyword() throws {
        let tokens = try PromQLLexer.tokenize("SUM BY Offset")
        #expect(tokens.map(\.keyword) == ["sum", "by", "offset", nil])
    }

    @Test(arguments: [
        ("1_000", #"bad number or duration syntax: "1""#),
        ("2.5.", #"bad number or duration syntax: "2.5.""#),
        ("0deadbeef", #"bad number or duration syntax: "0de""#),
        ("a =~ b", "unexpected character after '=': '~'"),
        ("a ! b", "unexpected character after '!': ' '"),
        ("$", "unexpected character: '$'"),
        ("}", "unexpected character: '}'"),
        ("x[5m[5m]]", "unexpected left bracket '['"),
        ("x]", "unexpected right bracket ']'"),
        ("(x", "unclosed left parenthesis"),
        ("x[5m", "unexpected end of input in duration expression"),
        ("{a=\"b\"", "unexpected end of input inside braces"),
        ("{a:b=\"c\"}", "unexpected character inside braces: ':'"),
        ("\"abc", "unterminated quoted string"),
        ("`abc", "unterminated raw string"),
        ("x[5s x 5s]", "unexpected character: 'x', expected ':'"),
    ])
    func lexerErrors(query: String, message: String) {
        #expect(promqlError(query)?.message == message)
    }
}
