import Foundation
import Testing
@testable import KansokuRegex

/// `Fixtures/go_regexp_answers.json` holds Go's own answers (recorded by
/// `Fixtures/record_go_answers.go`): 400 random patterns over a small
/// alphabet, 8 random texts each, and hand-written cases where Go differs
/// from Swift's `Regex` or backtracking engines disagree among themselves.
@Suite("RE2Regex gives Go's regexp answers")
struct RE2RegexTests {
    struct Answer: Decodable {
        struct Case: Decodable {
            let text: String
            let match: [Int]?
            let whole: Bool
        }
        let pattern: String
        let texts: [Case]
    }

    static let answers: [Answer] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/go_regexp_answers.json")
        // A missing or unreadable file fails the tests below, which expect hundreds of cases.
        guard let data = try? Data(contentsOf: url) else { return [] }
        return (try? JSONDecoder().decode([Answer].self, from: data)) ?? []
    }()

    @Test("submatch offsets and whole matches as Go finds them")
    func goAnswers() throws {
        #expect(Self.answers.count > 400)
        var checked = 0, leftToSwift = 0
        for answer in Self.answers {
            guard let regex = RE2Regex(answer.pattern) else {
                // Non-ASCII letters under (?i) need Unicode's case folding, which is left to Swift's Regex.
                let foldsNonASCII = answer.pattern.contains("(?i") && answer.pattern.unicodeScalars.contains { $0.value >= 0x80 }
                #expect(foldsNonASCII, "\(answer.pattern) should compile")
                leftToSwift += 1
                continue
            }
            let whole = try #require(RE2Regex(wholeMatch: answer.pattern))
            for testCase in answer.texts {
                let found = testCase.text.withUTF8Bytes { bytes in regex.firstMatch(in: bytes) { Array($0) } }
                #expect(found == testCase.match, "\(answer.pattern) in \(testCase.text.debugDescription)")
                let text = testCase.text.debugDescription
                #expect(regex.matches(testCase.text) == (testCase.match != nil), "\(answer.pattern) in \(text)")
                #expect(whole.matches(testCase.text) == testCase.whole, "whole \(answer.pattern) on \(text)")
                checked += 1
            }
        }
        #expect(checked > 3000)
        #expect(leftToSwift < Self.answers.count / 10)
    }

    @Test("group names by index")
    func names() throws {
        let regex = try #require(RE2Regex(#"(?P<ip>\S+) (x)(?<status>\d+)"#))
        #expect(regex.groupCount == 3)
        #expect(regex.groupNames == [1: "ip", 3: "status"])
    }

    @Test("flag groups: (?) is accepted as no flags, as Go does; flags inside a group end with it")
    func flagGroups() throws {
        #expect(try #require(RE2Regex("(?)a")).matches("a"))
        #expect(try #require(RE2Regex("(?i-s:A.)b")).matches("ax b") == false)
        #expect(try #require(RE2Regex("(?i-s:A.)b")).matches("axb"))
        #expect(try #require(RE2Regex("(?:(?i)a)A")).matches("aa") == false)
        #expect(try #require(RE2Regex("x(?i)a|B")).matches("b"))
    }

    @Test("constructs left to Swift's Regex, and patterns Go rejects, give nil")
    func unsupported() {
        let patterns = [
            #"\pL"#, #"\p{Greek}"#, #"\Q.\E"#, #"\C"#, #"(a)\1"#, #"\0"#, "(?i)é", "(?i)[é]", "(?=a)", "(?!a)", "(?<=a)b",
            "a**", "a+*", "*a", "(a", "a)", "[a", "[z-a]", "a{1001}", "a{3,2}", "(?P<>a)", #"\"#,
            "[[:nope:]]", "(?x)a", "(?i-)a", "(?--i)a", "(?-:a)", #"\e"#, #"\x{110000}"#, #"\xZZ"#,
        ]
        for pattern in patterns {
            #expect(RE2Regex(pattern) == nil, "\(pattern)")
        }
    }

    @Test("long texts and many start positions stay linear: a pattern that makes backtrackers explode")
    func noBlowUp() throws {
        let regex = try #require(RE2Regex("(a+)+b"))
        let text = String(repeating: "a", count: 5000)
        #expect(regex.matches(text) == false)
        let nested = try #require(RE2Regex("(x*)*y"))
        #expect(nested.matches(String(repeating: "x", count: 3000) + "y"))
    }

    @Test("texts past the state bound are the caller's to match another way")
    func stateBound() throws {
        // 1,004 instructions: save, 1,000 bytes, b, save, match.
        let regex = try #require(RE2Regex("a{1000}b"))
        let tooLong = RE2Regex.maximumStates / 1000
        #expect(regex.handles(length: 2000))
        #expect(regex.matches(String(repeating: "a", count: 1500) + "b"))
        #expect(!regex.handles(length: tooLong))
        #expect(!regex.matches(String(repeating: "a", count: tooLong - 1) + "b"))
    }

    @Test("counted repeats past the program limit are left to Swift's Regex")
    func programLimit() {
        #expect(RE2Regex("(abcdefghij){1000}") == nil)
        #expect(RE2Regex("a{1000}") != nil)
    }
}
