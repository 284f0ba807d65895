#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors thrown by ``WriteAheadLog``.
public enum WALError: Error, Sendable, CustomStringConvertible {
    /// A system call failed. `operation` names it (`open`, `pwrite`, `fdatasync`, …),
    /// `path` is the file or directory it was applied to, `errno` the error it set.
    case io(operation: String, path: String, errno: Int32)
    /// Another open ``WriteAheadLog`` — in this process or another — holds the
    /// directory's lock file at `path`. Two writers would corrupt each other's segments.
    case locked(path: String)
    /// ``WriteAheadLog/append(_:)`` was given no bytes. Empty records are refused
    /// because an all-zero frame is indistinguishable from a zero-filled file tail.
    case emptyPayload
    /// The payload does not fit the frame's 32-bit length field.
    case payloadTooLarge(bytes: Int)
    /// A record read after opening failed validation: the segment was damaged
    /// after it had been validated (opening repairs what it finds, reading does not).
    case corruptRecord(path: String, offset: UInt64, damage: WALDamage)
    /// An earlier write or sync failed, so what is on disk after the last
    /// acknowledged record is unknown; the log accepts no more appends. Reopen
    /// it to validate and repair the segments.
    indirect case failed(cause: WALError)
    /// The log was closed.
    case closed

    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            return "\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
        case .locked(let path):
            return "write-ahead log is already open elsewhere (lock held on \(path))"
        case .emptyPayload:
            return "write-ahead log records must not be empty"
        case .payloadTooLarge(let bytes):
            return "write-ahead log record of \(bytes) bytes exceeds the 4 GiB frame limit"
        case .corruptRecord(let path, let offset, let damage):
            return "corrupt write-ahead log record in \(path) at offset \(offset): \(damage)"
        case .failed(let cause):
            return "write-ahead log stopped after an I/O failure: \(cause)"
        case .closed:
            return "write-ahead log is closed"
        }
    }
}
