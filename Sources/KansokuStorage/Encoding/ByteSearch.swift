import Foundation

/// Substring search over raw bytes, used to skip log lines that cannot hold
/// what a query looks for before they are decoded.
/// (`memmem` is not visible from Swift here, so `memchr` finds each candidate
/// first byte and `memcmp` checks the rest.)
extension UnsafeRawBufferPointer {
    /// Whether `needle` occurs in these bytes; an empty needle always does.
    func containsBytes(_ needle: UnsafeRawBufferPointer) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count <= count, let base = baseAddress, let pattern = needle.baseAddress else { return false }
        let lastStart = count - needle.count
        var offset = 0
        while offset <= lastStart {
            guard let hit = memchr(base + offset, Int32(first), lastStart - offset + 1) else { return false }
            let at = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + at, pattern, needle.count) == 0 { return true }
            offset = at + 1
        }
        return false
    }
}
