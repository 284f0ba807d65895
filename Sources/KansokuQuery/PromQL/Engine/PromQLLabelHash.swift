/// Prometheus's `labels.Labels.Hash()` for its default (`stringlabels`)
/// build: XXH64 (seed 0) over the length-prefixed label encoding.
///
/// `limit_ratio` picks series by this hash, so matching upstream's results
/// needs the exact same function.
enum PromQLLabelHash {
    static func hash(_ labels: PromQLLabels) -> UInt64 {
        var data: [UInt8] = []
        func append(_ string: String) {
            let bytes = Array(string.utf8)
            if bytes.count < 255 {
                data.append(UInt8(bytes.count))
            } else {
                data += [255, UInt8(bytes.count & 0xff), UInt8((bytes.count >> 8) & 0xff), UInt8((bytes.count >> 16) & 0xff)]
            }
            data += bytes
        }
        for label in labels.labels {
            append(label.name)
            append(label.value)
        }
        return xxh64(data)
    }

    private static let p1: UInt64 = 11_400_714_785_074_694_791
    private static let p2: UInt64 = 14_029_467_366_897_019_727
    private static let p3: UInt64 = 1_609_587_929_392_839_161
    private static let p4: UInt64 = 9_650_029_242_287_828_579
    private static let p5: UInt64 = 2_870_177_450_012_600_261

    @inline(__always) private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inline(__always) private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }

    @inline(__always) private static func merge(_ acc: UInt64, _ val: UInt64) -> UInt64 {
        (acc ^ round(0, val)) &* p1 &+ p4
    }

    private static func u64(_ b: [UInt8], _ i: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(b[i + k]) << (8 * UInt64(k)) }
        return v
    }

    private static func u32(_ b: [UInt8], _ i: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<4 { v |= UInt64(b[i + k]) << (8 * UInt64(k)) }
        return v
    }

    /// XXH64 with seed 0 (the `cespare/xxhash` Prometheus uses).
    static func xxh64(_ b: [UInt8]) -> UInt64 {
        let n = b.count
        var i = 0
        var h: UInt64
        if n >= 32 {
            var v1 = p1 &+ p2, v2 = p2, v3: UInt64 = 0, v4: UInt64 = 0 &- p1
            while i + 32 <= n {
                v1 = round(v1, u64(b, i))
                v2 = round(v2, u64(b, i + 8))
                v3 = round(v3, u64(b, i + 16))
                v4 = round(v4, u64(b, i + 24))
                i += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(h, v1)
            h = merge(h, v2)
            h = merge(h, v3)
            h = merge(h, v4)
        } else {
            h = p5
        }
        h = h &+ UInt64(n)
        while i + 8 <= n {
            h ^= round(0, u64(b, i))
            h = rotl(h, 27) &* p1 &+ p4
            i += 8
        }
        if i + 4 <= n {
            h ^= u32(b, i) &* p1
            h = rotl(h, 23) &* p2 &+ p3
            i += 4
        }
        while i < n {
            h ^= UInt64(b[i]) &* p5
            h = rotl(h, 11) &* p1
            i += 1
        }
        h ^= h >> 33
        h = h &* p2
        h ^= h >> 29
        h = h &* p3
        h ^= h >> 32
        return h
    }
}
