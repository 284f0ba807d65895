import Testing
@testable import KansokuQuery

@Suite("PromQL literals")
struct PromQLLiteralTests {
    @Test(arguments: [(String, Double)]([
        ("1", 1.0), ("1.5", 1.5), (".5", 0.5), ("5.", 5.0), ("1e3", 1000), ("1E-2", 0.01), ("2.5e+2", 250),
        ("0x1F", 31), ("0X10", 16), ("010", 8), ("09", 9),
    ]))
    func numbers(text: String, value: Double) throws {
        #expect(try PromQLParser.parse(text) == .number(value))
    }

    @Test func specialNumbers() throws {
        #expect(try PromQLParser.parse("Inf") == .number(.infinity))
        #expect(try PromQLParser.parse("+inf") == .number(.infinity))
        #expect(try PromQLParser.parse("-Inf") == .number(-.infinity))
        guard case .number(let nan, _) = try PromQLParser.parse("NaN") else {
            Issue.record("NaN did not parse as a number")
            return
        }
        #expect(nan.isNaN)
    }

    @Test func underscoreSeparatorsAreRejected() {
        #expect(promqlError("1_000") != nil)
        #expect(PromQLNumber.parse("1_000") == nil)
    }

    @Test func hugeNumbersOverflowToAnError() {
        let digits = String(repeating: "9", count: 400)
        #expect(promqlError(digits)?.message.hasPrefix("error parsing number: strconv.ParseFloat: parsing") == true)
    }

    static let durationCases: [(String, Int64)] = [
        ("1h30m", 5_400_000), ("100ms", 100), ("1y", 31_536_000_000), ("1w", 604_800_000), ("1d", 86_400_000),
        ("5m", 300_000), ("30s", 30_000), ("1y2w3d4h5m6s7ms", 33_019_506_007), ("0", 0),
    ]

    @Test(arguments: durationCases)
    func durations(text: String, milliseconds: Int64) {
        #expect(PromQLDuration(parsing: text)?.milliseconds == milliseconds)
    }

    @Test(arguments: ["", "5", "1m1h", "1h1h", "5mm", "m", "1.5h", "5x"])
    func invalidDurations(text: String) {
        #expect(PromQLDuration(parsing: text) == nil)
    }

    @Test func durationFormatting() {
        #expect(PromQLDuration(milliseconds: 5_400_000).description == "1h30m")
        #expect(PromQLDuration(milliseconds: 604_800_000).description == "1w")
        #expect(PromQLDuration(milliseconds: 31_536_000_000).description == "1y")
        #expect(PromQLDuration(milliseconds: 90_061_001).description == "1d1h1m1s1ms")
        #expect(PromQLDuration(milliseconds: 0).description == "0s")
        #expect(PromQLDuration(milliseconds: -300_000).description == "-5m")
    }

    @Test func durationErrorsUseUpstreamWording() {
        #expect(promqlError("x[5y1hs]")?.message == #"unknown unit "hs" in duration "5y1hs""#)
        #expect(promqlError("x[1m1h]")?.message == #"not a valid duration string: "1m1h""#)
    }

    @Test(arguments: [
        (#""a\nb""#, "a\nb"), (#"'a\'b'"#, "a'b"), (#""a\"b""#, "a\"b"), (#""\\""#, "\\"),
        (#""\t\r\a\b\f\v""#, "\t\r\u{07}\u{08}\u{0C}\u{0B}"), (#""\x41\101\u00e4\U0001F600""#, "AAä😀"),
        (#""\xc3\xa4""#, "ä"), ("`raw\\n\"'`", "raw\\n\"'"), ("'double \" inside'", "double \" inside"),
        (#""""#, ""),
    ])
    func stringEscapes(literal: String, value: String) throws {
        #expect(try PromQLParser.parse(literal) == .string(value))
    }

    @Test(arguments: [
        (#""\c""#, "unknown escape sequence U+0063 'c'"),
        (#""\x4g""#, "illegal character U+0067 'g' in escape sequence"),
        (#""\'""#, "unknown escape sequence U+0027 '''"),
        (#"'\"'"#, "unknown escape sequence U+0022 '\"'"),
        (#""\uD800""#, "escape sequence is an invalid Unicode code point"),
        ("\"\\", "escape sequence not terminated"),
        ("\"a\nb\"", "unterminated quoted string"),
    ])
    func invalidEscapes(literal: String, message: String) {
        #expect(promqlError(literal)?.message == message)
    }

    @Test func stringQuotingMatchesGo() {
        #expect(PromQLStringLiteral.quote("a\"b\\c\n\u{01}ä") == #""a\"b\\c\n\x01ä""#)
    }

    @Test func numberFormattingMatchesGoFormatFloat() {
        #expect(PromQLNumber.format(1) == "1")
        #expect(PromQLNumber.format(1e6) == "1000000")
        #expect(PromQLNumber.format(0.0001) == "0.0001")
        #expect(PromQLNumber.format(1.5e-7) == "0.00000015")
        #expect(PromQLNumber.format(-2.25) == "-2.25")
        #expect(PromQLNumber.format(.infinity) == "+Inf")
        #expect(PromQLNumber.format(-.infinity) == "-Inf")
        #expect(PromQLNumber.format(.nan) == "NaN")
        #expect(PromQLNumber.formatShortest(1e6) == "1e+06")
        #expect(PromQLNumber.formatShortest(123456) == "123456")
        #expect(PromQLNumber.formatShortest(0.00001) == "1e-05")
    }
}
