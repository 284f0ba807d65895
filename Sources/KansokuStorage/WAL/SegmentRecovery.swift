#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// A segment file and how many bytes of it hold valid, durable records.
struct SegmentExtent: Sendable, Hashable {
    let number: UInt64
    var size: UInt64
}

/// Validates every segment when the log opens and cuts off damage.
///
/// The first frame that fails validation ends a segment's valid data: after a
/// crash the tail of the newest segment may hold a half-written record, and
/// nothing after a bad frame can be located reliably (its length field is
/// suspect). The file is truncated at the start of that frame so that new
/// appends never follow garbage. Later segments are kept even when an earlier
/// one was damaged, because every segment starts a fresh frame sequence.
enum SegmentRecovery {
    struct Result {
        var segments: [SegmentExtent]
        var report: WALRepairReport
        var recordCount: Int
    }

    static func recover(directory: String, segments numbers: [UInt64], sync: Bool, logger: Logger) throws -> Result {
        var result = Result(segments: [], report: WALRepairReport(), recordCount: 0)
        for (index, number) in numbers.enumerated() {
            let isLast = index == numbers.count - 1
            let path = SegmentFiles.path(directory, number)
            let fd = try POSIXFile.open(path, flags: O_RDWR)
            defer { POSIXFile.close(fd) }
            let fileSize = try POSIXFile.size(fd, path: path)
            let reader = SegmentReader(path: path, fd: fd, limit: fileSize, closesDescriptor: false)
            var validSize = fileSize
            scan: while true {
                switch try reader.next() {
                case .record:
                    result.recordCount += 1
                case .end:
                    break scan
                case .damaged(let offset, let damage):
                    let recordsDropped = countDropped(reader: reader, fd: fd, path: path, at: offset, damage: damage)
                    try POSIXFile.truncate(fd, to: offset, path: path)
                    if sync { try POSIXFile.sync(fd, path: path) }
                    validSize = offset
                    let truncation = WALRepairReport.Truncation(
                        segment: number, path: path, offset: offset, bytesDropped: fileSize - offset,
                        recordsDropped: recordsDropped, damage: damage, wasLastSegment: isLast)
                    result.report.truncations.append(truncation)
                    log(truncation, logger: logger)
                    break scan
                }
            }
            result.segments.append(SegmentExtent(number: number, size: validSize))
        }
        return result
    }

    /// How many records the cut removes, when that can be known. Only a
    /// checksum failure leaves a trustworthy length to step over; if every
    /// frame after it is intact up to the end of the file, the count is exact.
    private static func countDropped(reader: SegmentReader, fd: Int32, path: String,
                                     at offset: UInt64, damage: WALDamage) -> Int? {
        switch damage {
        case .truncatedHeader:
            return 1
        case .lengthPastEnd, .zeroLength:
            return nil
        case .checksumMismatch:
            var lengthField: UInt32 = 0
            let got = try? withUnsafeMutableBytes(of: &lengthField) {
                try POSIXFile.pread(fd, into: $0, at: offset, path: path)
            }
            guard got == 4 else { return nil }
            reader.reposition(to: offset + UInt64(WALFrame.headerSize) + UInt64(UInt32(littleEndian: lengthField)))
            var dropped = 1
            while true {
                switch try? reader.next() {
                case .record: dropped += 1
                case .end: return dropped
                case .damaged, nil: return nil
                }
            }
        }
    }

    private static func log(_ truncation: WALRepairReport.Truncation, logger: Logger) {
        let metadata: Logger.Metadata = [
            "file": "\(truncation.path)",
            "offset": "\(truncation.offset)",
            "bytes_dropped": "\(truncation.bytesDropped)",
            "records_dropped": "\(truncation.recordsDropped.map(String.init) ?? "unknown")",
            "damage": "\(truncation.damage)",
        ]
        if truncation.wasLastSegment {
            // Expected after a crash mid-append: those records were never acknowledged.
            logger.warning("truncated torn or corrupt tail of write-ahead log segment", metadata: metadata)
        } else {
            // A sealed segment was fsync'd whole before the next one began, so
            // damage here hit acknowledged data: disk or tampering, not a crash.
            logger.error("truncated corrupt data in sealed write-ahead log segment; acknowledged records were lost",
                         metadata: metadata)
        }
    }
}
