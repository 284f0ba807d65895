import Testing
@testable import KansokuQuery

@Suite("| decolorize removes ANSI SGR sequences")
struct LogQLDecolorizeTests {
    /// The plain definition, on Unicode scalars.
    private func reference(_ line: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(line.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\u{1B}", i + 1 < scalars.count, scalars[i + 1] == "[" {
                var j = i + 2
                while j < scalars.count, ("0"..."9").contains(scalars[j]) || scalars[j] == ";" { j += 1 }
                if j < scalars.count, scalars[j] == "m" { i = j + 1; continue }
            }
            out.append(scalars[i])
            i += 1
        }
        return String(out)
    }

    @Test("examples")
    func examples() {
        #expect(LogQLPipeline.decolorize("\u{1B}[31mERROR\u{1B}[0m job") == "ERROR job")
        #expect(LogQLPipeline.decolorize("plain") == "plain")
        #expect(LogQLPipeline.decolorize("\u{1B}[1;32mok\u{1B}[m é") == "ok é")
        #expect(LogQLPipeline.decolorize("keep \u{1B}[12 and \u{1B}x and \u{1B}") == "keep \u{1B}[12 and \u{1B}x and \u{1B}")
    }

    @Test("every short string of ESC, [, digits, ;, m and others: the bytes give the scalars' answer")
    func exhaustive() {
        let alphabet = ["\u{1B}", "[", "3", ";", "m", "x", "é"]
        var texts = [""]
        for _ in 0..<6 { texts = texts.flatMap { text in alphabet.map { text + $0 } } }
        for text in texts { #expect(LogQLPipeline.decolorize(text) == reference(text), "\(text.debugDescription)") }
    }
}
