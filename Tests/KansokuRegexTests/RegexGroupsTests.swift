import Testing
import KansokuRegex

@Suite("RegexGroups expands templates as Go's Regexp.Expand")
struct RegexGroupsTests {
    /// Group 1 "a" (named `first`), group 2 took no part, group 3 "c" (named `first` too).
    let groups = RegexGroups(groups: ["abc", "a", nil, "c"], names: [1: "first", 2: "second", 3: "first"])

    @Test("references and what they expand to", arguments: [
        ("$1", "a"),
        ("${1}x", "ax"),
        ("$1x", ""),  // the name is `1x`: no such group
        ("$$1", "$1"),
        ("x$", "x$"),
        ("${", "${"),
        ("${1", "${1"),
        ("${}", "${}"),
        ("$-1", "$-1"),
        ("$01", ""),  // a leading zero makes it a name, and no group has it
        ("$0", "abc"),
        ("$9", ""),  // out of range
        ("$2", ""),  // took no part
        ("$first", "a"),  // the first group of that name
        ("${second}", ""),  // named, but took no part
        ("$\u{E9}t\u{E9}", ""),  // Unicode letters belong to a name, as in Go
        ("[$1-$3]", "[a-c]"),
    ])
    func expand(template: String, expected: String) {
        #expect(groups.expand(template) == expected)
    }

    @Test("a named group that took no part gives way to a later one of the same name")
    func namedGroupThatTookNoPart() {
        let groups = RegexGroups(groups: ["b", nil, "b"], names: [1: "x", 2: "x"])
        #expect(groups.expand("$x") == "b")
    }
}

@Suite("AnchoredRegex")
struct AnchoredRegexTests {
    @Test("matches the whole text, `.` taking newlines only with dotMatchesNewline")
    func anchoring() throws {
        let prometheus = try AnchoredRegex("a.c", dotMatchesNewline: true)
        let loki = try AnchoredRegex("a.c", dotMatchesNewline: false)
        #expect(prometheus.matches("a\nc"))
        #expect(!loki.matches("a\nc"))
        #expect(loki.matches("abc"))
        #expect(!loki.matches("abcd"))
        #expect(!loki.matches("xabc"))
        // Anchoring wraps the whole alternation, not its first branch.
        #expect(!(try AnchoredRegex("a|b", dotMatchesNewline: false).matches("ab")))
    }

    @Test("groups of a match on Go's engine, on Swift's, and of a pattern only RE2 syntax takes")
    func groups() throws {
        // RE2Regex takes this one.
        let go = try AnchoredRegex("(?P<host>[a-z]+):(\\d+)?", dotMatchesNewline: true)
        #expect(go.match("web:") == RegexGroups(groups: ["web:", "web", nil], names: [1: "host"]))
        #expect(go.match("web:80x") == nil)
        // Unicode classes are left to Swift's engine.
        let unicode = try AnchoredRegex("(\\p{L}+)-(\\d)", dotMatchesNewline: true)
        #expect(unicode.match("caf\u{E9}-7")?.groups == ["caf\u{E9}-7", "caf\u{E9}", "7"])
        // Go reads `{,3}` as text; Swift would take it as a repeat.
        let literal = try AnchoredRegex("(a){,3}", dotMatchesNewline: true)
        #expect(literal.match("a{,3}")?.groups == ["a{,3}", "a"])
        #expect(!literal.matches("aa"))
    }

    @Test("a pattern no engine takes is an error naming it")
    func invalid() {
        let error = #expect(throws: AnchoredRegex.CompileError.self) { try AnchoredRegex("a(", dotMatchesNewline: true) }
        #expect(error?.pattern == "a(")
        #expect(error?.description.hasPrefix("error parsing regexp \"a(\": ") == true)
    }
}

@Suite("RE2Regex.replacingAll replaces as Go's ReplaceAllString")
struct RE2ReplaceAllTests {
    @Test("matches, empty matches and expansion", arguments: [
        ("a*", "baaac", "X", "XbXcX"),  // no empty match right after "aaa"
        ("a", "banana", "o", "bonono"),
        ("x*", "", "-", "-"),
        ("", "abc", "-", "-a-b-c-"),
        ("(\\w+)@(\\w+)", "to bob@example now", "$2:$1", "to example:bob now"),
        ("(?P<w>o+)", "foo boo", "<${w}>", "f<oo> b<oo>"),
        ("^a", "aaa", "b", "baa"),  // ^ sees the whole text, not each search position
        ("\\bc", "abc c", "X", "abc X"),
        ("é", "café é", "e", "cafe e"),
        ("q", "abc", "X", "abc"),
    ])
    func replaceAll(pattern: String, text: String, replacement: String, expected: String) throws {
        let regex = try #require(RE2Regex(pattern))
        #expect(regex.replacingAll(in: text, with: { $0.expand(replacement) }) == expected)
    }
}
