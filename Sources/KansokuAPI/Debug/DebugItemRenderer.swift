import KansokuModel

/// Renders model items as the JSON item objects of the debug read endpoint
/// (docs/CONTRACTS.md, "Span item", "Log item").
///
/// Each `append…` function writes one JSON object per matching span or log
/// record as consecutive values, so the caller opens the surrounding array
/// (or uses `DebugResponse`, which does). Every object
/// carries the resource attributes and scope of the group it came from.
///
/// Conventions shared by all items: attribute lists become objects in the
/// order received (a duplicated key appears twice, as sent); `*UnixNano`
/// timestamps are strings; ids are lowercase hex, `""` when absent.
public enum DebugItemRenderer {
    /// The resource and scope an item came from. Their JSON is the same for
    /// every item of a group, so it is rendered once, when the first item of
    /// the group matches, and then copied.
    struct Context {
        private let resource: Resource
        private var scope = InstrumentationScope()
        private var resourceJSON: [UInt8]?
        private var scopeJSON: [UInt8]?

        init(resource: Resource) {
            self.resource = resource
        }

        mutating func enter(_ scope: InstrumentationScope) {
            self.scope = scope
            scopeJSON = nil
        }

        /// Writes the `resource` and `scope` members.
        mutating func write(to json: inout JSONWriter) {
            if resourceJSON == nil {
                var rendered = JSONWriter()
                rendered.attributes(resource.attributes)
                resourceJSON = rendered.bytes
            }
            if scopeJSON == nil {
                var rendered = JSONWriter()
                rendered.beginObject()
                rendered.key("name"); rendered.string(scope.name)
                rendered.key("version"); rendered.string(scope.version)
                rendered.key("attributes"); rendered.attributes(scope.attributes)
                rendered.endObject()
                scopeJSON = rendered.bytes
            }
            json.key("resource"); json.rawValue(resourceJSON ?? [])
            json.key("scope"); json.rawValue(scopeJSON ?? [])
        }
    }

    /// Walks the items of `batch` whose resource passes `filter`, calling
    /// `render` for each until `limit` items are written, and returns how many
    /// were. `render` returns whether it wrote the item.
    static func forEachItem<Item>(
        of batch: TelemetryBatch<Item>, matching filter: DebugFilter, limit: Int,
        _ render: (Item, inout Context) -> Bool
    ) -> Int {
        var written = 0
        for group in batch.resources where filter.matches(group.resource) {
            guard written < limit else { break }
            var context = Context(resource: group.resource)
            for scoped in group.scopes {
                guard written < limit else { break }
                context.enter(scoped.scope)
                for item in scoped.items {
                    guard written < limit else { break }
                    if render(item, &context) { written += 1 }
                }
            }
        }
        return written
    }
}

extension JSONWriter {
    /// Attributes as an object, keys in the order received.
    mutating func attributes(_ attributes: [Attribute]) {
        beginObject()
        for attribute in attributes {
            key(attribute.key)
            value(attribute.value)
        }
        endObject()
    }

    /// An attribute value: string, number, bool, base64 string for bytes,
    /// array, object for a key/value list, null for empty. (Nesting depth is
    /// bounded by the write-ahead log, which rejects values deeper than 64.)
    mutating func value(_ value: AttributeValue) {
        switch value {
        case .empty: null()
        case .string(let s): string(s)
        case .bool(let b): bool(b)
        case .int(let i): number(i)
        case .double(let d): number(d)
        case .bytes(let b): base64String(b)
        case .array(let values):
            beginArray()
            for element in values { self.value(element) }
            endArray()
        case .keyValueList(let list): attributes(list)
        }
    }
}
