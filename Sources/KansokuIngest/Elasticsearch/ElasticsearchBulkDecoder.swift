import KansokuModel

/// One operation of an Elasticsearch bulk request and what became of it, in
/// request order; the bulk response has exactly one item per operation.
public struct ElasticsearchBulkItem: Sendable, Hashable {
    /// What happened to one operation.
    public enum Outcome: Sendable, Hashable {
        /// The document became a log record (HTTP 201, `"result":"created"`).
        case created
        /// The operation was refused; the rest of the request is unaffected.
        case failed(ElasticsearchError)
    }

    /// The action's own name (`index`, `create`, `update`, `delete`), used as
    /// the item's key in the response; `index` when the action line was too
    /// broken to tell.
    public var action: String
    /// The target index (`_index`, else the index in the URL); empty when unknown.
    public var index: String
    /// The client's `_id`, or a generated one for created documents; nil for a
    /// failed operation that named none.
    public var id: String?
    public var outcome: Outcome

    public init(action: String, index: String, id: String?, outcome: Outcome) {
        self.action = action
        self.index = index
        self.id = id
        self.outcome = outcome
    }

    public var isCreated: Bool { outcome == .created }
}

/// An Elasticsearch-style error: `{"type":...,"reason":...}` with an HTTP status.
public struct ElasticsearchError: Error, Sendable, Hashable {
    public var status: Int
    public var type: String
    public var reason: String

    public init(status: Int = 400, type: String, reason: String) {
        self.status = status
        self.type = type
        self.reason = reason
    }
}

/// A decoded bulk request: the log records to store, and one item per
/// operation for the response.
public struct ElasticsearchBulkRequest: Sendable, Hashable {
    /// The created documents as log records, one `ResourceItems` per distinct
    /// resource attribute set in first-seen order.
    public var batch: LogBatch
    public var items: [ElasticsearchBulkItem]

    public init(batch: LogBatch = LogBatch(), items: [ElasticsearchBulkItem] = []) {
        self.batch = batch
        self.items = items
    }

    /// Whether any operation failed (the response's `errors` flag).
    public var hasErrors: Bool { items.contains { !$0.isCreated } }
    public var createdCount: Int { items.reduce(0) { $0 + ($1.isCreated ? 1 : 0) } }
    public var failedCount: Int { items.count - createdCount }
}

/// Decodes the NDJSON body of Elasticsearch's bulk API (`POST /_bulk`,
/// `POST /{index}/_bulk`) as Fluent Bit's `es` output and Filebeat's
/// Elasticsearch output send it.
///
/// The body is a sequence of lines, each a JSON object: an action line
/// (`{"index":{"_index":"x","_id":"1"}}`, `create`, `update` or `delete`;
/// `_type` and other metadata are tolerated and ignored) followed, except for
/// `delete`, by a source line. `index` and `create` documents become log
/// records (see `ElasticsearchDocumentMapper`); `update` and `delete` are
/// answered per item with a 400 `illegal_argument_exception`, since Kansoku's
/// logs are append-only.
///
/// Unlike Elasticsearch, which refuses the whole request for a broken action
/// line, a problem fails only its own item. How the lines that follow a
/// broken action line are read (resynchronisation):
/// - An action line that is JSON with a recognisable action name (even if its
///   metadata is wrong, e.g. `_index` is not a string, or the index is missing)
///   is followed by a source line exactly when that action has one
///   (`index`, `create`, `update`), and that line is consumed with the item.
/// - An action line that is not JSON: its action name is read from the text
///   when it begins like `{"create"`; then the same rule applies.
/// - When no action name can be found at all (`{"upsert":{}}`, `[1]`, garbage),
///   the next line is taken as its source line, unless that line itself looks
///   like an action line (a JSON object whose only member is `index`, `create`,
///   `update` or `delete` with an object value), in which case it starts the
///   next item.
/// Blank lines between items are skipped; a trailing `\r` is ignored; a body
/// without a final newline is accepted; a missing source line at the end fails
/// its item (`action_request_validation_exception`).
public enum ElasticsearchBulkDecoder {
    /// The actions of the bulk API.
    static let actions: Set<String> = ["index", "create", "update", "delete"]

