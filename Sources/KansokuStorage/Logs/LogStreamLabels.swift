import KansokuModel

/// The label set that names a log stream, sorted by name with unique names
/// (Loki's model: the index is over these, everything else is content).
public struct LogStreamLabels: Sendable, Hashable, Comparable, CustomStringConvertible {
    public private(set) var names: [String]
    public private(set) var values: [String]

    /// Sorts by name; when a name repeats, the first occurrence wins. Empty values are dropped (as Loki does).
    public init(_ pairs: [(String, String)]) {
        var seen = Set<String>()
        let kept = pairs.filter { !$0.1.isEmpty && seen.insert($0.0).inserted }.sorted { $0.0 < $1.0 }
        names = kept.map(\.0)
        values = kept.map(\.1)
    }

    public var pairs: [(String, String)] { Array(zip(names, values)) }
    public var count: Int { names.count }
    public var isEmpty: Bool { names.isEmpty }

    public subscript(name: String) -> String? {
        names.firstIndex(of: name).map { values[$0] }
    }

    public static func < (a: LogStreamLabels, b: LogStreamLabels) -> Bool {
        for (x, y) in zip(zip(a.names, a.values), zip(b.names, b.values)) where x != y {
            return x < y
        }
        return a.count < b.count
    }

    /// `{a="x", b="y"}`.
    public var description: String {
        "{" + zip(names, values).map { "\($0)=\"\($1)\"" }.joined(separator: ", ") + "}"
    }
}

/// How a stored log record maps onto Loki's model: stream labels (indexed,
/// low cardinality) and structured metadata (per entry name/value strings).
///
/// - **Loki push** records: the Loki decoder stores a stream's labels as the
///   resource attributes (string values, valid label names, sorted, empty
///   values dropped) and an entry's structured metadata as the record's
///   attributes (strings). A resource whose attributes are all non-empty
///   strings under valid label names (`[a-zA-Z_][a-zA-Z0-9_]*`) is read back
///   that way: labels = resource attributes, structured metadata = record
///   attributes verbatim. (`recognizeLokiStreams`; a Loki resource can never
///   hold a dotted OTLP key such as `service.name`, and an Elasticsearch
///   resource always holds `elasticsearch.index`, so neither is mistaken.)
/// - **OTLP / Elasticsearch** records: labels are the resource attributes
///   listed in `resourceAttributeLabels` (string values only), named with
///   every character outside `[a-zA-Z0-9_]` turned into `_`
///   (`service.name` → `service_name`). Without any, `service_name` is
///   `defaultServiceName` (Loki's `unknown_service`). Structured metadata:
///   the remaining resource attributes, then the record attributes (names
///   sanitised the same way, non-string values rendered as JSON), then
///   `trace_id`, `span_id` (hex, when set), `severity_text`,
///   `severity_number` and `detected_level` (from the severity, lowercased:
///   trace, debug, info, warn, error, fatal), `event_name`.
///   Level is deliberately never a stream label (cardinality).
public struct LogLabelMapping: Sendable, Hashable {
    /// Resource attributes promoted to stream labels (OTLP/Elasticsearch records).
    public var resourceAttributeLabels: [String]
    /// Treat resources that look like Loki stream labels as such.
    public var recognizeLokiStreams: Bool
    /// `service_name` when no listed attribute is present; nil for none.
    public var defaultServiceName: String?

    public static let defaultResourceAttributeLabels = [
        "service.name", "service.namespace", "deployment.environment", "deployment.environment.name",
        "k8s.namespace.name", "k8s.pod.name", "k8s.container.name", "k8s.deployment.name", "host.name",
    ]

    public init(resourceAttributeLabels: [String] = LogLabelMapping.defaultResourceAttributeLabels,
                recognizeLokiStreams: Bool = true, defaultServiceName: String? = "unknown_service") {
        self.resourceAttributeLabels = resourceAttributeLabels
        self.recognizeLokiStreams = recognizeLokiStreams
        self.defaultServiceName = defaultServiceName
    }

    /// Whether `resource` is a Loki push stream as the Loki decoder stores it.
    public func isLokiStream(_ resource: Resource) -> Bool {
        guard recognizeLokiStreams, !resource.attributes.isEmpty else { return false }
        return resource.attributes.allSatisfy { attribute in
            guard case .string(let value) = attribute.value, !value.isEmpty else { return false }
            return Self.isValidLabelName(attribute.key)
        }
    }

