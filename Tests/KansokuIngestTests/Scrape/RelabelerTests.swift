import Foundation
import KansokuModel
import Testing
@testable import KansokuIngest

@Suite("Scrape: relabeling")
struct RelabelerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var input: [String: String]
        var configs: [RelabelConfig]
        /// nil: dropped.
        var output: [String: String]?
        var testDescription: String { name }
    }

    private static func regex(_ pattern: String) -> RelabelRegex { try! RelabelRegex(pattern) }

    static let cases: [Case] = [
        Case(name: "replace with groups", input: ["a": "foo", "b": "bar"],
             configs: [RelabelConfig(sourceLabels: ["a", "b"], regex: regex("f(.*);(.*)r"), targetLabel: "d", replacement: "ch${1}-ch${2}")],
             output: ["a": "foo", "b": "bar", "d": "choo-chba"]),
        Case(name: "replace without match leaves labels", input: ["a": "foo"],
             configs: [RelabelConfig(sourceLabels: ["a"], regex: regex("bar"), targetLabel: "d")],
             output: ["a": "foo"]),
        Case(name: "regex is anchored", input: ["a": "foobar"],
             configs: [RelabelConfig(sourceLabels: ["a"], regex: regex("foo"), targetLabel: "d", replacement: "x")],
             output: ["a": "foobar"]),
        Case(name: "default regex and replacement copy", input: ["__address__": "host:9100"],
             configs: [RelabelConfig(sourceLabels: ["__address__"], targetLabel: "instance")],
             output: ["__address__": "host:9100", "instance": "host:9100"]),
        Case(name: "empty replacement deletes", input: ["a": "foo", "d": "x"],
             configs: [RelabelConfig(sourceLabels: ["a"], regex: regex("(f).*"), targetLabel: "d", replacement: "$2")],
             output: ["a": "foo"]),
        Case(name: "$1x names group 1x", input: ["a": "foo"],
             configs: [RelabelConfig(sourceLabels: ["a"], regex: regex("(.*)"), targetLabel: "d", replacement: "$1x-${1}x")],
             output: ["a": "foo", "d": "-foox"]),
        Case(name: "named groups and $$", input: ["a": "host:80"],
             configs: [RelabelConfig(sourceLabels: ["a"], regex: regex("(?P<host>[^:]+):(?P<port>\\d+)"), targetLabel: "d", replacement: "$port/$host$$")],
             output: ["a": "host:80", "d": "80/host$"]),
        Case(name: "target label expansion", input: ["a": "some-name-value"],
             configs: [RelabelConfig(sourceLabels: ["a"], regex: regex("some-([^-]+)-([^,]+)"), targetLabel: "${1}", replacement: "${2}")],
             output: ["a": "some-name-value", "name": "value"]),
        Case(name: "invalid target label name is ignored", input: ["a": "some-1-value"],
             configs: [RelabelConfig(sourceLabels: ["a"], regex: regex("some-([^-]+)-(.*)"), targetLabel: "${1}", replacement: "${2}")],
             output: ["a": "some-1-value"]),
        Case(name: "drop", input: ["a": "foo"],
             configs: [RelabelConfig(sourceLabels: ["a"], regex: regex(".*o.*"), action: .drop)], output: nil),
        Case(name: "drop no match", input: ["a": "bar"],
             configs: [RelabelConfig(sourceLabels: ["a"], regex: regex(".*o.*"), action: .drop)], output: ["a": "bar"]),
        Case(name: "keep", input: ["a": "foo"],
             configs: [RelabelConfig(sourceLabels: ["a"], regex: regex("no-match"), action: .keep)], output: nil),
        Case(name: "keep missing label matches empty", input: ["a": "foo"],
             configs: [RelabelConfig(sourceLabels: ["z"], regex: regex(""), action: .keep)], output: ["a": "foo"]),
        Case(name: "keepequal", input: ["a": "foo", "b": "foo"],
             configs: [RelabelConfig(sourceLabels: ["a"], targetLabel: "b", action: .keepequal)], output: ["a": "foo", "b": "foo"]),
        Case(name: "keepequal differs", input: ["a": "foo", "b": "bar"],
             configs: [RelabelConfig(sourceLabels: ["a"], targetLabel: "b", action: .keepequal)], output: nil),
        Case(name: "dropequal", input: ["a": "foo", "b": "foo"],
             configs: [RelabelConfig(sourceLabels: ["a"], targetLabel: "b", action: .dropequal)], output: nil),
        Case(name: "hashmod (value from Prometheus's relabel_test.go)", input: ["a": "foo", "b": "bar", "c": "baz"],
             configs: [RelabelConfig(sourceLabels: ["c"], modulus: 1000, targetLabel: "d", action: .hashmod)],
             output: ["a": "foo", "b": "bar", "c": "baz", "d": "976"]),
        Case(name: "hashmod of a value with a newline", input: ["a": "foo\nbar"],
             configs: [RelabelConfig(sourceLabels: ["a"], modulus: 1000, targetLabel: "b", action: .hashmod)],
             output: ["a": "foo\nbar", "b": "734"]),
        Case(name: "hashmod sharding", input: ["a": "foo", "b": "bar", "c": "baz"],
             configs: [RelabelConfig(sourceLabels: ["c"], modulus: 1000, targetLabel: "d", action: .hashmod),
                       RelabelConfig(sourceLabels: ["d"], regex: regex("976"), action: .keep)],
             output: ["a": "foo", "b": "bar", "c": "baz", "d": "976"]),
        Case(name: "labelmap", input: ["__meta_my_bar": "aaa", "__meta_my_baz": "bbb", "__meta_other": "ccc"],
             configs: [RelabelConfig(regex: regex("__meta_my_(.+)"), replacement: "${1}", action: .labelmap)],
             output: ["__meta_my_bar": "aaa", "__meta_my_baz": "bbb", "__meta_other": "ccc", "bar": "aaa", "baz": "bbb"]),
        Case(name: "labeldrop", input: ["a": "foo", "b": "bar", "c": "baz"],
             configs: [RelabelConfig(regex: regex("a|b"), action: .labeldrop)], output: ["c": "baz"]),
        Case(name: "labelkeep", input: ["a": "foo", "b": "bar", "c": "baz"],
             configs: [RelabelConfig(regex: regex("a|b"), action: .labelkeep)], output: ["a": "foo", "b": "bar"]),
        Case(name: "lowercase and uppercase", input: ["foo": "bAr123Foo"],
             configs: [RelabelConfig(sourceLabels: ["foo"], targetLabel: "lower", action: .lowercase),
                       RelabelConfig(sourceLabels: ["foo"], targetLabel: "upper", action: .uppercase)],
             output: ["foo": "bAr123Foo", "lower": "bar123foo", "upper": "BAR123FOO"]),
        Case(name: "separator", input: ["a": "x", "b": "y"],
             configs: [RelabelConfig(sourceLabels: ["a", "b"], separator: "-", targetLabel: "c")],
             output: ["a": "x", "b": "y", "c": "x-y"]),
    ]

    @Test(arguments: cases)
    func relabel(_ testCase: Case) {
        var labels = testCase.input
        let kept = Relabeler(testCase.configs).process(&labels)
        if let output = testCase.output {
            #expect(kept)
            #expect(labels == output)
        } else {
            #expect(!kept)
        }
    }

    @Test func md5MatchesKnownDigest() {
        let hex = MD5.digest(Array("The quick brown fox jumps over the lazy dog".utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(hex == "9e107d9d372bb6826bd81d3542a419d6")
        #expect(MD5.digest([]).map { String(format: "%02x", $0) }.joined() == "d41d8cd98f00b204e9800998ecf8427e")
    }

    @Test func configDecodingAndValidation() throws {
        let node = ScrapeConfigNode.mapping([("action", .scalar("hashmod")), ("source_labels", .sequence([.scalar("a")])),
                                             ("target_label", .scalar("t"))])
        #expect(throws: ScrapeConfigError(path: "x[0]", reason: "relabel configuration for hashmod requires non-zero modulus")) {
            try RelabelConfig(node: node, path: "x[0]")
        }
        #expect(throws: ScrapeConfigError(path: "x[0].action", reason: "unknown relabel action \"explode\"")) {
            try RelabelConfig(node: .mapping([("action", .scalar("explode"))]), path: "x[0]")
        }
        #expect(throws: ScrapeConfigError(path: "x[0].regex", reason: "field regex already set")) {
            try RelabelConfig(node: .mapping([("regex", .scalar("a")), ("regex", .scalar("b"))]), path: "x[0]")
        }
        let ok = try RelabelConfig(node: .mapping([("action", .scalar("Keep")), ("source_labels", .sequence([.scalar("a")])),
                                                    ("regex", .scalar("x|y"))]), path: "")
        #expect(ok.action == .keep && ok.regex.pattern == "x|y" && ok.replacement == "$1" && ok.separator == ";")
    }
}
