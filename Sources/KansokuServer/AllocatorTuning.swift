#if canImport(Glibc)
import Glibc
#endif
import KansokuModel
import Logging

/// Keeps the C allocator (glibc's) from returning the large, short-lived
/// buffers of ingest to the kernel after every request.
///
/// Each push or export holds a few buffers of up to the request size at once
/// (the body, its decompressed form, the WAL payload). By default glibc gives
/// blocks that large their own mapping, or trims them off the heap once
/// freed, so the next request faults every page in afresh and zeroes it:
/// about a fifth of the server's CPU per Loki push line. With these settings
/// such blocks come from the heap and stay there for reuse; the cost is that
/// resident memory falls back more slowly after a burst.
///
/// It also keeps one heap ("arena") per core instead of glibc's default of
/// eight per core: no more threads than cores run at once, and every extra
/// arena keeps freed memory that the others cannot reuse. A range query
/// decodes its series on every core and writes its JSON on yet another
/// thread; on the metrics benchmark its peak RSS went from 207 MiB to
/// 184–198 MiB with one arena per core, with no measurable cost in CPU or
/// latency. No effect with another C library.
enum AllocatorTuning {
    /// Blocks below this come from the heap: twice the default largest request.
    static let mmapThreshold: Int32 = 32 << 20
    /// Free memory at the top of a heap is returned past this.
    static let trimThreshold: Int32 = 64 << 20
    /// Heaps that threads allocate from: one per core.
    static let arenaCount = Int32(clamping: ParallelParts.cores)

    static func apply(logger: Logger) {
        #if canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which Swift's Glibc module does
        // not import; look it up by name (glibc's M_TRIM_THRESHOLD is -1,
        // M_MMAP_THRESHOLD -3, M_ARENA_MAX -8).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else {
            logger.debug("allocator tuning: no mallopt")
            return
        }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let applied = mallopt(-3, mmapThreshold) == 1 && mallopt(-1, trimThreshold) == 1 && mallopt(-8, arenaCount) == 1
        logger.debug("allocator tuning", metadata: ["applied": "\(applied)"])
        #endif
    }
}
