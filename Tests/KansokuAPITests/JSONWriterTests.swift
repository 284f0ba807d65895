import Foundation
import KansokuAPI
import Testing

@Suite("JSONWriter")
struct JSONWriterTests {
    private func text(_ build: (inout JSONWriter) -> Void) -> String {
        var json = JSONWriter()
        build(&json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    private func parsed(_ bytes: [UInt8]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    @Test func structureAndCommas() {
        let output = text { json in
            json.beginObject()
            json.key("a"); json.number(Int64(1))
            json.key("b"); json.beginArray()
            json.bool(true); json.bool(false); json.null()
            json.beginObject(); json.endObject()
            json.beginArray(); json.endArray()
            json.endArray()
            json.key("c"); json.rawValue(Array(#"{"x":[1,2]}"#.utf8))
            json.key("d"); json.string("")
            json.endObject()
        }
        #expect(output == #"{"a":1,"b":[true,false,null,{},[]],"c":{"x":[1,2]},"d":""}"#)
    }

    @Test func escapesQuoteBackslashAndShortForms() {
        #expect(text { $0.string("say \"hi\" \\ now") } == #""say \"hi\" \\ now""#)
        #expect(text { $0.string("a\nb\rc\td\u{8}e\u{C}f") } == #""a\nb\rc\td\be\ff""#)
        #expect(text { $0.string("/") } == #""/""#)  // solidus needs no escape
    }

    @Test func escapesEveryControlCharacter() throws {
        let controls = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        let output = text { $0.string(controls) }
        #expect(output.hasPrefix(#""\u0000\u0001"#))
        #expect(output.contains(#"\u001f""#))
        #expect(!output.utf8.contains { $0 < 0x20 })
        #expect(try parsed(Array(output.utf8)) as? String == controls)
    }

    @Test func unicodePassesThroughExceptLineSeparators() throws {
        let value = "ünïcödé 世界 🌍 \u{7F} \u{2027}\u{2028}\u{2029}\u{202A} e\u{301}"  // e + combining acute stays as is
        let output = text { $0.string(value) }
        #expect(output == "\"ünïcödé 世界 🌍 \u{7F} \u{2027}\\u2028\\u2029\u{202A} e\u{301}\"")
        #expect(try parsed(Array(output.utf8)) as? String == value)
    }

    @Test func keysAreEscapedToo() throws {
        let output = text { json in
            json.beginObject()
            json.key("we\"ird\nkey ✓"); json.number(Int64(1))
            json.endObject()
        }
        let object = try #require(try parsed(Array(output.utf8)) as? [String: Any])
        #expect(object["we\"ird\nkey ✓"] as? Int == 1)
    }

    @Test func integers() {
        #expect(text { $0.number(Int64.min) } == "-9223372036854775808")
        #expect(text { $0.number(Int64.max) } == "9223372036854775807")
        #expect(text { $0.number(Int64(0)) } == "0")
        #expect(text { $0.number(Int64(-7)) } == "-7")
        #expect(text { $0.number(UInt64.max) } == "18446744073709551615")
        #expect(text { $0.number(UInt64(10)) } == "10")
        #expect(text { $0.quotedNumber(1_700_000_000_123_456_789) } == #""1700000000123456789""#)
        #expect(text { $0.quotedNumber(0) } == #""0""#)
        #expect(text { $0.quotedNumber(.max) } == #""18446744073709551615""#)
    }

    @Test func doublesUseShortestRoundTripText() throws {
        let cases: [(Double, String)] = [
            (0.1, "0.1"), (1, "1.0"), (-0.0, "-0.0"), (1e-5, "1e-05"), (123456.789, "123456.789"),
            (1e300, "1e+300"), (.leastNonzeroMagnitude, "5e-324"), (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        ]
        for (value, expected) in cases {
            let output = text { $0.number(value) }
            #expect(output == expected)
            #expect(try parsed(Array(output.utf8)) as? Double == value)
        }
    }

    @Test func nonFiniteDoublesAreStrings() {
        #expect(text { $0.number(Double.nan) } == #""NaN""#)
        #expect(text { $0.number(-Double.nan) } == #""NaN""#)
        #expect(text { $0.number(Double.infinity) } == #""+Inf""#)
        #expect(text { $0.number(-Double.infinity) } == #""-Inf""#)
    }

    @Test func base64MatchesRFC4648Vectors() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (input, expected) in vectors {
            #expect(text { $0.base64String(Array(input.utf8)) } == "\"\(expected)\"")
        }
        let all = (0...255).map { UInt8($0) }
        #expect(text { $0.base64String(all) } == "\"\(Data(all).base64EncodedString())\"")
    }
}
