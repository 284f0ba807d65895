#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Independent work over many items (series to decode, log streams to read),
/// split into contiguous parts that run on every core at once.
///
/// Used where one query does the same thing to thousands of independent
/// items: on a two-core machine such a step takes about half the time. Parts
/// keep the items' order, so callers join the results exactly as one pass
/// over all items would have produced them.
public enum ParallelParts {
    /// Processors online.
    public static let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// `body` over contiguous parts of `0..<count`, concurrently, with the
    /// results in part order. Each part holds at least `minimumPerPart` items
    /// (fewer items run as one part on the caller's thread) and there are at
    /// most `maximumParts`, by default one per core. When parts fail, the
    /// error of the first one is thrown.
    public static func map<Part: Sendable, Failure: Error>(
        count: Int, minimumPerPart: Int, maximumParts: Int = cores,
        _ body: @Sendable (Range<Int>) throws(Failure) -> Part
    ) throws(Failure) -> [Part] {
        let parts = min(max(1, maximumParts), max(1, count / max(1, minimumPerPart)))
        if parts == 1 { return [try body(0..<count)] }
        let results = Mutex([Result<Part, Failure>?](repeating: nil, count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let result = Result { () throws(Failure) in try body((count * part / parts)..<(count * (part + 1) / parts)) }
            results.withLock { $0[part] = result }
        }
        return try results.withLock { $0 }.map { result throws(Failure) in try result!.get() }
    }
}
