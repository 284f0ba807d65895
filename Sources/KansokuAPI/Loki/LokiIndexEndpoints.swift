import KansokuQuery
import KansokuStorage

/// Bodies of Loki's `GET /loki/api/v1/index/stats` (Grafana's query
/// inspector and log volume) and `GET /loki/api/v1/detected_fields`
/// (Grafana's field filters and Logs Drilldown), with Loki 3's shapes.
enum LokiIndexEndpoints {
    /// Loki's `detected_fields` defaults: 100 lines, 1000 fields.
    static let defaultLineLimit = 100
    static let defaultFieldLimit = 1000

    /// `{"streams":N,"chunks":N,"bytes":N,"entries":N}` for `query`, a stream
    /// selector without a pipeline (Loki's `ParseMatchers`).
    static func indexStats(_ parameters: LokiParameters, logs: any LogSignalStore) throws -> [UInt8] {
        let text = parameters["query"] ?? ""
        guard case .log(let query) = try LogQLParser.parse(text), query.pipeline.isEmpty else {
            throw LokiQueryError("only label matchers are supported")
        }
        let matchers = try query.selector.matchers.map { matcher throws(LogQLEvaluationError) in try LogQLCompiledMatcher(matcher) }
        let (start, end) = try parameters.range(defaultSince: LokiQueryRoutes.queryLookback)
        let stats = try logs.indexStats(matching: { labels in matchers.allSatisfy { $0.matches(labels[$0.name] ?? "") } },
                                        start: start, end: end)
        var json = JSONWriter()
        json.beginObject()
        json.key("streams"); json.number(Int64(stats.streams))
        json.key("chunks"); json.number(Int64(stats.chunks))
        json.key("bytes"); json.number(Int64(stats.bytes))
        json.key("entries"); json.number(Int64(stats.entries))
        json.endObject()
        return json.bytes
    }

    /// `{"fields":[{"label","type","cardinality","parsers"}…],"limit":N}`
    /// (`fields` left out when there are none, `parsers` null for structured
    /// metadata) for `query`, a log query, over its newest `line_limit` lines.
    static func detectedFields(_ parameters: LokiParameters, engine: LogQLEngine) throws -> [UInt8] {
        let query = try LogQLParser.parseLogQuery(parameters["query"] ?? "")
        let (start, end) = try parameters.range(defaultSince: LokiQueryRoutes.queryLookback)
        let lineLimit = try positive(parameters["line_limit"], default: defaultLineLimit)
        let fieldLimit = try positive(parameters["limit"] ?? parameters["field_limit"], default: defaultFieldLimit)
        let fields = try engine.detectedFields(query, start: start, end: end, lineLimit: lineLimit, fieldLimit: fieldLimit)
        var json = JSONWriter()
        json.beginObject()
        if !fields.isEmpty {
            json.key("fields"); json.beginArray()
            for field in fields {
                json.beginObject()
                json.key("label"); json.string(field.label)
                json.key("type"); json.string(field.type.rawValue)
                json.key("cardinality"); json.number(Int64(field.cardinality))
                json.key("parsers")
                if let parsers = field.parsers {
                    json.beginArray()
                    for parser in parsers { json.string(parser) }
                    json.endArray()
                } else {
                    json.null()
                }
                json.endObject()
            }
            json.endArray()
        }
        json.key("limit"); json.number(Int64(fieldLimit))
        json.endObject()
        return json.bytes
    }

    /// `GET /loki/api/v1/detected_field/{name}/values`: `{"values":[…],"limit":N}`
    /// over the same lines as `detected_fields` (`line_limit`, default 100;
    /// `limit` values, default 1000).
    static func detectedFieldValues(_ parameters: LokiParameters, name: String, engine: LogQLEngine) throws -> [UInt8] {
        let query = try LogQLParser.parseLogQuery(parameters["query"] ?? "")
        let (start, end) = try parameters.range(defaultSince: LokiQueryRoutes.queryLookback)
        let lineLimit = try positive(parameters["line_limit"], default: defaultLineLimit)
        let valueLimit = try positive(parameters["limit"], default: defaultFieldLimit)
        let values = try engine.detectedFieldValues(query, name: name, start: start, end: end, lineLimit: lineLimit,
                                                    valueLimit: valueLimit)
        var json = JSONWriter()
        json.beginObject()
        json.key("values"); json.beginArray()
        for value in values { json.string(value) }
        json.endArray()
        json.key("limit"); json.number(Int64(valueLimit))
        json.endObject()
        return json.bytes
    }

    private static func positive(_ text: String?, default defaultValue: Int) throws(LokiQueryError) -> Int {
        guard let text else { return defaultValue }
        guard let value = Int(text), value > 0 else { throw LokiQueryError("limit must be a positive value") }
        return value
    }
}
