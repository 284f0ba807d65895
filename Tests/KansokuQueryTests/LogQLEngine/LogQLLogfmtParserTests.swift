import Testing
@testable import KansokuQuery

@Suite("| logfmt splits pairs on the line's bytes")
struct LogQLLogfmtParserTests {
    private func parse(_ line: String, _ flags: LogQLLogfmtFlags = LogQLLogfmtFlags(),
                       _ extractions: [LogQLLabelExtraction] = []) -> [String: String] {
        var labels = LogQLLabelsBuilder(stream: LogQLLabels(["app": "x"]), metadata: [])
        LogQLLineParsers.logfmt(line, flags: flags, extractions: extractions, &labels)
        return labels.labels.dictionary.filter { $0.key != "app" }
    }

    @Test("quoted values with escapes, empty and bare keys, a key colliding with a stream label")
    func pairs() {
        let line = #"a=1 b="x y" c= d e="q\"uote\n\\" app=web f="""#
        #expect(parse(line) == ["a": "1", "b": "x y", "e": "q\"uote\n\\", "app_extracted": "web"])
        #expect(parse(line, LogQLLogfmtFlags(keepEmpty: true))
            == ["a": "1", "b": "x y", "c": "", "d": "", "e": "q\"uote\n\\", "app_extracted": "web", "f": ""])
    }

    @Test("non-ASCII text stays whole; keys are sanitised")
    func unicode() {
        #expect(parse(#"msg="héllo wörld" ü=1 path=/caf\#u{E9}"#) == ["msg": "héllo wörld", "_": "1", "path": "/caf\u{E9}"])
        #expect(parse(#"msg="a \é b""#) == ["msg": "a é b"])
    }

    @Test("malformed pairs are skipped, or with --strict stop parsing with an error")
    func malformed() {
        #expect(parse(#"a=1 b=x=y c="open d=2"#) == ["a": "1"])
        #expect(parse(#"k"ey=1 z=2"#) == ["z": "2"])
        let strict = parse("a=1 b=x=y c=3", LogQLLogfmtFlags(strict: true))
        #expect(strict["a"] == "1" && strict["c"] == nil)
        #expect(strict["__error__"] == "LogfmtParserErr")
    }

    @Test("with extractions only the named keys are taken, under their labels")
    func extractions() {
        let wanted = [LogQLLabelExtraction(label: "lvl", expression: "level"), LogQLLabelExtraction(label: "other", expression: "level")]
        #expect(parse("level=warn msg=x", LogQLLogfmtFlags(), wanted) == ["lvl": "warn"])
    }
}
