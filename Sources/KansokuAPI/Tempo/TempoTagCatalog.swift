import KansokuModel
import KansokuStorage

// Tempo's tag endpoints answered from the store's attribute catalogue and
// operations list rather than a scan of every span.

extension TempoTagNameCollector {
    /// Adds the attribute names of everything `store` holds, from its
    /// catalogue (the trace store reads no span for it).
    public mutating func collect(from store: some TraceSignalStore) throws {
        let names = try store.attributeNames()
        add(resourceTags: names[.resource] ?? [], spanTags: names[.span] ?? [])
    }
}

extension TempoTagValueCollector {
    /// Adds the selector's values from `store`: attributes and the status,
    /// status message and root intrinsics from its attribute catalogue, span
    /// names and kinds from its operations list; durations have none.
    ///
    /// Returns false when the list is known to be incomplete: the catalogue
    /// keeps at most ``TraceAttributeCatalog/valuesPerKey`` values of a span
    /// attribute per block (the smallest ones), so a high-cardinality key
    /// (`url.full`, user ids) lists only its smallest values; or the
    /// collector's own `maxValues` was reached.
    public mutating func collect(from store: some TraceSignalStore) throws -> Bool {
        switch selector {
        case .attribute(let scope, let key):
            let storeScope: TraceAttributeScope? = switch scope {
            case .resource: .resource
            case .span: .span
            case .any: nil
            }
            return add(try store.attributeValues(scope: storeScope, key: key, limit: maxValues))
        case .intrinsic(let intrinsic):
            switch intrinsic {
            case .name:
                for operation in try store.operations() { insert("string", operation.name) }
                return !isTruncated
            case .kind:
                for operation in try store.operations() { insert("keyword", Self.kindNames[operation.kind] ?? "unspecified") }
                return !isTruncated
            case .status:
                let summary = try store.attributeValues(scope: .intrinsic, key: TraceAttributeCatalog.Intrinsic.status.rawValue, limit: maxValues)
                for case .int(let code) in summary.values {
                    if let code = SpanStatus.Code(rawValue: Int32(truncatingIfNeeded: code)) { insert("keyword", Self.statusNames[code] ?? "unset") }
                }
                return summary.isComplete && !isTruncated
            case .statusMessage, .rootName, .rootServiceName:
                let key: TraceAttributeCatalog.Intrinsic = switch intrinsic {
                case .statusMessage: .statusMessage
                case .rootName: .rootName
                default: .rootServiceName
                }
                return add(try store.attributeValues(scope: .intrinsic, key: key.rawValue, limit: maxValues))
            case .duration, .traceDuration:
                return true
            }
        }
    }

    /// Adds a summary's values; whether the result is complete.
    private mutating func add(_ summary: TraceAttributeSummary) -> Bool {
        for value in summary.values { add(value) }
        return summary.isComplete && !isTruncated
    }
}
