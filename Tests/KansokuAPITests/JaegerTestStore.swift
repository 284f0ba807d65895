import KansokuModel
import KansokuStorage

/// An in-memory `TraceSignalStore` for the Jaeger tests: a fixed list of
/// batches, visited in order.
struct JaegerTestStore: TraceSignalStore {
    var batches: [SpanBatch]

    init(_ batches: [SpanBatch]) {
        self.batches = batches
    }

    func append(_ batch: SpanBatch) async throws {
        struct ReadOnly: Error {}
        throw ReadOnly()
    }

    func forEachBatch(_ visit: (SpanBatch) throws -> Bool) throws {
        for batch in batches where try !visit(batch) { return }
    }

    /// The spans of `traceID`, keeping each batch's resource and scope groups.
    func spans(ofTrace traceID: TraceID) throws -> SpanBatch {
        var result = SpanBatch()
        for batch in batches {
            for group in batch.resources {
                let scopes = group.scopes.compactMap { scoped -> ScopedItems<Span>? in
                    let spans = scoped.items.filter { $0.traceID == traceID }
                    return spans.isEmpty ? nil : ScopedItems(scope: scoped.scope, items: spans)
                }
                if !scopes.isEmpty { result.resources.append(ResourceItems(resource: group.resource, scopes: scopes)) }
            }
        }
        return result
    }

    func close() async {}
}
