#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a metric block could not be written, read or merged.
///
/// Read-side cases name the file and the section (`"footer"`, `"symbols"`,
/// `"series"`, `"postings"`, `"frames"`, `"chunk frame 3"`…) and, where one
/// is involved, the byte offset in the file, so a damaged block can be
/// reported and quarantined. Damaged input always ends here, never in a crash.
public enum MetricBlockError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A system call failed; `operation` names it, `errno` is what it set.
    case io(operation: String, path: String, errno: Int32)
    /// The file does not start with the block magic number.
    case badMagic(path: String)
    /// The block was written in a format version this build cannot read.
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    /// The file ends before the section that starts at `offset` does.
    case truncated(path: String, section: String, offset: UInt64)
    /// The bytes at `offset` do not match the CRC-32C recorded for them.
    case checksumMismatch(path: String, section: String, offset: UInt64, expected: UInt32, actual: UInt32)
    /// zstd rejected the bytes at `offset`, or they expanded to the wrong size.
    case decompressionFailed(path: String, section: String, offset: UInt64, detail: String)
    /// The section's checksum matched but its contents make no sense (a
    /// reference out of range, unsorted entries…): a writer bug or a forged file.
    case malformed(path: String, section: String, detail: String)
    /// Chunk `chunkIndex` of `series` does not decode, or disagrees with
    /// the time range the series table records for it.
    case corruptChunk(path: String, series: String, chunkIndex: Int, detail: String)
    /// zstd could not compress a frame while writing.
    case compressionFailed(detail: String)
    /// What was handed to the writer or compactor cannot form a block
    /// (duplicate series, overlapping chunks, a chunk outside the block's range…).
    case invalidInput(detail: String)

    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            "\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
        case .badMagic(let path):
            "\(path): not a Kansoku metric block (bad magic number)"
        case .unsupportedVersion(let path, let found, let supported):
            "\(path): metric block format version \(found) is not supported (this build reads \(supported))"
        case .truncated(let path, let section, let offset):
            "\(path): truncated in \(section) (at byte \(offset))"
        case .checksumMismatch(let path, let section, let offset, let expected, let actual):
            "\(path): checksum mismatch in \(section) at byte \(offset) (expected \(expected), found \(actual))"
        case .decompressionFailed(let path, let section, let offset, let detail):
            "\(path): cannot decompress \(section) at byte \(offset): \(detail)"
        case .malformed(let path, let section, let detail):
            "\(path): malformed \(section): \(detail)"
        case .corruptChunk(let path, let series, let chunkIndex, let detail):
            "\(path): chunk \(chunkIndex) of \(series) is corrupt: \(detail)"
        case .compressionFailed(let detail):
            "cannot compress metric block frame: \(detail)"
        case .invalidInput(let detail):
            "cannot write metric block: \(detail)"
        }
    }

    /// The section an error is about, if it names one (for tests and logs).
    public var section: String? {
        switch self {
        case .truncated(_, let s, _), .checksumMismatch(_, let s, _, _, _),
             .decompressionFailed(_, let s, _, _), .malformed(_, let s, _): s
        case .corruptChunk: "chunks"
        case .badMagic: "header"
        case .unsupportedVersion: "header"
        case .io, .compressionFailed, .invalidInput: nil
        }
    }
}

extension MetricBlockError {
    /// Maps the shared POSIX helpers' error into this domain.
    static func from(_ error: any Error, path: String) -> MetricBlockError {
        if let error = error as? MetricBlockError { return error }
        if case .io(let operation, let p, let code)? = error as? WALError {
            return .io(operation: operation, path: p, errno: code)
        }
        return .io(operation: "\(error)", path: path, errno: EIO)
    }
}
