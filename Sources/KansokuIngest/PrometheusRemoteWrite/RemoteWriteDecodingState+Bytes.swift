import KansokuModel

/// String reuse, byte comparisons and unknown-field skipping for the decoder.
extension RemoteWriteDecodingState {
    // MARK: Strings

    /// The name of the label at `index`: the previous series' name in that
    /// place, the name table, or a new string.
    @inline(__always)
    mutating func positionalName(_ bytes: UnsafeRawBufferPointer, index: Int) throws(ProtobufWireError) -> String {
        if index < previousNames.count, Self.equal(previousNames[index].bytes, bytes) {
            return previousNames[index].string
        }
        let name = try hashedName(bytes)
        let entry = CachedString(bytes: bytes, string: name)
        if index < previousNames.count { previousNames[index] = entry } else { previousNames.append(entry) }
        return name
    }

    /// The value of the label at `index`: the previous series' value in that place, or a new string.
    @inline(__always)
    mutating func positionalValue(_ bytes: UnsafeRawBufferPointer, index: Int) throws(ProtobufWireError) -> String {
        if index < previousValues.count, Self.equal(previousValues[index].bytes, bytes) {
            return previousValues[index].string
        }
        let value = try string(bytes, field: "Label.value")
        let entry = CachedString(bytes: bytes, string: value)
        if index < previousValues.count { previousValues[index] = entry } else { previousValues.append(entry) }
        return value
    }

    /// A label name from the per-request name table, added on a miss.
    mutating func hashedName(_ bytes: UnsafeRawBufferPointer) throws(ProtobufWireError) -> String {
        let slot = Self.hash(bytes) & (Self.nameTableSize - 1)
        if let cached = nameTable[slot], Self.equal(cached.bytes, bytes) { return cached.string }
        let name = try string(bytes, field: "Label.name")
        nameTable[slot] = CachedString(bytes: bytes, string: name)
        return name
    }

