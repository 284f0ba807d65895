import Testing
@testable import KansokuQuery

@Suite("LogQL lexer")
struct LogQLLexerTests {
    private func kinds(_ query: String) throws -> [LogQLTokenKind] {
        try LogQLLexer.tokenize(query).map(\.kind)
    }

    @Test func punctuationAndOperators() throws {
        #expect(try kinds(#"{a="b"} |= != |~ !~ |> !> | = =~ == > >= < <= + - * / % ^ , ( ) [ ]"#) == [
            .openBrace, .identifier, .eq, .string, .closeBrace, .pipeExact, .neq, .pipeMatch, .nre, .pipePattern,
            .npa, .pipe, .eq, .re, .cmpEq, .gt, .gte, .lt, .lte, .add, .sub, .mul, .div, .mod, .pow, .comma,
            .openParen, .closeParen, .openBracket, .closeBracket, .eof,
        ])
    }

    @Test func numbersDurationsAndBytes() throws {
        let tokens = try LogQLLexer.tokenize("5 0.99 1e3 2E-4 5m 1h30m 1m0s 10ms 250us 1KB 1.5MiB 20b 1EB")
        #expect(tokens.map(\.kind) == [
            .number, .number, .number, .number, .duration, .duration, .duration, .duration, .duration,
            .bytes, .bytes, .bytes, .bytes, .eof,
        ])
        #expect(LogQLDuration(parsing: "1h30m")?.nanoseconds == 5_400_000_000_000)
        #expect(LogQLDuration(parsing: "1m0s") == LogQLDuration(parsing: "60s"))
        #expect(LogQLDuration(parsing: "1d") == LogQLDuration(seconds: 86_400))
        #expect(LogQLByteSize(parsing: "1KB")?.bytes == 1000)
        #expect(LogQLByteSize(parsing: "1KiB")?.bytes == 1024)
        #expect(LogQLByteSize(parsing: "1.5MiB")?.bytes == 1_572_864)
    }

    @Test func stringsAreUnquoted() throws {
        let tokens = try LogQLLexer.tokenize(#""a\"b\\n\t\u00e9" `raw\d+`"#)
        #expect(tokens[0].value == "a\"b\\n\té")
        #expect(tokens[1].value == #"raw\d+"#)
        #expect(tokens[0].kind == .string && tokens[1].kind == .string)
    }

    @Test func keywordsAreIdentifiersAndFlagsAreTokens() throws {
        let tokens = try LogQLLexer.tokenize("sum by json --strict --keep-empty")
        #expect(tokens.map(\.kind) == [.identifier, .identifier, .identifier, .flag, .flag, .eof])
        #expect(tokens[3].text == "--strict")
        #expect(tokens[0].errorName == "sum")
        #expect(try LogQLLexer.tokenize("app")[0].errorName == "IDENTIFIER")
    }

    @Test func commentsAndPositions() throws {
        let tokens = try LogQLLexer.tokenize("{a=\"b\"} # comment |= \"x\"\n  |= \"y\"")
        #expect(tokens.map(\.kind) == [.openBrace, .identifier, .eq, .string, .closeBrace, .pipeExact, .string, .eof])
        #expect(tokens[5].position == LogQLSourcePosition(offset: 27, line: 2, column: 3))
    }

    @Test func lexicalErrors() {
        #expect(throws: LogQLParseError(message: "literal not terminated",
                                        position: LogQLSourcePosition(offset: 5, line: 1, column: 6))) {
            try LogQLLexer.tokenize(#"{a = "b}"#)
        }
        #expect(throws: LogQLParseError.self) { try LogQLLexer.tokenize("{a=`b}") }
        #expect(throws: LogQLParseError.self) { try LogQLLexer.tokenize(#"{a="\q"}"#) }
        #expect(throws: LogQLParseError.self) { try LogQLLexer.tokenize("{a=\"b\"} ; ") }
        #expect(throws: LogQLParseError.self) { try LogQLLexer.tokenize("[5zz]") }
    }
}
