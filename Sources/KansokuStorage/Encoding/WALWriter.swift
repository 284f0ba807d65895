/// Appends the primitives of the WAL format (see `WALFormat`) to one growing
/// byte array. Encoding cannot fail: every model value has a representation.
public struct WALWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Starts an empty payload with room for `capacity` bytes, so that a
    /// well-estimated batch is written without reallocating.
    public init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// One raw byte (tags, small enum raw values, the version).
    public mutating func writeByte(_ value: UInt8) {
        bytes.append(value)
    }

    /// One byte, 0 or 1.
    public mutating func writeBool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// An unsigned LEB128 varint: 7 bits a byte, low bits first.
    public mutating func writeVarUInt(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    /// A `UInt32` as an unsigned varint (flags, dropped counts).
    public mutating func writeVarUInt(_ value: UInt32) {
        writeVarUInt(UInt64(value))
    }

    /// A signed varint, zig-zag encoded so that small negative numbers stay short.
    public mutating func writeVarInt(_ value: Int64) {
        writeVarUInt(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// An `Int32` as a zig-zag varint.
    public mutating func writeVarInt(_ value: Int32) {
        writeVarInt(Int64(value))
    }

    /// An element count or length.
    public mutating func writeCount(_ count: Int) {
        writeVarUInt(UInt64(count))
    }

    /// Eight bytes, little-endian.
    public mutating func writeFixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// The IEEE 754 bit pattern, so NaN payloads and -0.0 survive exactly.
    public mutating func writeDouble(_ value: Double) {
        writeFixed64(value.bitPattern)
    }

    /// Length-prefixed UTF-8.
    public mutating func writeString(_ value: String) {
        writeCount(value.utf8.count)
        // Native strings hand out their storage directly; bridged or foreign
        // ones fall back to iterating code units.
        appendUTF8(value)
    }

    /// Bytes as they are, without a length (for callers that wrote one).
    mutating func appendRaw(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    /// A string's UTF-8 bytes without a length (for callers that wrote one).
    mutating func appendUTF8(_ value: String) {
        if #available(macOS 26, *) {
            // A borrowed span: unlike the closure below, it does not retain the string.
            value.utf8.span.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
            return
        }
        let utf8 = value.utf8
        let copied: Void? = utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil {
            bytes.append(contentsOf: utf8)
        }
    }

    /// Length-prefixed raw bytes.
    public mutating func writeBytes(_ value: [UInt8]) {
        writeCount(value.count)
        bytes.append(contentsOf: value)
    }

    /// A count followed by each element as `encode` writes it.
    mutating func writeArray<Elements: RandomAccessCollection>(_ elements: Elements,
                                                               _ encode: (Elements.Element, inout WALWriter) -> Void) {
        writeCount(elements.count)
        // By index rather than `for in`, which would copy (retain and
        // release) every element on the way.
        for index in elements.indices {
            encode(elements[index], &self)
        }
    }
}
