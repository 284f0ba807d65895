import KansokuModel

/// Maps one Elasticsearch source document (as Fluent Bit's `es` output or
/// Filebeat sends it) to a log record and its resource.
///
/// The document is first flattened: nested objects become dotted keys
/// (`{"kubernetes":{"pod_name":"p"}}` → `kubernetes.pod_name`), so a field
/// written nested or already dotted (`"log.level"`) is found the same way.
/// `null` values and empty objects are dropped, as Elasticsearch ignores them.
/// Then, taking each field only when it has the right type (a field that is
/// used is removed from the attributes; one that is not stays):
///
/// - time: `@timestamp`, else `timestamp`: an RFC 3339 / ISO-8601 date-time
///   string (`2024-01-02T03:04:05.678Z`, any number of fraction digits up to
///   nanoseconds, `Z`, `±hh:mm`, `±hhmm` or no offset meaning UTC, `T` or a
///   space between date and time, or a date alone), or epoch milliseconds as a
///   JSON number or a string of digits (fractions keep sub-millisecond
///   precision); else the receive time. A value that does not parse stays an
///   attribute. The observed time is always the receive time.
/// - body: `message`, else `log` (Fluent Bit's tail/docker field), when a
///   string; else the whole document as compact JSON text.
/// - severity text: `level`, else `log.level` (ECS), else `severity`, when a
///   string, as written; the severity number from its lowercased name: trace 1,
///   debug 5, info/information/informational 9, notice 10, warn/warning 13,
///   error/err 17, fatal/critical/crit/emergency/emerg/alert/panic 21;
///   otherwise 0 (unspecified).
/// - trace context: ECS `trace.id` (32 hex digits) and `span.id` (16 hex
///   digits) when valid.
/// - resource attributes (strings only), in this order: `service.name` ←
///   `service.name`; `host.name` ← `host.name`, else `host.hostname`;
///   `k8s.namespace.name` ← `kubernetes.namespace_name` (Fluent Bit), else
///   `kubernetes.namespace` (Filebeat/ECS); `k8s.pod.name` ←
///   `kubernetes.pod_name`, else `kubernetes.pod.name`; `k8s.pod.uid` ←
///   `kubernetes.pod_id`, else `kubernetes.pod.uid`; `k8s.container.name` ←
///   `kubernetes.container_name`, else `kubernetes.container.name`;
///   `k8s.node.name` ← `kubernetes.host`, else `kubernetes.node.name`;
///   `elasticsearch.index` ← the target index.
/// - every other field: a log attribute under its dotted key, in document
///   order, keeping its type: string, bool, int (an integer literal that fits
///   in 64 bits), double (any other number); an array becomes `.array` (objects
///   inside arrays become `.keyValueList`, nulls `.empty`).
///
/// Records are grouped into one `ResourceItems` per distinct resource
/// attribute set in first-seen order, each with a single unnamed scope.
/// See docs/elasticsearch-mapping.md.
enum ElasticsearchDocumentMapper {
    typealias Members = [(key: String, value: JSONValue)]

    struct Mapped {
        var resource: [Attribute]
        var record: LogRecord
    }

