import KansokuStorage

/// Holds live entries for Loki's `delay_for`: an entry goes out once
/// `delay` has passed since it arrived (or since its own timestamp, if
/// that is earlier), and entries go out in timestamp order, so lines that
/// arrive a little late still appear in order. With no delay every entry
/// goes out at once.
struct LokiTailDelayQueue {
    let delayNanos: Int64
    private var held: [(releaseAt: Int64, entry: LogTailEntry)] = []

    init(delay: Duration) {
        let (seconds, attoseconds) = delay.components
        delayNanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    var isEmpty: Bool { held.isEmpty }

    mutating func add(_ entries: [LogTailEntry], now: Int64) {
        for entry in entries {
            held.append((min(now, entry.timestampNanos) + delayNanos, entry))
        }
    }

    /// Entries due at `now`, by timestamp (stable for equal timestamps).
    mutating func release(now: Int64) -> [LogTailEntry] {
        guard !held.isEmpty else { return [] }
        var due: [LogTailEntry] = []
        held.removeAll { item in
            guard item.releaseAt <= now else { return false }
            due.append(item.entry)
            return true
        }
        return due.enumerated().sorted { ($0.element.timestampNanos, $0.offset) < ($1.element.timestampNanos, $1.offset) }.map(\.element)
    }

    /// How long until the next held entry is due; nil when none is held.
    func timeUntilNextRelease(now: Int64) -> Duration? {
        guard let next = held.map(\.releaseAt).min() else { return nil }
        return .nanoseconds(max(0, next - now))
    }
}
