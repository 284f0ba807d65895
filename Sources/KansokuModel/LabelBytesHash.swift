/// A fast 64-bit hash of label bytes (multiply and xor-shift over 8-byte
/// words), seeded per process. Hashing label sets with `Hasher` (SipHash)
/// took a tenth of remote-write ingest: every sample looks its series up by
/// its labels. Not a defence against chosen collisions like SipHash is; the
/// random seed keeps collisions from being predictable across processes,
/// and equal hashes are always confirmed by comparing the bytes.
public enum LabelBytesHash {
    /// Where every hash starts; random so hashes differ between processes.
    static let seed = UInt64.random(in: .min ... .max)

    @inline(__always)
    static func mix(_ state: UInt64, _ word: UInt64) -> UInt64 {
        var x = (state ^ word) &* 0xBF58_476D_1CE4_E5B9
        x ^= x &>> 31
        return x &* 0x94D0_49BB_1331_11EB
    }

    /// `state` updated with `bytes`; the length is mixed in, so a run of
    /// fields hashes differently from their concatenation shifted.
    @inline(__always)
    static func combine(_ state: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = state
        let count = bytes.count
        var offset = 0
        while offset &+ 8 <= count {
            h = mix(h, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset &+= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(bytes[offset]) &<< shift
            shift &+= 8
            offset &+= 1
        }
        return mix(h, tail ^ (UInt64(truncatingIfNeeded: count) &<< 56))
    }

    /// The hash of `bytes` alone.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        combine(seed, bytes)
    }

    /// `state` updated with a string's UTF-8 bytes.
    static func combine(_ state: UInt64, _ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { combine(state, UnsafeRawBufferPointer($0)) }
    }
}
