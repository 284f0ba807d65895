/// Primitives of the WAL format written at a raw pointer, into memory the
/// caller has sized: a small stack buffer appended to a ``WALWriter`` in one
/// go (``WALWriter/writeRaw(maxCount:_:)``), or a whole payload whose size
/// was worked out first.
///
/// Appending to the payload array one primitive at a time costs a uniqueness
/// and a capacity check each; the fixed-size fields around a log record's
/// strings take a dozen of those. The encodings are the same as
/// ``WALWriter``'s. Writing past the memory's end traps.
struct WALRawWriter {
    private let base: UnsafeMutableRawPointer?
    private let capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        base = buffer.baseAddress
        capacity = buffer.count
    }

    @inline(__always)
    mutating func writeByte(_ value: UInt8) {
        precondition(count < capacity, "WALRawWriter overflow")
        base!.storeBytes(of: value, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    /// An unsigned LEB128 varint, as `WALWriter.writeVarUInt`.
    @inline(__always)
    mutating func writeVarUInt(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            writeByte(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        writeByte(UInt8(truncatingIfNeeded: v))
    }

    /// A zig-zag varint, as `WALWriter.writeVarInt`.
    @inline(__always)
    mutating func writeVarInt(_ value: Int64) {
        writeVarUInt(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Eight bytes, little-endian, as `WALWriter.writeFixed64`.
    @inline(__always)
    mutating func writeFixed64(_ value: UInt64) {
        precondition(capacity - count >= 8, "WALRawWriter overflow")
        base!.storeBytes(of: value.littleEndian, toByteOffset: count, as: UInt64.self)
        count += 8
    }

    /// Bytes as they are, without a length.
    @inline(__always)
    mutating func writeBytes(_ raw: UnsafeRawBufferPointer) {
        guard let source = raw.baseAddress, !raw.isEmpty else { return }
        precondition(capacity - count >= raw.count, "WALRawWriter overflow")
        (base! + count).copyMemory(from: source, byteCount: raw.count)
        count += raw.count
    }

    /// How many bytes `writeVarUInt` takes for `value`.
    static func varUIntSize(_ value: UInt64) -> Int {
        var size = 1
        var v = value
        while v >= 0x80 {
            size += 1
            v >>= 7
        }
        return size
    }
}

extension WALWriter {
    /// Appends what `write` puts into a scratch buffer of `maxCount` bytes
    /// (a small constant: the buffer is on the stack), with a single append.
    @inline(__always)
    mutating func writeRaw(maxCount: Int, _ write: (inout WALRawWriter) -> Void) {
        withUnsafeTemporaryAllocation(byteCount: maxCount, alignment: 8) { buffer in
            var scratch = WALRawWriter(buffer)
            write(&scratch)
            appendRaw(UnsafeRawBufferPointer(start: buffer.baseAddress, count: scratch.count))
        }
    }
}
