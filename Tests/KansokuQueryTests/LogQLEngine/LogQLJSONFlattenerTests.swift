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
}
