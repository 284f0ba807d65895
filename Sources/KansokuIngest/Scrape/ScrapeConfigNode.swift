/// A configuration document reduced to the three shapes YAML and JSON share,
/// so scrape configuration can be decoded here without a YAML library. The
/// server converts its parsed YAML into this; file_sd JSON is converted here.
///
/// Scalars keep their text (`"15s"`, `"true"`, `"8080"`); the decoder reads
/// them as the field requires. Mappings keep their order of appearance.
public indirect enum ScrapeConfigNode: Sendable, Equatable {
    /// A scalar as written; `nil`/`~`/empty YAML values should be `.null`.
    case scalar(String)
    case sequence([ScrapeConfigNode])
    case mapping([(key: String, value: ScrapeConfigNode)])
    case null

    public static func == (a: ScrapeConfigNode, b: ScrapeConfigNode) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.scalar(let x), .scalar(let y)): x == y
        case (.sequence(let x), .sequence(let y)): x == y
        case (.mapping(let x), .mapping(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }
}

/// Why a scrape configuration was refused: the key path of the offending
/// value (e.g. `scrape_configs[2].relabel_configs[0].action`), what was
/// found there and what was expected.
public struct ScrapeConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Dotted key path from the document root, with `[i]` for sequence items.
    public var path: String
    /// What was wrong, naming the offending input.
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
}

/// Reads fields of one mapping node, remembering the key path for errors and
/// refusing keys it was never asked about (as Prometheus's strict YAML does).
struct ScrapeConfigReader {
    let path: String
    private let entries: [(key: String, value: ScrapeConfigNode)]

    /// Wraps `node`, which must be a mapping (or null, read as empty).
    init(_ node: ScrapeConfigNode, path: String) throws(ScrapeConfigError) {
        self.path = path
        switch node {
        case .mapping(let entries):
            var seen = Set<String>()
            for entry in entries where !seen.insert(entry.key).inserted {
                throw ScrapeConfigError(path: Self.join(path, entry.key), reason: "field \(entry.key) already set")
            }
            self.entries = entries
        case .null: self.entries = []
        default: throw ScrapeConfigError(path: path, reason: "expected a mapping, got \(node.kindName)")
        }
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Refuses keys other than `known`, naming the first unknown one.
    func checkKeys(_ known: Set<String>) throws(ScrapeConfigError) {
        for entry in entries where !known.contains(entry.key) {
            throw ScrapeConfigError(path: Self.join(path, entry.key), reason: "field \(entry.key) not found in type \(path.isEmpty ? "config" : path)")
        }
    }

    func node(_ key: String) -> ScrapeConfigNode? {
        guard let value = entries.first(where: { $0.key == key })?.value, value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(ScrapeConfigError) -> String? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let text) = value else {
            throw ScrapeConfigError(path: Self.join(path, key), reason: "expected a string, got \(value.kindName)")
        }
        return text
    }

    func bool(_ key: String) throws(ScrapeConfigError) -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw ScrapeConfigError(path: Self.join(path, key), reason: "cannot parse \"\(text)\" as a boolean")
        }
    }

    func integer(_ key: String) throws(ScrapeConfigError) -> UInt64? {
        guard let text = try string(key) else { return nil }
        guard let value = UInt64(text) else {
            throw ScrapeConfigError(path: Self.join(path, key), reason: "cannot parse \"\(text)\" as a non-negative integer")
        }
        return value
    }

    func duration(_ key: String) throws(ScrapeConfigError) -> ScrapeDuration? {
        guard let text = try string(key) else { return nil }
        do { return try ScrapeDuration(parsing: text) } catch {
            throw ScrapeConfigError(path: Self.join(path, key), reason: error.description)
        }
    }

    func strings(_ key: String) throws(ScrapeConfigError) -> [String]? {
        guard let value = node(key) else { return nil }
        guard case .sequence(let items) = value else {
            throw ScrapeConfigError(path: Self.join(path, key), reason: "expected a sequence of strings, got \(value.kindName)")
        }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .scalar(let text) = item else {
                throw ScrapeConfigError(path: "\(Self.join(path, key))[\(index)]", reason: "expected a string, got \(item.kindName)")
            }
            result.append(text)
        }
        return result
    }

    /// A mapping of strings to strings, such as `labels` or `params` items.
    func stringMap(_ key: String) throws(ScrapeConfigError) -> [(String, String)]? {
        guard let value = node(key) else { return nil }
        guard case .mapping(let entries) = value else {
            throw ScrapeConfigError(path: Self.join(path, key), reason: "expected a mapping of strings, got \(value.kindName)")
        }
        var result: [(String, String)] = []
        for entry in entries {
            switch entry.value {
            case .scalar(let text): result.append((entry.key, text))
            case .null: result.append((entry.key, ""))
            default:
                throw ScrapeConfigError(path: Self.join(Self.join(path, key), entry.key), reason: "expected a string, got \(entry.value.kindName)")
            }
        }
        return result
    }

    /// Each item of the sequence at `key`, with its path.
    func items(_ key: String) throws(ScrapeConfigError) -> [(node: ScrapeConfigNode, path: String)] {
        guard let value = node(key) else { return [] }
        guard case .sequence(let items) = value else {
            throw ScrapeConfigError(path: Self.join(path, key), reason: "expected a sequence, got \(value.kindName)")
        }
        return items.enumerated().map { ($0.element, "\(Self.join(path, key))[\($0.offset)]") }
    }

    /// The mapping at `key` as a reader, or nil when absent.
    func child(_ key: String) throws(ScrapeConfigError) -> ScrapeConfigReader? {
        guard let value = node(key) else { return nil }
        return try ScrapeConfigReader(value, path: Self.join(path, key))
    }
}

extension ScrapeConfigNode {
    var kindName: String {
        switch self {
        case .scalar(let text): "scalar \"\(text)\""
        case .sequence: "a sequence"
        case .mapping: "a mapping"
        case .null: "null"
        }
    }

    /// Converts parsed JSON (as file_sd files hold it) into a node.
    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .scalar(value ? "true" : "false")
        case .number(let text), .string(let text): self = .scalar(text)
        case .array(let items): self = .sequence(items.map(ScrapeConfigNode.init(json:)))
        case .object(let members): self = .mapping(members.map { ($0.key, ScrapeConfigNode(json: $0.value)) })
        }
    }
}
