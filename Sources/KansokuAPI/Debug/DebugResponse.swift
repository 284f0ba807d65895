import KansokuModel

/// The body of a debug read: `{"signal":"traces","items":[ ... ]}`, built
/// batch by batch as the write-ahead log is replayed, and stopping at the
/// filter's limit.
///
/// ```swift
/// var response = DebugResponse<Span>(filter: filter)
/// try store.forEachBatch { batch in
///     response.append(batch)
///     return !response.isFull
/// }
/// let body = response.finish()
/// ```
public struct DebugResponse<Item: DebugRenderable>: Sendable {
    /// Which items the response takes, and how many.
    public let filter: DebugFilter
    /// Items (spans or log records) written so far.
    public private(set) var itemCount = 0
    private var json: JSONWriter

    /// Starts the response; `capacity` is a first guess at its size in bytes.
    public init(filter: DebugFilter, reservingCapacity capacity: Int = 64 * 1024) {
        self.filter = filter
        json = JSONWriter(reservingCapacity: capacity)
        json.beginObject()
        json.key("signal"); json.string(Item.debugSignal.rawValue)
        json.key("items")
        json.beginArray()
    }

    /// True once `filter.limit` items are written; later batches add nothing.
    public var isFull: Bool { itemCount >= filter.limit }

    /// Adds the items of `batch` that match the filter, up to the limit.
    public mutating func append(_ batch: TelemetryBatch<Item>) {
        guard !isFull else { return }
        itemCount += Item.appendDebugItems(of: batch, matching: filter, to: &json, limit: filter.limit - itemCount)
    }

    /// Closes the array and object and returns the UTF-8 JSON text.
    public consuming func finish() -> [UInt8] {
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
