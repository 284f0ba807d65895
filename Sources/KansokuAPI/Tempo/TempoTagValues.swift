import KansokuModel
import KansokuStorage

/// Which values a tag-values request asks for: an attribute (in a scope) or
/// one of the span/trace intrinsics.
public enum TempoTagSelector: Sendable, Hashable {
    /// Where an attribute is looked up.
    public enum Scope: Sendable, Hashable {
        case resource
        case span
        /// Resource and span attributes both (TraceQL's `.key`, and v1 names).
        case any
    }

    /// The intrinsics that have values worth listing.
    public enum Intrinsic: String, Sendable, Hashable, CaseIterable {
        case name, status, kind, statusMessage, rootName, rootServiceName, duration, traceDuration
    }

    case attribute(Scope, key: String)
    case intrinsic(Intrinsic)

    /// A v1 tag name (`/api/search/tag/{name}/values`): a plain attribute key
    /// looked up on resources and spans.
    public init(v1Name name: String) {
        self = .attribute(.any, key: name)
    }

    /// A v2 tag (`/api/v2/search/tag/{tag}/values`), a TraceQL identifier:
    /// `resource.key`, `span.key`, `.key`, an intrinsic (`name`, `status`, …)
    /// or its scoped form (`span:name`, `trace:rootService`, …). Nil for
    /// anything else.
    public init?(traceQL tag: String) {
        if tag.hasPrefix("resource.") {
            self = .attribute(.resource, key: String(tag.dropFirst("resource.".count)))
        } else if tag.hasPrefix("span.") {
            self = .attribute(.span, key: String(tag.dropFirst("span.".count)))
        } else if tag.hasPrefix(".") {
            self = .attribute(.any, key: String(tag.dropFirst()))
        } else if let intrinsic = Intrinsic(rawValue: tag) {
            self = .intrinsic(intrinsic)
        } else {
            let scoped: [String: Intrinsic] = [
                "span:name": .name, "span:status": .status, "span:kind": .kind, "span:statusMessage": .statusMessage,
                "span:duration": .duration, "trace:rootName": .rootName, "trace:rootService": .rootServiceName,
                "trace:duration": .traceDuration,
            ]
            guard let intrinsic = scoped[tag] else { return nil }
            self = .intrinsic(intrinsic)
        }
        if case .attribute(_, let key) = self, key.isEmpty { return nil }
    }
}

/// One distinct value with its TraceQL type, as v2 lists it
/// (`string`, `int`, `float`, `bool` or `keyword`).
public struct TempoTagValue: Sendable, Hashable, Comparable {
    public var type: String
    public var value: String

    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }

    public static func < (a: TempoTagValue, b: TempoTagValue) -> Bool {
        (a.value, a.type) < (b.value, b.type)
    }
}

/// Collects the distinct values of one tag from stored spans, for
/// `GET /api/search/tag/{name}/values` (v1) and its v2 form.
///
/// Fill it from a store's attribute catalogue and operations with
/// `collect(from:)` (what the routes do; it says whether the list is
/// complete), or feed it every batch of a scan with `collect(_:)`, stopping
/// once `isFull`; then render a body. Values come out sorted and
/// deduplicated. Durations have no listable values, so their selectors
/// collect nothing.
public struct TempoTagValueCollector: Sendable {
    public let selector: TempoTagSelector
    /// How many distinct values to keep before ignoring new ones.
    public let maxValues: Int
    public private(set) var values: Set<TempoTagValue> = []
    /// Whether a new value was refused because `maxValues` were held.
    public private(set) var isTruncated = false

    public init(selector: TempoTagSelector, maxValues: Int = 10_000) {
        self.selector = selector
        self.maxValues = maxValues
    }

    /// Whether `maxValues` values are held, so scanning on can add nothing.
    public var isFull: Bool { values.count >= maxValues }

    /// Adds the values `batch` holds for the selector.
    public mutating func collect(_ batch: SpanBatch) {
        for items in batch.resources {
            let service = items.resource.serviceName
            if case .attribute(let scope, let key) = selector, scope != .span {
                for attribute in items.resource.attributes where attribute.key == key { add(attribute.value) }
            }
            for scoped in items.scopes {
                for span in scoped.items {
                    switch selector {
                    case .attribute(let scope, let key):
                        guard scope != .resource else { break }
                        for attribute in span.attributes where attribute.key == key { add(attribute.value) }
                    case .intrinsic(let intrinsic):
                        add(intrinsic, of: span, service: service)
                    }
                }
            }
        }
    }

    /// The v1 body, `{"tagValues":["…"]}`: string values only, sorted, at
    /// most `limit`.
    public func v1Body(limit: Int = .max) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("tagValues")
        json.stringArray(Set(values.lazy.filter { $0.type == "string" }.map(\.value)), limit: limit)
        json.endObject()
        return json.bytes
    }

    /// The v2 body, `{"tagValues":[{"type":"string","value":"…"}]}`: every
    /// type, sorted by value, at most `limit`.
    public func v2Body(limit: Int = .max) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("tagValues")
        json.beginArray()
        for value in values.sorted().prefix(max(0, limit)) {
            json.beginObject()
            json.key("type"); json.string(value.type)
            json.key("value"); json.string(value.value)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    // MARK: Collecting

    private mutating func add(_ value: AttributeValue) {
        if let listable = TraceAttributeValue(value) { add(listable) }
    }

    /// Adds one value, typed and rendered as Tempo lists it.
    mutating func add(_ value: TraceAttributeValue) {
        switch value {
        case .string(let s): insert("string", s)
        case .int(let i): insert("int", String(i))
        case .double(let d): insert("float", d.description)
        case .bool(let b): insert("bool", b ? "true" : "false")
        }
    }

    private mutating func add(_ intrinsic: TempoTagSelector.Intrinsic, of span: Span, service: String?) {
        switch intrinsic {
        case .name: insert("string", span.name)
        case .statusMessage: if !span.status.message.isEmpty { insert("string", span.status.message) }
        case .status: insert("keyword", Self.statusNames[span.status.code] ?? "unset")
        case .kind: insert("keyword", Self.kindNames[span.kind] ?? "unspecified")
        case .rootName: if span.parentSpanID.isZero { insert("string", span.name) }
        case .rootServiceName: if span.parentSpanID.isZero, let service { insert("string", service) }
        case .duration, .traceDuration: break
        }
    }

    mutating func insert(_ type: String, _ value: String) {
        let tagValue = TempoTagValue(type: type, value: value)
        guard values.count < maxValues else {
            if !values.contains(tagValue) { isTruncated = true }
            return
        }
        values.insert(tagValue)
    }

    static let statusNames: [SpanStatus.Code: String] = [.unset: "unset", .ok: "ok", .error: "error"]
    static let kindNames: [SpanKind: String] = [
        .unspecified: "unspecified", .internal: "internal", .server: "server",
        .client: "client", .producer: "producer", .consumer: "consumer",
    ]
}