    /// The stream labels of every record of `resource`.
    public func labels(for resource: Resource) -> LogStreamLabels {
        if isLokiStream(resource) {
            return LogStreamLabels(resource.attributes.map { ($0.key, $0.value.stringValue ?? "") })
        }
        var pairs: [(String, String)] = []
        for key in resourceAttributeLabels {
            if let value = resource.attributes[key: key]?.stringValue, !value.isEmpty {
                pairs.append((Self.labelName(key), value))
            }
        }
        if let defaultServiceName, !pairs.contains(where: { $0.0 == "service_name" }) {
            pairs.append(("service_name", defaultServiceName))
        }
        return LogStreamLabels(pairs)
    }

    /// What ``structuredMetadata(of:resource:)`` takes from a resource,
    /// worked out once for all of its records (``resourceMetadata(_:)``).
    public struct ResourceMetadata: Sendable {
        let isLokiStream: Bool
        /// The resource's attributes that are not stream labels, as metadata.
        let pairs: [(String, String)]
    }

    /// The part of its records' structured metadata that `resource` gives.
    public func resourceMetadata(_ resource: Resource) -> ResourceMetadata {
        if isLokiStream(resource) { return ResourceMetadata(isLokiStream: true, pairs: []) }
        let promoted = Set(resourceAttributeLabels)
        return ResourceMetadata(isLokiStream: false, pairs: resource.attributes.compactMap { attribute in
            promoted.contains(attribute.key) ? nil : (Self.labelName(attribute.key), LogLine.render(attribute.value))
        })
    }

    /// A record's structured metadata (see the type's documentation), in order.
    public func structuredMetadata(of record: LogRecord, resource: Resource) -> [(String, String)] {
        structuredMetadata(of: record, resource: resourceMetadata(resource))
    }

    /// ``structuredMetadata(of:resource:)`` for a record of a resource whose part is known.
    public func structuredMetadata(of record: LogRecord, resource: ResourceMetadata) -> [(String, String)] {
        if resource.isLokiStream {
            return record.attributes.map { ($0.key, LogLine.render($0.value)) }
        }
        var result = resource.pairs
        for attribute in record.attributes {
            result.append((Self.labelName(attribute.key), LogLine.render(attribute.value)))
        }
        if !record.traceID.isZero { result.append(("trace_id", record.traceID.hex)) }
        if !record.spanID.isZero { result.append(("span_id", record.spanID.hex)) }
        if !record.severityText.isEmpty { result.append(("severity_text", record.severityText)) }
        if record.severityNumber != 0 { result.append(("severity_number", String(record.severityNumber))) }
        if let level = Self.detectedLevel(record) { result.append(("detected_level", level)) }
        if !record.eventName.isEmpty { result.append(("event_name", record.eventName)) }
        return result
    }

    /// trace/debug/info/warn/error/fatal from the severity number, else the lowercased text.
    static func detectedLevel(_ record: LogRecord) -> String? {
        switch record.severityNumber {
        case 1...4: return "trace"
        case 5...8: return "debug"
        case 9...12: return "info"
        case 13...16: return "warn"
        case 17...20: return "error"
        case 21...24: return "fatal"
        default: return record.severityText.isEmpty ? nil : record.severityText.lowercased()
        }
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    public static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isNameStart(first) else { return false }
        return name.utf8.dropFirst().allSatisfy { isNameStart($0) || (0x30...0x39).contains($0) }
    }

    /// Every byte outside `[a-zA-Z0-9_]` becomes `_`; a leading digit gets a `_` prefix.
    public static func labelName(_ key: String) -> String {
        if isValidLabelName(key) { return key }
        var bytes = key.utf8.map { isNameStart($0) || (0x30...0x39).contains($0) ? $0 : UInt8(ascii: "_") }
        if let first = bytes.first, (0x30...0x39).contains(first) { bytes.insert(UInt8(ascii: "_"), at: 0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isNameStart(_ c: UInt8) -> Bool {
        (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || c == UInt8(ascii: "_")
    }
}

/// The log line of a record and the string form of attribute values.
public enum LogLine {
    /// A string body as is; anything else rendered as JSON (bytes as base16).
    public static func render(_ value: AttributeValue) -> String {
        if case .string(let s) = value { return s }
        var out = ""
        json(value, into: &out)
        return out
    }

    private static func json(_ value: AttributeValue, into out: inout String) {
        switch value {
        case .empty: out += "null"
        case .string(let s): quote(s, into: &out)
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? "\(d)" : "\"\(d)\""
        case .bytes(let b): out += "\"" + b.map(hex2).joined() + "\""
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                json(item, into: &out)
            }
            out += "]"
        case .keyValueList(let members):
            out += "{"
            for (i, member) in members.enumerated() {
                if i > 0 { out += "," }
                quote(member.key, into: &out)
                out += ":"
                json(member.value, into: &out)
            }
            out += "}"
        }
    }

    private static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\u00" + hex2(UInt8(scalar.value))
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
