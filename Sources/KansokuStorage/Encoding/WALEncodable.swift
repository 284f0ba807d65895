import KansokuModel

/// Item types that have a WAL encoding: `Span` and `LogRecord`.
///
/// A batch of them becomes one payload with `TelemetryBatch.walPayload()` and
/// comes back with `TelemetryBatch.init(walPayload:)`; the requirements below
/// are the per-item building blocks those use.
public protocol WALEncodable: Sendable, Hashable {
    /// Written after the version byte, so that a payload of one signal is
    /// never silently decoded as another.
    static var walItemTag: UInt8 { get }

    /// The fewest bytes one encoded item can take; bounds how many items a
    /// count read from untrusted input may claim.
    static var walMinimumEncodedSize: Int { get }

    /// A cheap guess at the encoded size, used only to reserve capacity.
    var walSizeHint: Int { get }

    /// Appends this item's encoding.
    func encode(to writer: inout WALWriter)

    /// Appends the encodings of `items`, one after another: what
    /// `walPayload()` writes for a scope. The default calls
    /// ``encode(to:)`` for each; a type may read its items in place instead,
    /// to spare the copy (retains and releases) a call on each one costs.
    static func encode(_ items: UnsafeBufferPointer<Self>, to writer: inout WALWriter)

    /// Reads one item written by `encode(to:)`.
    init(from reader: inout WALReader) throws(WALDecodingError)
}

extension WALEncodable {
    public static func encode(_ items: UnsafeBufferPointer<Self>, to writer: inout WALWriter) {
        for index in items.indices { items[index].encode(to: &writer) }
    }
}
