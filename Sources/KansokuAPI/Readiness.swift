import Synchronization

/// Tracks which listeners are up so `/-/ready` answers 200 only when every
/// port accepts traffic and storage has been replayed.
public final class Readiness: Sendable {
    private let pending: Mutex<Set<String>>

    /// `components` are the names that must all report ready, e.g. "otlp-grpc".
    public init(components: Set<String>) {
        pending = Mutex(components)
    }

    public func markReady(_ component: String) {
        _ = pending.withLock { $0.remove(component) }
    }

    public var isReady: Bool { pending.withLock { $0.isEmpty } }
    public var waitingFor: [String] { pending.withLock { $0.sorted() } }
}