    /// Decodes a bulk body. `defaultIndex` is the `{index}` of `/{index}/_bulk`;
    /// `receivedAtUnixNano` is the observed time of every record and the time of
    /// records without a usable timestamp; `generateID` makes `_id`s for created
    /// documents that have none.
    ///
    /// Throws `IngestError.malformed` only for a body with no operations at all.
    public static func decode(
        _ body: [UInt8], defaultIndex: String?, receivedAtUnixNano: UInt64,
        generateID: () -> String = ElasticsearchBulkDecoder.randomID
    ) throws(IngestError) -> ElasticsearchBulkRequest {
        guard !body.isEmpty else { throw .malformed("request body is required") }
        let lines = splitLines(body)
        guard lines.contains(where: { !isBlank($0.bytes) }) else {
            throw .malformed("Validation Failed: 1: no requests added;")
        }

        var request = ElasticsearchBulkRequest()
        var grouper = ElasticsearchDocumentMapper.Grouper()
        var position = 0
        func nextNonBlank() -> Int? {
            while position < lines.count, isBlank(lines[position].bytes) { position += 1 }
            return position < lines.count ? position : nil
        }

        while let actionIndex = nextNonBlank() {
            let actionLine = lines[actionIndex]
            position += 1
            let action = parseAction(actionLine.bytes, lineNumber: actionLine.number, defaultIndex: defaultIndex)

            // Does a source line belong to this action?
            let takesSource: Bool
            if let name = action.name {
                takesSource = name != "delete"
            } else {
                takesSource = position < lines.count && !looksLikeActionLine(lines[position].bytes)
            }
            var source: Line?
            if takesSource, position < lines.count {
                source = lines[position]
                position += 1
            }

            let itemAction = action.name ?? "index"
            var item = ElasticsearchBulkItem(action: itemAction, index: action.index ?? defaultIndex ?? "",
                                             id: action.id, outcome: .created)
            if let error = action.error {
                item.outcome = .failed(error)
            } else if itemAction == "update" || itemAction == "delete" {
                item.outcome = .failed(ElasticsearchError(
                    type: "illegal_argument_exception",
                    reason: "the [\(itemAction)] action is not supported: Kansoku stores log documents append-only; use [index] or [create]"))
            } else if let source, !isBlank(source.bytes) {
                switch ElasticsearchDocumentMapper.parseSource(source.bytes) {
                case .success(let document):
                    let mapped = ElasticsearchDocumentMapper.map(document, index: item.index, receivedAtUnixNano: receivedAtUnixNano)
                    grouper.add(mapped)
                    if item.id == nil { item.id = generateID() }
                case .failure(let error):
                    item.outcome = .failed(error)
                }
            } else {
                item.outcome = .failed(ElasticsearchError(
                    type: "action_request_validation_exception", reason: "Validation Failed: 1: source is missing;"))
            }
            request.items.append(item)
        }
        request.batch = grouper.batch
        return request
    }

    // MARK: Lines

    struct Line {
        var bytes: ArraySlice<UInt8>
        /// 1-based, as Elasticsearch numbers lines in its messages.
        var number: Int
    }

    static func splitLines(_ body: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var start = body.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var number = 1
        while start < body.count {
            let end = body[start...].firstIndex(of: 0x0A) ?? body.count
            var slice = body[start..<end]
            if slice.last == 0x0D { slice = slice.dropLast() }
            lines.append(Line(bytes: slice, number: number))
            number += 1
            start = end + 1
        }
        return lines
    }

    static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    // MARK: Action lines

    struct Action {
        /// The action name when one could be recognised, even from a broken line.
        var name: String?
        var index: String?
        var id: String?
        var error: ElasticsearchError?
    }

    static func parseAction(_ bytes: ArraySlice<UInt8>, lineNumber n: Int, defaultIndex: String?) -> Action {
        func malformed(_ name: String?, _ detail: String) -> Action {
            Action(name: name, error: ElasticsearchError(
                type: "illegal_argument_exception", reason: "Malformed action/metadata line [\(n)], \(detail)"))
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(bytes))
        } catch {
            return malformed(sniffActionName(bytes), "not valid JSON: \(error.description)")
        }
        guard case .object(let members) = value, let first = members.first else {
            return malformed(nil, "expected START_OBJECT with one action but found \(value.typeName)")
        }
        guard actions.contains(first.key) else {
            return malformed(nil, "expected field [create], [delete], [index] or [update] but found [\(first.key)]")
        }
        let name = first.key
        guard members.count == 1 else {
            return malformed(name, "expected END_OBJECT after [\(name)] but found [\(members[1].key)]")
        }
        guard case .object(let metadata) = first.value else {
            return malformed(name, "expected START_OBJECT for [\(name)] but found \(first.value.typeName)")
        }

