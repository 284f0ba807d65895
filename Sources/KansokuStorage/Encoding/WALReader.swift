/// Reads the primitives of the WAL format (see `WALFormat`) from a payload,
/// front to back, checking every length against the bytes that remain.
public struct WALReader: Sendable {
    private let bytes: [UInt8]
    /// Index of the next byte to read.
    public private(set) var offset: Int

    /// Starts reading at the first byte of `bytes` (shared, not copied).
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    /// Starts reading `bytes` at `offset`, an offset read from them before.
    init(_ bytes: [UInt8], at offset: Int) {
        precondition(offset >= 0 && offset <= bytes.count, "offset \(offset) outside 0...\(bytes.count)")
        self.bytes = bytes
        self.offset = offset
    }

    /// Bytes not yet read.
    public var remaining: Int { bytes.count - offset }

    /// Steps over `count` bytes, at most `remaining` (as `readCount` guarantees for a length it read).
    mutating func skip(_ count: Int) throws(WALDecodingError) {
        guard count <= remaining else { throw failure(.countExceedsPayload(count: UInt64(count), remaining: remaining)) }
        offset += count
    }

    /// Goes back to an offset read before, to read a field again.
    mutating func rewind(to earlier: Int) {
        precondition(earlier <= offset, "rewind moves backwards only")
        offset = earlier
    }

    /// Whether the next `count` bytes (at most `remaining`) are `other`.
    func nextBytes(_ count: Int, equal other: [UInt8]) -> Bool {
        count == other.count && count <= remaining && bytes[offset..<offset + count].elementsEqual(other)
    }
    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset >= bytes.count }

    /// An error about the field starting at `offset` (by default the next byte).
    public func failure(_ reason: WALDecodingError.Reason, at offset: Int? = nil) -> WALDecodingError {
        WALDecodingError(reason, at: offset ?? self.offset)
    }

    private func require(_ count: Int) throws(WALDecodingError) {
        guard count <= remaining else { throw failure(.truncated(needed: count, available: remaining)) }
    }

    /// One raw byte.
    public mutating func readByte() throws(WALDecodingError) -> UInt8 {
        try require(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    /// One byte that must be 0 or 1.
    public mutating func readBool() throws(WALDecodingError) -> Bool {
        let start = offset
        switch try readByte() {
        case 0: return false
        case 1: return true
        case let other: throw failure(.invalidTag(field: "bool", value: UInt64(other)), at: start)
        }
    }

    /// An unsigned LEB128 varint of at most 10 bytes.
    public mutating func readVarUInt() throws(WALDecodingError) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw failure(.truncated(needed: 1, available: 0)) }
            let byte = bytes[offset]
            offset += 1
            // The tenth byte holds only bit 63; anything more would overflow.
            if shift == 63 && byte > 1 { throw failure(.malformedVarint, at: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    /// An unsigned varint that must fit a `UInt32`.
    public mutating func readVarUInt32() throws(WALDecodingError) -> UInt32 {
        let start = offset
        let value = try readVarUInt()
        guard let narrowed = UInt32(exactly: value) else {
            throw failure(.valueOutOfRange(value: value, maximum: UInt64(UInt32.max)), at: start)
        }
        return narrowed
    }

    /// A zig-zag encoded signed varint.
    public mutating func readVarInt() throws(WALDecodingError) -> Int64 {
        let raw = try readVarUInt()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A zig-zag varint that must fit an `Int32`.
    public mutating func readVarInt32() throws(WALDecodingError) -> Int32 {
        let start = offset
        let value = try readVarInt()
        guard let narrowed = Int32(exactly: value) else {
            throw failure(.valueOutOfRange(value: UInt64(bitPattern: value), maximum: UInt64(Int32.max)), at: start)
        }
        return narrowed
    }

    /// A count of elements that each take at least `minimumElementSize` bytes.
    /// Checking it against the remaining bytes keeps garbage from reserving
    /// absurd amounts of memory.
    public mutating func readCount(minimumElementSize: Int = 1) throws(WALDecodingError) -> Int {
        let start = offset
        let count = try readVarUInt()
        let fits = remaining / Swift.max(1, minimumElementSize)
        guard count <= UInt64(fits) else {
            throw failure(.countExceedsPayload(count: count, remaining: remaining), at: start)
        }
        return Int(count)
    }

    /// Eight bytes, little-endian.
    public mutating func readFixed64() throws(WALDecodingError) -> UInt64 {
        try require(8)
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
        offset += 8
        return UInt64(littleEndian: value)
    }

    /// A double from its little-endian IEEE 754 bit pattern.
    public mutating func readDouble() throws(WALDecodingError) -> Double {
        Double(bitPattern: try readFixed64())
    }

    /// Length-prefixed UTF-8, validated.
    public mutating func readString() throws(WALDecodingError) -> String {
        let length = try readCount()
        let start = offset
        let string: String? = bytes.withUnsafeBufferPointer { buffer in
            let utf8 = UnsafeBufferPointer(rebasing: buffer[start..<start + length])
            return UTF8Validation.isValid(utf8) ? String(decoding: utf8, as: UTF8.self) : nil
        }
        guard let string else { throw failure(.invalidUTF8(length: length), at: start) }
        offset += length
        return string
    }

    /// Length-prefixed UTF-8, validated, as where its bytes lie in the
    /// payload (``withUnsafePayload(_:)``): no string is made.
    mutating func readStringRange() throws(WALDecodingError) -> Range<Int> {
        let length = try readCount()
        let start = offset
        let valid = bytes.withUnsafeBufferPointer { UTF8Validation.isValid(UnsafeBufferPointer(rebasing: $0[start..<start + length])) }
        guard valid else { throw failure(.invalidUTF8(length: length), at: start) }
        offset += length
        return start..<offset
    }

    /// The next byte, left unread.
    func peekByte() throws(WALDecodingError) -> UInt8 {
        try require(1)
        return bytes[offset]
    }

    /// Calls `body` with the whole payload, for offsets and ranges read from it.
    func withUnsafePayload<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in try body(buffer) }
    }

    /// Length-prefixed raw bytes.
    public mutating func readBytes() throws(WALDecodingError) -> [UInt8] {
        let length = try readCount()
        defer { offset += length }
        return Array(bytes[offset..<offset + length])
    }

    /// A count followed by that many elements read by `decode`, each taking
    /// at least `minimumElementSize` bytes.
    mutating func readArray<Element>(
        minimumElementSize: Int,
        _ decode: (inout WALReader) throws(WALDecodingError) -> Element
    ) throws(WALDecodingError) -> [Element] {
        let count = try readCount(minimumElementSize: minimumElementSize)
        var elements = [Element]()
        elements.reserveCapacity(count)
        for _ in 0..<count {
            elements.append(try decode(&self))
        }
        return elements
    }

    /// A one-byte enum raw value (the model's `Int32`-backed enums are all small).
    mutating func readEnum<E: RawRepresentable>(_ type: E.Type, field: String) throws(WALDecodingError) -> E
    where E.RawValue == Int32 {
        let start = offset
        let byte = try readByte()
        guard let value = E(rawValue: Int32(byte)) else {
            throw failure(.invalidTag(field: field, value: UInt64(byte)), at: start)
        }
        return value
    }
}
