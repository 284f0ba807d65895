import Testing
@testable import KansokuQuery

@Suite("LogQL | json: flattening while reading equals flattening the parsed document")
struct LogQLJSONFlattenerTests {
    /// The labels of a parsed document, flattened the way `| json` always has.
    static func fromTree(_ text: String) -> [(String, String)]? {
        guard case .object(let members)? = LogQLJSONValue.parse(text) else { return nil }
        var out: [(String, String)] = []
        func walk(_ members: [(String, LogQLJSONValue)], _ prefix: String) {
            for (key, value) in members {
                let name = prefix.isEmpty ? logqlSanitizeLabelName(key) : prefix + "_" + logqlSanitizeLabelName(key, isPrefix: false)
                switch value {
                case .object(let inner): walk(inner, name)
                case .array, .null: continue
                default: out.append((name, value.labelValue))
                }
            }
        }
        walk(members, "")
        return out
    }

    static let documents = [
        #"{"level":"error","msg":"x","n":12.5,"ok":true,"no":false,"nil":null,"arr":[1,{"a":2},"s"],"o":{"p":{"q":"r"},"e":{}}}"#,
        #"  { "a b" : "c\"d\\e\u00e9\n" , "1st": 1e3, "weird-key": -0.5E-2 }  "#,
        #"{"dup":"a","dup":"b","k":{"dup":"c"},"k_dup":"d"}"#,
        "{}", " {} ", "[]", "\"s\"", "12", "null", "", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} x",
        #"{"a":[1,2}"#, #"{"a":"unterminated}"#, #"{"a":tru}"#, #"{"a":1.2.3}"#, #"{"a":{"b":[]},"c":"\ud83d\ude00"}"#,
        #"{"emoji":"😀","é":"ü"}"#, "{\"a\":\"b\"}\n", #"{"a":"\u12"}"#,
        #"{"Level":"x","level":"y","lev":"z","levels":1,"_1":true,"le vel":2,"l\u0065vel":"e","9":0,"lével":"u"}"#,
    ]

    @Test(arguments: documents)
    func sameLabelsOrSameFailure(document: String) {
        let streamed = LogQLJSONValue.flattenedLabels(document)
        let tree = Self.fromTree(document)
        #expect((streamed == nil) == (tree == nil), "\(document)")
        if let streamed, let tree {
            #expect(streamed.map(\.0) == tree.map(\.0) && streamed.map(\.1) == tree.map(\.1), "\(document)")
        }
    }

    static let keptSets: [Set<String>] = [[], ["level"], ["a_b", "c"], ["dup", "k_dup"], ["o_p_q", "emoji", "n"], ["app_extracted", "a"],
                                          ["_1", "le_vel", "Level", "_9", "l_vel"]]

    @Test("| json keeping only the labels read: the same labels, and the same verdict on every document", arguments: documents)
    func keepingOnlyLabelsRead(document: String) {
        for kept in Self.keptSets {
            let all = LogQLJSONValue.flattenedLabels(document)
            let some = LogQLJSONValue.flattenedLabels(document, keeping: Array(kept))
            #expect((all == nil) == (some == nil), "\(document) \(kept)")
            if let all, let some {
                let expected = all.filter { kept.contains($0.0) }
                #expect(some.map(\.0) == expected.map(\.0) && some.map(\.1) == expected.map(\.1), "\(document) \(kept)")
            }
        }
    }

    @Test("the | json stage keeping only the labels read takes a field named like a stream label under its _extracted name")
    func keepingThroughTheStage() {
        let line = #"{"app":"y","a":1,"level":"warn","skipped":"\u00e9\"x"}"#
        for kept in Self.keptSets {
            var full = LogQLLabelsBuilder(stream: LogQLLabels(["app": "x"]), metadata: [])
            var projected = full
            LogQLLineParsers.json(line, &full)
            LogQLLineParsers.json(line, &projected, keeping: kept)
            let read = { (labels: LogQLLabelsBuilder) in labels.labels.pairs.filter { kept.contains($0.name) || $0.name == "app" } }
            #expect(read(projected) == read(full), "\(kept)")
            #expect(projected.labels.pairs.allSatisfy { kept.contains($0.name) || $0.name == "app" }, "\(kept)")
        }
        var broken = LogQLLabelsBuilder(stream: LogQLLabels(["app": "x"]), metadata: [])
        LogQLLineParsers.json(#"{"level":"warn","skipped":"\u12"}"#, &broken, keeping: ["level"])
        #expect(broken.hasError, "a skipped field is still checked")
    }

    /// Every text of up to five number bytes over `+-.eE05`: read as a number
    /// exactly when `Double(String)` reads it (what `| json` accepted before
    /// numbers were checked on their bytes).
    @Test func numbersAreWhatDoubleReads() {
        let alphabet = Array("+-.eE05".utf8)
        var texts: [[UInt8]] = [[]]
        var frontier: [[UInt8]] = [[]]
        for _ in 0..<5 {
            frontier = frontier.flatMap { prefix in alphabet.map { prefix + [$0] } }
            texts += frontier
        }
        var mismatches: [String] = []
        for text in texts {
            let expected = Double(String(decoding: text, as: UTF8.self)) != nil
            if text.withUnsafeBufferPointer(LogQLJSONValue.Reader.isDecimal) != expected {
                mismatches.append(String(decoding: text, as: UTF8.self))
            }
        }
        #expect(texts.count == 19_608)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
        #expect(LogQLJSONValue.flattenedLabels(#"{"a":-1.5e+3,"b":.5,"c":5.}"#)?.map(\.1) == ["-1.5e+3", ".5", "5."])
        #expect(LogQLJSONValue.flattenedLabels(#"{"a":1e}"#) == nil)
        #expect(LogQLJSONValue.flattenedLabels(#"{"a":1e}"#, keeping: []) == nil)
    }
}
