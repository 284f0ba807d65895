import Foundation

/// Substring search over raw bytes: storage uses it to skip log lines that
/// cannot hold what a query looks for before they are decoded, LogQL for line
/// filters and patterns, which Loki matches byte for byte too.
/// (`memmem` is not visible from Swift here, so `memchr` finds each candidate
/// first byte and `memcmp` checks the rest.)
extension UnsafeRawBufferPointer {
    /// Whether `needle` occurs in these bytes; an empty needle always does.
    public func containsBytes(_ needle: UnsafeRawBufferPointer) -> Bool {
        firstOffset(of: needle) != nil
    }

    /// The offset of the first occurrence of `needle` at or after `start`;
    /// an empty needle occurs at `start`.
    public func firstOffset(of needle: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        guard let first = needle.first else { return start <= count ? start : nil }
        guard start >= 0, needle.count <= count - start, let base = baseAddress, let pattern = needle.baseAddress else {
            return nil
        }
        let lastStart = count - needle.count
        var offset = start
        while offset <= lastStart {
            guard let hit = memchr(base + offset, Int32(first), lastStart - offset + 1) else { return nil }
            let at = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + at, pattern, needle.count) == 0 { return at }
            offset = at + 1
        }
        return nil
    }

    /// Whether `needle` occurs at `offset` (an empty needle does anywhere in range).
    public func hasBytes(_ needle: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard offset >= 0, needle.count <= count - offset else { return false }
        guard let base = baseAddress, let pattern = needle.baseAddress else { return true }
        return memcmp(base + offset, pattern, needle.count) == 0
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes, copying only a string
    /// that is not stored as contiguous UTF-8 (a bridged one).
    public func withUTF8Bytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return result }
        var copy = self
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}
