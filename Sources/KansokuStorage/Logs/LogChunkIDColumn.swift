#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KansokuModel

/// Hex ids kept apart from a version-3 chunk's compressed text.
///
/// Trace, span and request ids spelled in lines as 32 or 16 lowercase hex
/// digits are random: zstd keeps them as literals at over 4 bits a digit,
/// and they make up a large share of the literals it has to encode. A
/// version-3 chunk moves each such token of a string body, as its 16 or 8
/// bytes, to the chunk's id column, stored uncompressed after the zstd frame,
/// and leaves a two-byte marker in the line. On the logs benchmark blocks are
/// 7% smaller and compaction costs 5–10% less. 0xFE never occurs in UTF-8, so
/// a marker cannot be mistaken for text.
///
/// ```text
/// body       := value                                   any body, as in version 2
///             | 0x10 length:uvar packedText             a string body with ids moved out
/// packedText := (utf8 byte | 0xFE n:u8)*                n = 8 or 16: the next n bytes of the id column,
///                                                       spelled as 2n lowercase hex digits
/// ```
enum LogChunkIDColumn {
    /// The body tag of a string whose ids are in the id column.
    static let packedStringTag: UInt8 = 0x10
    static let marker: UInt8 = 0xFE

    /// Whether a token of `length` bytes, all lowercase hex digits, moves to the id column.
    @inline(__always)
    static func movesToken(length: Int) -> Bool { length == 32 || length == 16 }

    /// Appends a string body whose line is `bytes[line]`, with the tokens at
    /// `ids` (ascending ranges inside `line`, each of 16 or 32 lowercase hex
    /// digits) moved to `column`.
    static func appendPackedBody(_ bytes: UnsafeBufferPointer<UInt8>, line: Range<Int>, ids: ArraySlice<Range<Int>>,
                                 to text: inout WALWriter, column: inout [UInt8]) {
        let moved = ids.reduce(0) { $0 + $1.count }
        text.writeByte(packedStringTag)
        text.writeCount(line.count - moved + 2 * ids.count)
        var start = line.lowerBound
        for id in ids {
            text.appendRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<id.lowerBound])))
            text.writeByte(marker)
            text.writeByte(UInt8(id.count / 2))
            var i = id.lowerBound
            while i < id.upperBound {
                column.append(hexValue(bytes[i]) << 4 | hexValue(bytes[i + 1]))
                i += 2
            }
            start = id.upperBound
        }
        text.appendRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<line.upperBound])))
    }

    @inline(__always)
    private static func hexValue(_ c: UInt8) -> UInt8 { c <= 0x39 ? c &- 0x30 : c &- 0x57 }

    /// Reads a chunk's id column back into the lines that point into it, in order.
    struct Reader {
        private let column: [UInt8]
        private var cursor = 0

        init(_ column: [UInt8]) { self.column = column }

        /// Bytes of the column not given back yet.
        var remaining: Int { column.count - cursor }

        /// The string whose packed text is `packed`, at offset `offset` of the chunk.
        ///
        /// A first pass finds the markers and checks the text between them;
        /// the second writes the line straight into the string's storage.
        mutating func string(_ packed: UnsafeBufferPointer<UInt8>, at offset: Int) throws(WALDecodingError) -> String {
            // An empty text has no storage to write into below.
            guard let base = packed.baseAddress, !packed.isEmpty else { return "" }
            var idBytes = 0, markers = 0
            var i = 0
            while i < packed.count, let found = memchr(base + i, Int32(marker), packed.count - i) {
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                guard UTF8Validation.isValid(UnsafeBufferPointer(rebasing: packed[i..<at])) else {
                    throw WALDecodingError(.invalidUTF8(length: at - i), at: offset + i)
                }
                guard at + 1 < packed.count else { throw WALDecodingError(.truncated(needed: 1, available: 0), at: offset + at + 1) }
                let n = Int(packed[at + 1])
                guard n == 8 || n == 16 else {
                    throw WALDecodingError(.invalidTag(field: "id marker length", value: UInt64(n)), at: offset + at + 1)
                }
                guard n <= remaining - idBytes else {
                    throw WALDecodingError(.truncated(needed: n, available: remaining - idBytes), at: offset + at)
                }
                idBytes += n
                markers += 1
                i = at + 2
            }
            guard UTF8Validation.isValid(UnsafeBufferPointer(rebasing: packed[i...])) else {
                throw WALDecodingError(.invalidUTF8(length: packed.count - i), at: offset + i)
            }
            let length = packed.count - 2 * markers + 2 * idBytes
            let string = column.withUnsafeBufferPointer { ids in
                String(unsafeUninitializedCapacity: length) { out in
                    var from = 0, to = 0, id = cursor
                    while from < packed.count {
                        guard let found = memchr(base + from, Int32(marker), packed.count - from) else { break }
                        let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                        (out.baseAddress! + to).update(from: base + from, count: at - from)
                        to += at - from
                        for byte in ids[id..<id + Int(packed[at + 1])] {
                            out[to] = Self.digits[Int(byte >> 4)]
                            out[to + 1] = Self.digits[Int(byte & 0xF)]
                            to += 2
                        }
                        id += Int(packed[at + 1])
                        from = at + 2
                    }
                    (out.baseAddress! + to).update(from: base + from, count: packed.count - from)
                    return to + packed.count - from
                }
            }
            cursor += idBytes
            return string
        }

        private static let digits: [UInt8] = Array("0123456789abcdef".utf8)
    }
}
