import KansokuModel
import Synchronization

/// Parsed stream labels by their selector string, shared by the pushes a
/// receiver decodes: clients send the same few streams in every push, and
/// parsing and normalising a selector costs far more than looking it up.
///
/// Holds what ``LokiLabelSelector/parse(_:)`` returned, refusals included, so
/// a cached answer is the answer. Bounded: selectors longer than
/// `maxSelectorBytes` are never kept, and the cache empties when it holds
/// `capacity` of them.
final class LokiLabelCache: Sendable {
    let capacity: Int
    let maxSelectorBytes: Int
    private let parsed = Mutex<[String: Result<[Attribute], LokiLabelSelector.Failure>]>([:])

    init(capacity: Int = 4096, maxSelectorBytes: Int = 1024) {
        self.capacity = capacity
        self.maxSelectorBytes = maxSelectorBytes
    }

    /// ``LokiLabelSelector/parse(_:)``, from the cache when `text` was seen before.
    func parse(_ text: String) throws(LokiLabelSelector.Failure) -> [Attribute] {
        guard text.utf8.count <= maxSelectorBytes else { return try LokiLabelSelector.parse(text) }
        if let known = parsed.withLock({ $0[text] }) { return try known.get() }
        let result = Result { () throws(LokiLabelSelector.Failure) in try LokiLabelSelector.parse(text) }
        parsed.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[text] = result
        }
        return try result.get()
    }

    /// How many selectors are cached (for tests).
    var count: Int { parsed.withLock { $0.count } }
}
