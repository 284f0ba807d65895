#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the frames of one segment file front to back, validating each one.
///
/// Reads go through a buffer (1 MiB, grown only for a larger record) so that a
/// segment of small records costs a handful of `pread` calls, and nothing is
/// ever allocated from an untrusted length field: a length is checked against
/// the bytes left in the file before the record is buffered.
///
/// Used both to validate segments when the log opens and to serve
/// ``WriteAheadLog/records()``. Confined to one thread at a time.
final class SegmentReader {
    enum Frame {
        /// A valid record whose frame starts at `offset`.
        case record(offset: UInt64, payload: [UInt8])
        /// The frame at `offset` is not valid; nothing from there on can be trusted.
        case damaged(offset: UInt64, damage: WALDamage)
        /// Clean end of the readable range.
        case end
    }

    static let chunkSize = 1 << 20

    let path: String
    private let fd: Int32
    private let closesDescriptor: Bool
    /// Bytes past this offset are not read, even if the file is longer: for the
    /// active segment it is the durable end, beyond which a commit may be in flight.
    private let limit: UInt64
    private var storage: [UInt8]
    /// File offset of `storage[0]`.
    private var start: UInt64 = 0
    /// Index in `storage` of the next unread byte.
    private var cursor = 0
    /// Number of valid bytes in `storage`.
    private var filled = 0

    /// - Parameters:
    ///   - fd: An open descriptor of the segment at `path`.
    ///   - limit: Read no further than this file offset.
    ///   - closesDescriptor: Whether the reader closes `fd` when it is released.
    init(path: String, fd: Int32, limit: UInt64, closesDescriptor: Bool) {
        self.path = path
        self.fd = fd
        self.limit = limit
        self.closesDescriptor = closesDescriptor
        self.storage = [UInt8](repeating: 0, count: Int(min(UInt64(Self.chunkSize), max(limit, 1))))
    }

    deinit {
        if closesDescriptor { POSIXFile.close(fd) }
    }

    /// File offset of the next frame `next()` will read.
    var offset: UInt64 { start + UInt64(cursor) }

    /// Continues reading at `offset`, discarding the buffer (used to look past a damaged frame).
    func reposition(to offset: UInt64) {
        start = offset
        cursor = 0
        filled = 0
    }

    /// Reads and validates the next frame.
    func next() throws -> Frame {
        let offset = self.offset
        guard offset < limit else { return .end }
        let available = limit - offset
        let header = WALFrame.headerSize
        guard available >= UInt64(header), try ensure(header) else {
            return .damaged(offset: offset, damage: .truncatedHeader(availableBytes: Int(min(available, UInt64(filled - cursor)))))
        }
        let headerStart = self.cursor
        let (length, storedCRC) = storage.withUnsafeBytes { WALFrame.header(in: $0, at: headerStart) }
        if length == 0 {
            return .damaged(offset: offset, damage: .zeroLength)
        }
        let frameSize = UInt64(header) + UInt64(length)
        guard frameSize <= available else {
            return .damaged(offset: offset, damage: .lengthPastEnd(length: length, availableBytes: available - UInt64(header)))
        }
        if Int(frameSize) > filled - cursor && Int(frameSize) > Self.chunkSize / 2 {
            return try readLargeFrame(at: offset, length: Int(length), storedCRC: storedCRC)
        }
        guard try ensure(Int(frameSize)) else {
            // The file is shorter than `limit` said: it was cut while we read it.
            return .damaged(offset: offset, damage: .lengthPastEnd(length: length, availableBytes: UInt64(filled - cursor - header)))
        }
        // `ensure` may have slid the buffer, so the frame now starts at the current cursor.
        let frameStart = self.cursor
        let payloadRange = (frameStart + header)..<(frameStart + Int(frameSize))
        let computedCRC = storage.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[payloadRange])) }
        guard computedCRC == storedCRC else {
            return .damaged(offset: offset, damage: .checksumMismatch(stored: storedCRC, computed: computedCRC))
        }
        self.cursor += Int(frameSize)
        return .record(offset: offset, payload: Array(storage[payloadRange]))
    }

    /// Reads a frame that is not buffered yet and would fill much of the
    /// buffer straight into its payload array: the bytes already buffered are
    /// copied once and the rest `pread` in place, instead of being slid to
    /// the buffer's front, read into it and copied out. The buffer is left
    /// empty, positioned after a valid frame or, like the buffered path, at a
    /// damaged one.
    private func readLargeFrame(at offset: UInt64, length: Int, storedCRC: UInt32) throws -> Frame {
        let buffered = filled - cursor - WALFrame.headerSize
        let payloadStart = offset + UInt64(WALFrame.headerSize)
        let (fd, path, cursor) = (self.fd, self.path, self.cursor)
        var readTo = buffered
        let payload = try [UInt8](unsafeUninitializedCapacity: length) { payload, initialized in
            storage.withUnsafeBytes { bytes in
                let from = cursor + WALFrame.headerSize
                UnsafeMutableRawBufferPointer(payload).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[from..<(from + buffered)]))
            }
            while readTo < length {
                let got = try POSIXFile.pread(fd, into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(payload)[readTo...]),
                                              at: payloadStart + UInt64(readTo), path: path)
                if got == 0 { break }
                readTo += got
            }
            initialized = readTo
        }
        reposition(to: offset)
        guard readTo == length else {
            // The file is shorter than `limit` said: it was cut while we read it.
            return .damaged(offset: offset, damage: .lengthPastEnd(length: UInt32(length), availableBytes: UInt64(readTo)))
        }
        let computedCRC = payload.withUnsafeBytes { CRC32C.checksum($0) }
        guard computedCRC == storedCRC else {
            return .damaged(offset: offset, damage: .checksumMismatch(stored: storedCRC, computed: computedCRC))
        }
        reposition(to: offset + UInt64(WALFrame.headerSize + length))
        return .record(offset: offset, payload: payload)
    }

    /// Makes at least `count` bytes available from `cursor`; `false` if the
    /// file (or `limit`) ends first.
    private func ensure(_ count: Int) throws -> Bool {
        if filled - cursor >= count { return true }
        if cursor > 0 {
            // Slide the unread tail to the front so the buffer can be refilled behind it.
            let (from, length) = (cursor, filled - cursor)
            storage.withUnsafeMutableBytes { bytes in
                if length > 0 { memmove(bytes.baseAddress!, bytes.baseAddress! + from, length) }
            }
            start += UInt64(cursor)
            filled = length
            cursor = 0
        }
        if storage.count < count {
            storage.append(contentsOf: repeatElement(0, count: count - storage.count))
        }
        while filled < count {
            let fileOffset = start + UInt64(filled)
            guard fileOffset < limit else { return false }
            let want = Int(min(UInt64(storage.count - filled), limit - fileOffset))
            let (fd, path, filled) = (self.fd, self.path, self.filled)
            let got = try storage.withUnsafeMutableBytes { bytes in
                try POSIXFile.pread(fd, into: UnsafeMutableRawBufferPointer(rebasing: bytes[filled..<(filled + want)]),
                                    at: fileOffset, path: path)
            }
            if got == 0 { return false }
            self.filled += got
        }
        return true
    }
}