        var action = Action(name: name)
        for (key, field) in metadata {
            switch key {
            case "_index":
                switch field {
                case .string(let s): action.index = s
                case .null: action.index = nil
                default: return malformed(name, "expected a simple value for field [_index] but found \(field.typeName)")
                }
            case "_id":
                switch field {
                case .string(let s): action.id = s
                case .number(let text): action.id = text
                case .null: action.id = nil
                default: return malformed(name, "expected a simple value for field [_id] but found \(field.typeName)")
                }
            default:
                // `_type` (Fluent Bit without Suppress_Type_Name, pre-8 clients),
                // `routing`, `pipeline`, `require_alias`, ...: accepted and ignored.
                break
            }
        }
        let resolved = action.index ?? defaultIndex
        guard let index = resolved, !index.isEmpty else {
            action.error = ElasticsearchError(type: "action_request_validation_exception", reason: "Validation Failed: 1: index is missing;")
            return action
        }
        action.index = index
        if let problem = indexNameProblem(index) {
            action.error = ElasticsearchError(type: "invalid_index_name_exception", reason: "Invalid index name [\(index)], \(problem)")
        } else if let id = action.id, id.isEmpty || id.utf8.count > 512 {
            action.error = ElasticsearchError(
                type: "illegal_argument_exception",
                reason: id.isEmpty ? "if _id is specified it must not be empty" : "id [\(id.prefix(32))...] is too long, must be no longer than 512 bytes")
        }
        return action
    }

    /// The action name at the start of a line that is not valid JSON, read as
    /// `{` `"name"`, or nil.
    static func sniffActionName(_ bytes: ArraySlice<UInt8>) -> String? {
        var i = bytes.startIndex
        func skipSpace() { while i < bytes.endIndex, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 } }
        skipSpace()
        guard i < bytes.endIndex, bytes[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        skipSpace()
        guard i < bytes.endIndex, bytes[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        guard let close = bytes[i...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        let name = String(decoding: bytes[i..<close], as: UTF8.self)
        return actions.contains(name) ? name : nil
    }

    /// Whether a line is a well-formed action line (used only to resynchronise
    /// after an action line whose action could not be recognised).
    static func looksLikeActionLine(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let value = try? JSONParser.parse(Array(bytes)), case .object(let members) = value,
              members.count == 1, actions.contains(members[0].key), case .object = members[0].value else { return false }
        return true
    }

    /// Why Elasticsearch would refuse an index name, or nil.
    static func indexNameProblem(_ name: String) -> String? {
        if name != name.lowercased() { return "must be lowercase" }
        if let first = name.first, first == "_" || first == "-" || first == "+" {
            return "must not start with '_', '-', or '+'"
        }
        if name == "." || name == ".." { return "must not be '.' or '..'" }
        if name.utf8.count > 255 { return "index name is too long, (\(name.utf8.count) > 255)" }
        if name.contains(where: { "\\/*?\"<>| ,#:".contains($0) }) {
            return #"must not contain the following characters [ , ", *, \, <, |, ,, >, /, ?, #, :]"#
        }
        return nil
    }

    // MARK: Generated ids

    /// A 20-character URL-safe base64 id like Elasticsearch's auto-generated
    /// ones (15 random bytes).
    public static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<15).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return base64URL(bytes)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int(n >> UInt32(shift) & 0x3F)]) }
            i += 3
        }
        // 15 bytes never leave a remainder; others are written without padding.
        let rest = bytes.count - i
        if rest > 0 {
            let n = UInt32(bytes[i]) << 16 | (rest > 1 ? UInt32(bytes[i + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18 & 0x3F)])
            out.append(alphabet[Int(n >> 12 & 0x3F)])
            if rest > 1 { out.append(alphabet[Int(n >> 6 & 0x3F)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
