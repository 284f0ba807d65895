#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Synchronization

/// The records of a ``WriteAheadLog`` that were durable when
/// ``WriteAheadLog/records()`` was called, oldest first.
///
/// Iterating reads the segments lazily, one open file and a bounded buffer at
/// a time, so a large log does not have to fit in memory. Appends made after
/// the call are not included. It does blocking file I/O: iterate off event
/// loops and the cooperative pool's hot paths.
///
/// **Errors.** `Sequence` iteration cannot throw, so a plain `for … in` loop
/// ends early when reading fails (an I/O error, or a record whose checksum no
/// longer matches because the file was damaged after the log opened). The
/// failure is logged and kept in ``error``: check it after the loop when a
/// silent short read matters. To get the error thrown instead, drive the
/// iterator with ``Iterator/nextRecord()``.
///
/// Segments deleted by ``WriteAheadLog/removeSegments(before:)`` while the
/// sequence was pending are skipped without error: their data was released
/// on purpose.
public struct WALRecordSequence: Sequence, Sendable {
    let directory: String
    let segments: [SegmentExtent]
    let shared: WALShared
    let logger: Logger
    private let failure = FailureBox()

    /// Holds the error that ended the most recent iteration early.
    private final class FailureBox: Sendable {
        let error = Mutex<WALError?>(nil)
    }

    init(directory: String, segments: [SegmentExtent], shared: WALShared, logger: Logger) {
        self.directory = directory
        self.segments = segments
        self.shared = shared
        self.logger = logger
    }

    /// The error that ended the latest iteration early, or `nil` if it read everything.
    public var error: WALError? { failure.error.withLock { $0 } }

    public func makeIterator() -> Iterator {
        failure.error.withLock { $0 = nil }
        return Iterator(sequence: self)
    }

    /// Reads records one at a time; see ``WALRecordSequence`` for error handling.
    public struct Iterator: IteratorProtocol {
        private let sequence: WALRecordSequence
        private var index = 0
        private var reader: SegmentReader?
        private var finished = false

        init(sequence: WALRecordSequence) {
            self.sequence = sequence
        }

        /// The next record, or `nil` at the end or after a read error (kept in ``WALRecordSequence/error``).
        public mutating func next() -> WALRecord? {
            do {
                return try nextRecord()
            } catch {
                let walError = error as? WALError ?? .io(operation: "read", path: sequence.directory, errno: EIO)
                sequence.failure.error.withLock { $0 = walError }
                sequence.logger.error("reading write-ahead log stopped early", metadata: ["error": "\(walError)"])
                return nil
            }
        }

        /// The next record, or `nil` at the end; throws ``WALError`` when a
        /// segment cannot be read or holds a record that fails validation.
        /// After a throw, iteration is over.
        public mutating func nextRecord() throws -> WALRecord? {
            while !finished {
                if reader == nil {
                    guard index < sequence.segments.count else {
                        finished = true
                        return nil
                    }
                    let extent = sequence.segments[index]
                    if extent.size == 0 {
                        index += 1
                        continue
                    }
                    let path = SegmentFiles.path(sequence.directory, extent.number)
                    let fd: Int32
                    do {
                        fd = try POSIXFile.open(path, flags: O_RDONLY)
                    } catch WALError.io(_, _, ENOENT) where wasRemoved(extent.number) {
                        index += 1
                        continue
                    } catch {
                        finished = true
                        throw error
                    }
                    reader = SegmentReader(path: path, fd: fd, limit: extent.size, closesDescriptor: true)
                }
                let frame: SegmentReader.Frame
                do {
                    frame = try reader!.next()
                } catch {
                    finished = true
                    reader = nil
                    throw error
                }
                switch frame {
                case .record(let offset, let payload):
                    let segment = sequence.segments[index].number
                    return WALRecord(position: WALPosition(segment: segment, offset: offset), payload: payload)
                case .end:
                    reader = nil
                    index += 1
                case .damaged(let offset, let damage):
                    let path = reader!.path
                    finished = true
                    reader = nil
                    throw WALError.corruptRecord(path: path, offset: offset, damage: damage)
                }
            }
            return nil
        }

        private func wasRemoved(_ segment: UInt64) -> Bool {
            sequence.shared.state.withLock { state in !state.segments.contains { $0.number == segment } }
        }
    }
}
