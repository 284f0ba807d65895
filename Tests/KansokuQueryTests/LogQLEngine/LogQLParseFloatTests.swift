import Testing
@testable import KansokuQuery

@Suite("Label filter numbers: Go's ParseFloat forms, no surrounding spaces")
struct LogQLParseFloatTests {
    @Test("spaces of any kind around the number are refused; numbers are read as Double reads them")
    func spaces() {
        let texts = ["1", "-2.5", "1e3", "+7", "Inf", "NaN", ".5", "", " 1", "1 ", "\t2", "3\n", "\u{A0}1", "1\u{A0}",
                     "\u{2003}4", "4\u{2003}", "\u{85}5", "1_000", "12abc", "\u{FF11}"]
        for text in texts {
            // The plain definition: any whitespace character at either end refuses it.
            let expected: Double? = text.isEmpty || text.first!.isWhitespace || text.last!.isWhitespace ? nil : Double(text)
            let got = logqlParseFloat(text)
            #expect(got == expected || (got?.isNaN == true && expected?.isNaN == true), "\(text.debugDescription)")
        }
        #expect(logqlParseFloat(" 1") == nil)
        #expect(logqlParseFloat("2.5") == 2.5)
    }
}