    /// A string field that must be UTF-8, as Prometheus's protobuf decoding requires.
    @inline(__always)
    func string(_ bytes: UnsafeRawBufferPointer, field: StaticString) throws(ProtobufWireError) -> String {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return "" }
        // `String(validating:as:)` goes through unspecialised generic code; decoding
        // with repair is specialised for contiguous bytes, and a repair shows as a
        // difference from the input (valid input comes back byte for byte).
        let string = String(decoding: bytes, as: UTF8.self)
        guard Self.isASCII(bytes) || Self.sameBytes(string, bytes) else {
            let offset = requestStart.map { start - $0 } ?? 0
            throw ProtobufWireError(offset: offset, reason: "\(field) is not valid UTF-8")
        }
        return string
    }

    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var bits: UInt64 = 0
        while index + 8 <= bytes.count {
            bits |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            bits |= UInt64(bytes[index])
            index += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    static func sameBytes(_ string: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var string = string
        return string.withUTF8 { equal(UnsafeRawBufferPointer($0), bytes) }
    }

    // MARK: Bytes

    /// Where `bytes` (a part of the request) start within the request.
    @inline(__always)
    func offset(of bytes: UnsafeRawBufferPointer) -> Int {
        guard let start = bytes.baseAddress, let requestStart else { return 0 }
        return start - requestStart
    }

    /// A reader over `bytes` (a part of the request) from `position` on, reporting request offsets.
    func reader(_ bytes: UnsafeRawBufferPointer, from position: Int = 0) -> ProtobufReader {
        ProtobufReader(UnsafeRawBufferPointer(rebasing: bytes[position...]), base: offset(of: bytes) + position)
    }

    /// The length-delimited field at `position` when it is framed the plain way:
    /// a one-byte tag (field 1–15) and a length of at most two bytes that fits.
    /// Anything else (including every malformed case) is nil, for `ProtobufReader`.
    @inline(__always)
    static func plainLengthDelimited(_ bytes: UnsafeRawBufferPointer, at position: Int)
        -> (field: UInt64, payload: UnsafeRawBufferPointer, next: Int)? {
        let count = bytes.count
        guard position &+ 2 <= count else { return nil }
        let tag = bytes[position]
        guard tag & 0x87 == 0x02, tag >= 0x08 else { return nil }
        var length = Int(bytes[position &+ 1])
        var start = position &+ 2
        if length >= 0x80 {
            guard start < count else { return nil }
            let high = bytes[start]
            guard high < 0x80 else { return nil }
            length = (length & 0x7f) | Int(high) << 7
            start &+= 1
        }
        guard length <= count &- start else { return nil }
        let end = start &+ length
        return (UInt64(tag >> 3), UnsafeRawBufferPointer(rebasing: bytes[start..<end]), end)
    }

    @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let count = a.count
        guard count == b.count else { return false }
        // Label names and values are short: compare eight bytes at a time inline,
        // the tail as an overlapping last word.
        if count >= 8 {
            var index = 0
            while index &+ 8 <= count {
                guard a.loadUnaligned(fromByteOffset: index, as: UInt64.self) == b.loadUnaligned(fromByteOffset: index, as: UInt64.self) else {
                    return false
                }
                index &+= 8
            }
            return a.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        if count >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        }
        var index = 0
        while index < count {
            guard a[index] == b[index] else { return false }
            index &+= 1
        }
        return true
    }

    /// Byte-wise order, as Prometheus orders label names (which for UTF-8 is code point order).
    @inline(__always)
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        var index = 0
        while index + 8 <= common {
            let x = UInt64(bigEndian: a.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            index += 8
        }
        while index < common {
            let x = a[index], y = b[index]
            if x != y { return x < y ? -1 : 1 }
            index += 1
        }
        return a.count - b.count
    }

    @inline(__always)
    static func isMetricNameLabel(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // "__name__", little-endian.
        bytes.count == 8 && bytes.loadUnaligned(as: UInt64.self) == UInt64(littleEndian: 0x5F5F_656D_616E_5F5F)
    }

    /// FNV-1a, for the name table.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }

    /// Sorts by name bytes, keeping arrival order among equal names.
    static func sortByName(_ labels: inout [SeriesLabel]) {
        let order = labels.indices.sorted { a, b in
            let x = labels[a].name.utf8, y = labels[b].name.utf8
            if x.elementsEqual(y) { return a < b }
            return x.lexicographicallyPrecedes(y)
        }
        labels = order.map { labels[$0] }
    }

    /// The first name that appears twice in name-sorted labels.
    static func duplicateName(_ labels: [SeriesLabel]) -> String? {
        for index in labels.indices.dropFirst() where labels[index - 1].name.utf8.elementsEqual(labels[index].name.utf8) {
            return labels[index].name
        }
        return nil
    }

    // MARK: Unknown fields

    /// Skips a field this decoder does not use, groups included (protobuf requires unknown fields be skipped).
    static func skip(_ reader: inout ProtobufReader, field: UInt64, type: ProtobufReader.WireType) throws(ProtobufWireError) {
        switch type {
        case .startGroup: try skipGroup(&reader, field: field, depth: 1)
        case .endGroup: throw reader.error("end-group tag for field \(field) without a matching start")
        default: try reader.skip(type)
        }
    }

    static func skipGroup(_ reader: inout ProtobufReader, field: UInt64, depth: Int) throws(ProtobufWireError) {
        guard depth <= maxGroupDepth else { throw reader.error("groups nested deeper than \(maxGroupDepth)") }
        while let (inner, type) = try reader.nextField() {
            switch type {
            case .endGroup:
                guard inner == field else { throw reader.error("end-group tag for field \(inner) inside group \(field)") }
                return
            case .startGroup: try skipGroup(&reader, field: inner, depth: depth + 1)
            default: try reader.skip(type)
            }
        }
        throw reader.error("group \(field) is not closed")
    }
}
