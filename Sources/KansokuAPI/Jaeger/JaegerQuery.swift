import KansokuModel

/// The parameters of a Jaeger trace search (`GET /api/traces`), typed.
///
/// Parsed from the query string as Jaeger's query service reads it:
///
/// - `service` — required (unless `traceID` is given): the `service.name` of
///   a resource that recorded a matching span.
/// - `operation` — a span name; empty means any.
/// - `tags` — a JSON object of tag names to values,
///   `{"http.status_code":"500","error":"true"}`; the older repeated
///   `tag=key:value` form is read too (both may be combined).
/// - `minDuration`, `maxDuration` — Go durations (`1.2s`, `100ms`, `500us`,
///   `1m`).
/// - `start`, `end` — microseconds since the epoch. `end` defaults to now;
///   `start` to `end` minus `lookback` when that is a duration (`1h`, `2d`),
///   else to two days before `end`. A `lookback` of `custom` or one that does
///   not parse is ignored, as Jaeger ignores the parameter altogether.
/// - `limit` — how many traces to return at most; 20 when absent or 0.
/// - `traceID` — hex trace ids to fetch directly (up to 32 digits; shorter
///   ids are zero-padded on the left, as Jaeger reads them).
public struct JaegerQuery: Sendable, Hashable {
    /// Traces returned when `limit` is absent or 0 (the Jaeger UI's default).
    public static let defaultLimit = 20
    /// How far before `end` the search reaches without `start` or `lookback`.
    public static let defaultLookbackMicros: UInt64 = 2 * 24 * 3_600 * 1_000_000

    /// The `service.name` to match; nil only when `traceIDs` is not empty.
    public var service: String?
    /// The span name to match; nil for any.
    public var operation: String?
    /// Tag names and the values (as text) a matching span must have.
    public var tags: [String: String]
    /// The shortest matching span duration, in nanoseconds (inclusive).
    public var minDurationNanos: UInt64?
    /// The longest matching span duration, in nanoseconds (inclusive).
    public var maxDurationNanos: UInt64?
    /// The earliest matching span start, in microseconds since the epoch (inclusive).
    public var startTimeMicros: UInt64
    /// The latest matching span start, in microseconds since the epoch (inclusive).
    public var endTimeMicros: UInt64
    /// How many traces to return at most (at least 1).
    public var limit: Int
    /// Traces asked for by id; when not empty they are returned as they are
    /// and every other criterion is ignored.
    public var traceIDs: [TraceID]

    public init(service: String?, operation: String? = nil, tags: [String: String] = [:],
                minDurationNanos: UInt64? = nil, maxDurationNanos: UInt64? = nil,
                startTimeMicros: UInt64, endTimeMicros: UInt64,
                limit: Int = JaegerQuery.defaultLimit, traceIDs: [TraceID] = []) {
        self.service = service
        self.operation = operation
        self.tags = tags
        self.minDurationNanos = minDurationNanos
        self.maxDurationNanos = maxDurationNanos
        self.startTimeMicros = startTimeMicros
        self.endTimeMicros = endTimeMicros
        self.limit = limit
        self.traceIDs = traceIDs
    }

    /// Parses query parameters given as a dictionary (one value per name).
    ///
    /// - Parameter nowMicros: The current time in microseconds since the
    ///   epoch, the default for `end`.
    public init(parameters: [String: String], nowMicros: UInt64) throws(JaegerQueryError) {
        try self.init(parameterList: parameters.map { (name: $0.key, value: $0.value) }, nowMicros: nowMicros)
    }

    /// Parses query parameters in the order given; `tag` and `traceID` may
    /// repeat. For other names the last value wins.
    ///
    /// - Parameter nowMicros: The current time in microseconds since the
    ///   epoch, the default for `end`.
    public init(parameterList: [(name: String, value: String)], nowMicros: UInt64) throws(JaegerQueryError) {
        var single: [String: String] = [:]
        var tags: [String: String] = [:]
        var traceIDs: [TraceID] = []
        for (name, value) in parameterList {
            switch name {
            case "tag":
                guard let pair = JaegerTagFilter.parsePair(value) else {
                    throw .invalidValue(parameter: "tag", value: value, expected: "of the form key:value")
                }
                tags[pair.key] = pair.value
            case "traceID":
                guard let id = Self.traceID(value) else {
                    throw .invalidValue(parameter: "traceID", value: value, expected: "a trace id of 1 to 32 hex digits")
                }
                traceIDs.append(id)
            default:
                single[name] = value
            }
        }
        if let text = single["tags"], !text.isEmpty {
            guard let parsed = JaegerTagFilter.parse(text) else {
                throw .invalidValue(parameter: "tags", value: text, expected: #"a JSON object such as {"error":"true"}"#)
            }
            tags.merge(parsed) { _, json in json }
        }

        let service = single["service"].flatMap { $0.isEmpty ? nil : $0 }
        if service == nil && traceIDs.isEmpty { throw .missingParameter("service") }

        let minDuration = try Self.duration(single, "minDuration")
        let maxDuration = try Self.duration(single, "maxDuration")
        if let minDuration, let maxDuration, maxDuration < minDuration {
            throw .maxDurationBelowMinDuration(minDuration: single["minDuration"] ?? "", maxDuration: single["maxDuration"] ?? "")
        }

        let end = try Self.micros(single, "end") ?? nowMicros
        let lookback = single["lookback"].flatMap { JaegerDuration.nanoseconds($0, allowingDays: true) }.map { $0 / 1_000 }
        let start = try Self.micros(single, "start") ?? (end >= (lookback ?? Self.defaultLookbackMicros)
            ? end - (lookback ?? Self.defaultLookbackMicros) : 0)

        var limit = Self.defaultLimit
        if let text = single["limit"], !text.isEmpty {
            guard let parsed = Int(text), parsed >= 0 else {
                throw .invalidValue(parameter: "limit", value: text, expected: "a non-negative integer")
            }
            if parsed > 0 { limit = parsed }
        }

        self.init(service: service, operation: single["operation"].flatMap { $0.isEmpty ? nil : $0 }, tags: tags,
                  minDurationNanos: minDuration, maxDurationNanos: maxDuration,
                  startTimeMicros: start, endTimeMicros: end, limit: limit, traceIDs: traceIDs)
    }

    private static func duration(_ parameters: [String: String], _ name: String) throws(JaegerQueryError) -> UInt64? {
        guard let text = parameters[name], !text.isEmpty else { return nil }
        guard let nanos = JaegerDuration.nanoseconds(text) else {
            throw .invalidValue(parameter: name, value: text, expected: "a duration such as 1.2s, 100ms or 500us")
        }
        return nanos
    }

    private static func micros(_ parameters: [String: String], _ name: String) throws(JaegerQueryError) -> UInt64? {
        guard let text = parameters[name], !text.isEmpty else { return nil }
        guard let value = UInt64(text) else {
            throw .invalidValue(parameter: name, value: text, expected: "a time in microseconds since the epoch")
        }
        return value
    }

    /// A trace id of 1 to 32 hex digits, zero-padded on the left.
    static func traceID(_ text: String) -> TraceID? {
        guard (1...32).contains(text.utf8.count) else { return nil }
        return TraceID(hex: String(repeating: "0", count: 32 - text.utf8.count) + text)
    }
}