    /// Parses a source line; it must be a JSON object.
    static func parseSource(_ bytes: ArraySlice<UInt8>) -> Result<Members, ElasticsearchError> {
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(bytes))
        } catch {
            return .failure(ElasticsearchError(type: "mapper_parsing_exception", reason: "failed to parse: \(error.description)"))
        }
        guard case .object(let members) = value else {
            return .failure(ElasticsearchError(
                type: "mapper_parsing_exception", reason: "failed to parse: the document must be a JSON object, got \(value.typeName)"))
        }
        return .success(members)
    }

    static func map(_ document: Members, index: String, receivedAtUnixNano: UInt64) -> Mapped {
        var fields: Members = []
        flatten(document, prefix: "", into: &fields)
        var used = [Bool](repeating: false, count: fields.count)

        /// The position of the first unused field named `key` accepted by `accept`.
        func take<T>(_ keys: [String], _ accept: (JSONValue) -> T?) -> T? {
            for key in keys {
                for (i, field) in fields.enumerated() where !used[i] && field.key == key {
                    if let result = accept(field.value) {
                        used[i] = true
                        return result
                    }
                }
            }
            return nil
        }
        func takeString(_ keys: String...) -> String? {
            take(keys) { if case .string(let s) = $0 { s } else { nil } }
        }

        var record = LogRecord(observedTimeUnixNano: receivedAtUnixNano)
        record.timeUnixNano = take(["@timestamp", "timestamp"], timestampNanos) ?? receivedAtUnixNano
        if let body = takeString("message", "log") {
            record.body = .string(body)
        } else {
            record.body = .string(JSONValue.object(document).serializedString)
        }
        if let level = takeString("level", "log.level", "severity") {
            record.severityText = level
            record.severityNumber = severityNumber(level)
        }
        if let trace = take(["trace.id"], { if case .string(let s) = $0 { TraceID(hex: s) } else { nil } }) {
            record.traceID = trace
        }
        if let span = take(["span.id"], { if case .string(let s) = $0 { SpanID(hex: s) } else { nil } }) {
            record.spanID = span
        }

        var resource: [Attribute] = []
        func resourceAttribute(_ key: String, _ sources: String...) {
            for source in sources {
                if let value = takeString(source) {
                    resource.append(Attribute(key: key, value: .string(value)))
                    return
                }
            }
        }
        resourceAttribute("service.name", "service.name")
        resourceAttribute("host.name", "host.name", "host.hostname")
        resourceAttribute("k8s.namespace.name", "kubernetes.namespace_name", "kubernetes.namespace")
        resourceAttribute("k8s.pod.name", "kubernetes.pod_name", "kubernetes.pod.name")
        resourceAttribute("k8s.pod.uid", "kubernetes.pod_id", "kubernetes.pod.uid")
        resourceAttribute("k8s.container.name", "kubernetes.container_name", "kubernetes.container.name")
        resourceAttribute("k8s.node.name", "kubernetes.host", "kubernetes.node.name")
        resource.append(Attribute(key: "elasticsearch.index", value: .string(index)))

        for (i, field) in fields.enumerated() where !used[i] {
            record.attributes.append(Attribute(key: field.key, value: attributeValue(field.value)))
        }
        return Mapped(resource: resource, record: record)
    }

    // MARK: Flattening and values

    static func flatten(_ members: Members, prefix: String, into fields: inout Members) {
        for (key, value) in members {
            let path = prefix.isEmpty ? key : prefix + "." + key
            switch value {
            case .null: continue
            case .object(let nested): flatten(nested, prefix: path, into: &fields)
            default: fields.append((path, value))
            }
        }
    }

    static func attributeValue(_ value: JSONValue) -> AttributeValue {
        switch value {
        case .null: .empty
        case .bool(let b): .bool(b)
        case .string(let s): .string(s)
        case .number(let text): numberValue(text)
        case .array(let elements): .array(elements.map(attributeValue))
        case .object(let members): .keyValueList(members.map { Attribute(key: $0.key, value: attributeValue($0.value)) })
        }
    }

    /// An integer literal that fits in Int64 stays exact; anything else is a double.
    static func numberValue(_ text: String) -> AttributeValue {
        if !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }),
           let exact = Int64(text) {
            return .int(exact)
        }
        return .double(Double(text) ?? .nan)
    }

    static func severityNumber(_ text: String) -> Int32 {
        switch text.lowercased().trimmingSpaces {
        case "trace": 1
        case "debug": 5
        case "info", "information", "informational": 9
        case "notice": 10
        case "warn", "warning": 13
        case "error", "err": 17
        case "fatal", "critical", "crit", "emergency", "emerg", "alert", "panic": 21
        default: 0
        }
    }

    // MARK: Timestamps

    /// Nanoseconds since the Unix epoch for a `@timestamp`-like value, or nil.
    static func timestampNanos(_ value: JSONValue) -> UInt64? {
        switch value {
        case .number(let text): epochMillisNanos(text)
        case .string(let text):
            if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                epochMillisNanos(text)
            } else {
                rfc3339Nanos(text)
            }
        default: nil
        }
    }

    /// Epoch milliseconds (`1704164705678`, `1704164705678.5`) to nanoseconds;
    /// decimal text is read exactly, exponent forms through `Double`.
    static func epochMillisNanos(_ text: String) -> UInt64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits: (Substring) -> Bool = { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
        if digits(parts[0]), parts.count == 1 || digits(parts[1]) {
            guard let millis = UInt64(parts[0]) else { return nil }
            var fraction: UInt64 = 0
            if parts.count == 2 {
                let six = String(parts[1].prefix(6))
                fraction = UInt64(six + String(repeating: "0", count: 6 - six.count)) ?? 0
            }
            let (scaled, overflow) = millis.multipliedReportingOverflow(by: 1_000_000)
            guard !overflow else { return nil }
            let (nanos, overflowAdding) = scaled.addingReportingOverflow(fraction)
            return overflowAdding ? nil : nanos
        }
        guard let double = Double(text), double.isFinite, double >= 0 else { return nil }
        let nanos = (double * 1_000_000).rounded()
        return nanos < 1.8e19 ? UInt64(nanos) : nil
    }

    /// RFC 3339 / ISO-8601 date-time (or date) to nanoseconds since the epoch;
    /// nil for anything else or a time before 1970.
    static func rfc3339Nanos(_ text: String) -> UInt64? {
        let b = Array(text.utf8)
        var i = 0
        func number(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var value = 0
            for k in i..<i + count {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                value = value * 10 + Int(b[k] - 48)
            }
            i += count
            return value
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        var hour = 0, minute = 0, second = 0, nanos: UInt64 = 0, offsetSeconds = 0
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ") else { return nil }
            i += 1
            guard let h = number(2), expect(":"), let m = number(2), h < 24, m < 60 else { return nil }
            hour = h; minute = m
            if expect(":") {
                guard let s = number(2), s < 60 else { return nil }
                second = s
                if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                    i += 1
                    var digits = 0
                    while i < b.count, b[i] >= 48, b[i] <= 57 {
                        if digits < 9 { nanos = nanos * 10 + UInt64(b[i] - 48) }
                        digits += 1
                        i += 1
                    }
                    guard digits > 0 else { return nil }
                    for _ in min(digits, 9)..<9 { nanos *= 10 }
                }
            }
            if i < b.count {
                if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                    i += 1
                } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                    i += 1
                    guard let oh = number(2) else { return nil }
                    _ = expect(":")
                    let om = number(2) ?? 0
                    guard oh < 24, om < 60 else { return nil }
                    offsetSeconds = sign * (oh * 3600 + om * 60)
                } else {
                    return nil
                }
            }
        }
        guard i == b.count else { return nil }
        let seconds = daysFromCivil(year: year, month: month, day: day) * 86_400
            + hour * 3600 + minute * 60 + second - offsetSeconds
        guard seconds >= 0, seconds < 18_000_000_000 else { return nil }
        return UInt64(seconds) * 1_000_000_000 + nanos
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    // MARK: Grouping

    /// Builds the resource → records tree, keeping first-seen order.
    struct Grouper {
        private(set) var batch = LogBatch()
        private var resourceIndex: [[Attribute]: Int] = [:]

        mutating func add(_ mapped: Mapped) {
            if let r = resourceIndex[mapped.resource] {
                batch.resources[r].scopes[0].items.append(mapped.record)
            } else {
                resourceIndex[mapped.resource] = batch.resources.count
                batch.resources.append(ResourceItems(
                    resource: Resource(attributes: mapped.resource),
                    scopes: [ScopedItems(scope: InstrumentationScope(), items: [mapped.record])]))
            }
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}
