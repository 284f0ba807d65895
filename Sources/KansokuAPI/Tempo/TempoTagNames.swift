import KansokuModel

/// Collects the attribute names of stored spans for Tempo's tag endpoints,
/// `GET /api/search/tags` (v1) and `GET /api/v2/search/tags` (v2).
///
/// Fill it from a store's attribute catalogue with `collect(from:)` (what
/// the routes do: no span is read), or feed it every batch of a scan with
/// `collect(_:)`, stopping once `isFull`; then render a body. Names come out
/// sorted and deduplicated.
public struct TempoTagNameCollector: Sendable {
    /// The intrinsic names Tempo's v2 endpoint lists in its `intrinsic` scope.
    public static let intrinsicTags = [
        "duration", "kind", "name", "rootName", "rootServiceName", "status", "statusMessage", "traceDuration",
    ]

    /// Attribute keys seen on resources.
    public private(set) var resourceTags: Set<String> = []
    /// Attribute keys seen on spans.
    public private(set) var spanTags: Set<String> = []
    /// How many distinct names per scope to keep before ignoring new ones.
    public let maxNamesPerScope: Int

    public init(maxNamesPerScope: Int = 10_000) {
        self.maxNamesPerScope = maxNamesPerScope
    }

    /// Whether both scopes hold `maxNamesPerScope` names, so scanning on can
    /// add nothing.
    public var isFull: Bool {
        resourceTags.count >= maxNamesPerScope && spanTags.count >= maxNamesPerScope
    }

    /// Adds the resource and span attribute keys of `batch`.
    public mutating func collect(_ batch: SpanBatch) {
        for items in batch.resources {
            for attribute in items.resource.attributes where resourceTags.count < maxNamesPerScope {
                resourceTags.insert(attribute.key)
            }
            for scoped in items.scopes {
                for span in scoped.items {
                    for attribute in span.attributes where spanTags.count < maxNamesPerScope {
                        spanTags.insert(attribute.key)
                    }
                }
            }
        }
    }

    /// Adds names listed elsewhere (a store's attribute catalogue); past the
    /// cap, the smallest names are the ones kept.
    public mutating func add(resourceTags resource: some Sequence<String>, spanTags span: some Sequence<String>) {
        for name in resource.sorted() where resourceTags.count < maxNamesPerScope { resourceTags.insert(name) }
        for name in span.sorted() where spanTags.count < maxNamesPerScope { spanTags.insert(name) }
    }

    /// The v1 body, `{"tagNames":[…]}`: resource and span keys together,
    /// sorted, deduplicated, at most `limit` of them.
    public func v1Body(limit: Int = .max) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("tagNames")
        json.stringArray(resourceTags.union(spanTags), limit: limit)
        json.endObject()
        return json.bytes
    }

    /// The v2 body, `{"scopes":[{"name":"resource","tags":[…]},{"name":"span",…},{"name":"intrinsic",…}]}`.
    ///
    /// - Parameters:
    ///   - scope: Tempo's `scope` parameter: `resource`, `span` or
    ///     `intrinsic` for that scope alone; nil, `""`, `all` or anything else
    ///     for all three.
    ///   - limit: At most this many names per attribute scope, sorted.
    public func v2Body(scope: String? = nil, limit: Int = .max) -> [UInt8] {
        let only = ["resource", "span", "intrinsic"].contains(scope ?? "") ? scope : nil
        var json = JSONWriter()
        json.beginObject()
        json.key("scopes")
        json.beginArray()
        for (name, tags) in [("resource", resourceTags), ("span", spanTags), ("intrinsic", Set(Self.intrinsicTags))]
        where only == nil || only == name {
            json.beginObject()
            json.key("name"); json.string(name)
            json.key("tags"); json.stringArray(tags, limit: name == "intrinsic" ? .max : limit)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}

extension JSONWriter {
    /// `strings` sorted, at most `limit` of them, as a JSON array.
    mutating func stringArray(_ strings: Set<String>, limit: Int) {
        beginArray()
        for s in strings.sorted().prefix(max(0, limit)) { string(s) }
        endArray()
    }
}
