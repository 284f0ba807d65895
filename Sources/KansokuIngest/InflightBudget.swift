import Synchronization

/// Bounds the bytes of requests being decoded or waiting to be made durable.
/// When storage falls behind, new requests are refused with a retryable
/// error instead of queueing without limit and exhausting memory.
public final class InflightBudget: Sendable {
    public let limitBytes: Int
    private let used = Mutex(0)

    public init(limitBytes: Int) {
        self.limitBytes = limitBytes
    }

    /// Reserves `bytes`, runs `body`, and releases them; throws `.overloaded`
    /// without running `body` when the budget is spent. A request larger than
    /// the whole budget is still let through when nothing else is in flight.
    public func withReservation<T>(of bytes: Int, _ body: () async throws(IngestError) -> T) async throws(IngestError) -> T {
        let granted = used.withLock { current in
            guard current == 0 || current + bytes <= limitBytes else { return false }
            current += bytes
            return true
        }
        guard granted else { throw .overloaded(retryAfterSeconds: 1) }
        defer { used.withLock { $0 -= bytes } }
        return try await body()
    }

    public var inUseBytes: Int { used.withLock { $0 } }
}
