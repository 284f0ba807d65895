import KansokuModel
import Testing
@testable import KansokuQuery

@Suite("LogQL index pushdown: requirements derived from leading filters")
struct LogQLQueryHintsTests {
    static let id = TraceID(hex: "0af7651916cd43dd8448eb211c80319c")!

    static func hints(_ query: String) throws -> String {
        LogQLQueryHints(pipeline: try LogQLParser.parseLogQuery(query).pipeline).description
    }

    @Test("only tokens delimited on both sides inside a needle are required, lowercased")
    func innerTokens() throws {
        #expect(try Self.hints(#"{a="b"} |= "user=alice id""#) == "all(contains(user=alice id), token(alice))")
        #expect(try Self.hints(#"{a="b"} |= "GET /api/v1/users HTTP""#)
            == "all(contains(GET /api/v1/users HTTP), token(api), token(v1), token(users))")
        #expect(try Self.hints(#"{a="b"} |= "Level=ERROR msg""#) == "all(contains(Level=ERROR msg), token(error))")
        // A needle may start or end inside a line token: no token to require, only the bytes.
        #expect(try Self.hints(#"{a="b"} |= "error""#) == "contains(error)")
        #expect(try Self.hints(#"{a="b"} |= "rror: time""#) == "contains(rror: time)")
        #expect(try Self.hints(#"{a="b"} |= """#) == "none")
    }

    @Test("canonical equivalence: no K tokens, no ; or ` delimiters, no non-ASCII needles")
    func canonicalEquivalence() throws {
        // K, ; and ` may be matched by other bytes: no byte search, and no token holding or bounded by them.
        #expect(try Self.hints(#"{a="b"} |= " OK done ""#) == "token(done)")
        #expect(try Self.hints(#"{a="b"} |= "a;b;c""#) == "none")
        #expect(try Self.hints(#"{a="b"} |= "x `cmd` y""#) == "none")
        #expect(try Self.hints(#"{a="b"} |= "caf\u00e9 au lait""#) == "none")
        #expect(LogQLNeedleTerms.innerTokens(Array(" ok ".utf8)) == ["ok"])
    }

    @Test("32 hex digits are a trace id the line contains, wherever they are in the needle")
    func traceIDs() throws {
        #expect(try Self.hints(#"{a="b"} |= "0af7651916cd43dd8448eb211c80319c""#)
            == "all(contains(\(Self.id.hex)), line_trace_id(\(Self.id.hex)))")
        #expect(try Self.hints(#"{a="b"} |= "trace=0AF7651916CD43DD8448EB211C80319C""#)
            == "all(contains(trace=0AF7651916CD43DD8448EB211C80319C), line_trace_id(\(Self.id.hex)))")
        #expect(try Self.hints(#"{a="b"} |= " id=0af7651916cd43dd8448eb211c80319c ""#)
            == "all(contains( id=\(Self.id.hex) ), token(id), token(\(Self.id.hex)), line_trace_id(\(Self.id.hex)))")
        // 33 hex digits, or all zeros: not an id.
        #expect(try Self.hints(#"{a="b"} |= "0af7651916cd43dd8448eb211c80319cf""#) == "contains(0af7651916cd43dd8448eb211c80319cf)")
        #expect(try Self.hints(#"{a="b"} |= "00000000000000000000000000000000""#) == "contains(00000000000000000000000000000000)")
        #expect(try Self.hints(#"{a="b"} | trace_id="0af7651916cd43dd8448eb211c80319c""#) == "trace_id(\(Self.id.hex))")
        #expect(try Self.hints(#"{a="b"} | trace_id="0af7651916cd43dd8448eb211c80319c" and level="x""#) == "trace_id(\(Self.id.hex))")
        #expect(try Self.hints(#"{a="b"} | trace_id="0af7651916cd43dd8448eb211c80319c" or level="x""#) == "none")
        #expect(try Self.hints(#"{a="b"} | trace_id=~"0af7651916cd43dd8448eb211c80319c""#) == "none")
    }

    @Test("negative filters, or with an empty alternative, and stages after a parser give nothing")
    func conservative() throws {
        #expect(try Self.hints(#"{a="b"} != " foo ""#) == "none")
        #expect(try Self.hints(#"{a="b"} !~ " foo ""#) == "none")
        #expect(try Self.hints(#"{a="b"} |> "<_> foo <_>""#) == "none")
        #expect(try Self.hints(#"{a="b"} |= " foo " or "K""#) == "none")
        #expect(try Self.hints(#"{a="b"} |= " foo " or "bar""#) == "any(all(contains( foo ), token(foo)), contains(bar))")
        #expect(try Self.hints(#"{a="b"} | json |= " foo ""#) == "none")
        #expect(try Self.hints(#"{a="b"} | line_format "x" |= " foo ""#) == "none")
        #expect(try Self.hints(#"{a="b"} | decolorize |= " foo ""#) == "none")
        // Filters before the parser still count; negative ones are skipped, not a barrier.
        #expect(try Self.hints(#"{a="b"} != "x" |= " foo " | logfmt |= " bar ""#) == "all(contains( foo ), token(foo))")
        #expect(try Self.hints(#"{a="b"} |= " foo " |= " bar ""#) == "all(contains( foo ), token(foo), contains( bar ), token(bar))")
    }

    @Test("regex literals: runs between operators, quantified characters dropped, top-level alternation")
    func regexLiterals() throws {
        #expect(LogQLRegexLiterals.branches("level=error .* user=alice ") == [["level=error ", " user=alice "]])
        #expect(LogQLRegexLiterals.branches("ab+c") == [["a", "c"]])
        #expect(LogQLRegexLiterals.branches(#"GET /api/\d+ HTTP"#) == [["GET /api/", " HTTP"]])
        #expect(LogQLRegexLiterals.branches(#"a\.b[x\]y]z{2,3}q"#) == [["a.b", "q"]])
        #expect(LogQLRegexLiterals.branches("foo|bar") == [["foo"], ["bar"]])
        #expect(LogQLRegexLiterals.branches("(?i)error") == nil)
        #expect(LogQLRegexLiterals.branches("(a|b) c") == nil)
        #expect(LogQLRegexLiterals.branches(#"\p{L}"#) == nil)
        #expect(LogQLRegexLiterals.branches("caf\u{e9}") == nil)
        #expect(try Self.hints(#"{a="b"} |~ "level=error .* user=alice ""#)
            == "all(contains(level=error ), token(error), contains( user=alice ), token(user), token(alice))")
        #expect(try Self.hints(#"{a="b"} |~ " foo | bar ""#) == "any(all(contains( foo ), token(foo)), all(contains( bar ), token(bar)))")
        #expect(try Self.hints(#"{a="b"} |~ "foo|bar""#) == "any(contains(foo), contains(bar))")
        #expect(try Self.hints(#"{a="b"} |~ "foo|""#) == "none")
        #expect(try Self.hints(#"{a="b"} |~ "(?i) error ""#) == "none")
    }
}
