#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KansokuModel

extension LogChunkIDColumn {
    /// Reads a chunk's id column back into the lines that point into it, in order.
    struct Reader {
        private let column: [UInt8]
        /// Whether packed texts may hold time markers (version 4 on).
        private let timeMarkers: Bool
        private var cursor = 0

        init(_ column: [UInt8], timeMarkers: Bool) {
            self.column = column
            self.timeMarkers = timeMarkers
        }

        /// Bytes of the column not given back yet.
        var remaining: Int { column.count - cursor }

        /// The string whose packed text is `packed`, at offset `offset` of
        /// the chunk, for an entry whose timestamp is `time`.
        ///
        /// A first pass finds the markers and checks the text between them;
        /// the second writes the line straight into the string's storage.
        mutating func string(_ packed: UnsafeBufferPointer<UInt8>, at offset: Int,
                             time: UInt64) throws(WALDecodingError) -> String {
            // An empty text has no storage to write into below.
            guard let base = packed.baseAddress, !packed.isEmpty else { return "" }
            var idBytes = 0, length = 0
            var i = 0
            while i < packed.count, let found = memchr(base + i, Int32(marker), packed.count - i) {
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                guard UTF8Validation.isValid(UnsafeBufferPointer(rebasing: packed[i..<at])) else {
                    throw WALDecodingError(.invalidUTF8(length: at - i), at: offset + i)
                }
                guard at + 1 < packed.count else { throw WALDecodingError(.truncated(needed: 1, available: 0), at: offset + at + 1) }
                let n = packed[at + 1]
                if n == 8 || n == 16 {
                    guard Int(n) <= remaining - idBytes else {
                        throw WALDecodingError(.truncated(needed: Int(n), available: remaining - idBytes), at: offset + at)
                    }
                    idBytes += Int(n)
                    length += at - i + 2 * Int(n)
                } else if timeMarkers, let digits = LogEntryTimeToken.digits(ofMarker: n) {
                    guard LogEntryTimeToken.spellable(time) else {
                        throw WALDecodingError(.invalidTag(field: "time marker of an entry at \(time) ns", value: UInt64(n)), at: offset + at + 1)
                    }
                    length += at - i + digits
                } else {
                    throw WALDecodingError(.invalidTag(field: "token marker", value: UInt64(n)), at: offset + at + 1)
                }
                i = at + 2
            }
            guard UTF8Validation.isValid(UnsafeBufferPointer(rebasing: packed[i...])) else {
                throw WALDecodingError(.invalidUTF8(length: packed.count - i), at: offset + i)
            }
            length += packed.count - i
            let string = column.withUnsafeBufferPointer { ids in
                String(unsafeUninitializedCapacity: length) { out in
                    var from = 0, to = 0, id = cursor
                    while from < packed.count {
                        guard let found = memchr(base + from, Int32(marker), packed.count - from) else { break }
                        let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                        (out.baseAddress! + to).update(from: base + from, count: at - from)
                        to += at - from
                        let n = packed[at + 1]
                        if let digits = LogEntryTimeToken.digits(ofMarker: n) {
                            // Written from the last digit back: `spelled` has exactly `digits` of them.
                            var rest = LogEntryTimeToken.spelled(time, digits: digits)
                            for k in stride(from: to + digits - 1, through: to, by: -1) {
                                out[k] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
                                rest /= 10
                            }
                            to += digits
                        } else {
                            for byte in ids[id..<id + Int(n)] {
                                out[to] = Self.hexDigits[Int(byte >> 4)]
                                out[to + 1] = Self.hexDigits[Int(byte & 0xF)]
                                to += 2
                            }
                            id += Int(n)
                        }
                        from = at + 2
                    }
                    (out.baseAddress! + to).update(from: base + from, count: packed.count - from)
                    return to + packed.count - from
                }
            }
            cursor += idBytes
            return string
        }

        private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    }
}
