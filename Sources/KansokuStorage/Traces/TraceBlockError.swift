#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a trace block could not be written or read.
///
/// Every read-side case names the file and, where one is involved, the
/// section (`"footer"`, `"bloom"`, `"row group 3 attributes"`…), so a damaged
/// block can be reported and quarantined without guessing which part failed.
/// Damaged input always ends here, never in a crash.
public enum TraceBlockError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A system call failed; `operation` names it, `errno` is what it set.
    case io(operation: String, path: String, errno: Int32)
    /// The file does not start or end with the block magic number.
    case badMagic(path: String)
    /// The block was written in a format version this build cannot read.
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    /// The file is shorter than its trailer, footer or a section claims.
    case truncated(path: String, section: String)
    /// The section's bytes do not match the CRC-32C recorded for them.
    case checksumMismatch(path: String, section: String, expected: UInt32, actual: UInt32)
    /// zstd rejected the section, or it decompressed to the wrong size.
    case decompressionFailed(path: String, section: String, detail: String)
    /// The section's checksum matched but its contents make no sense (a
    /// reference out of range, an unknown tag…): a writer bug or a forged file.
    case malformed(path: String, section: String, detail: String)
    /// zstd could not compress a column while writing.
    case compressionFailed(detail: String)

    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            "\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
        case .badMagic(let path):
            "\(path): not a Kansoku trace block (bad magic number)"
        case .unsupportedVersion(let path, let found, let supported):
            "\(path): trace block format version \(found) is not supported (this build reads \(supported))"
        case .truncated(let path, let section):
            "\(path): truncated in \(section)"
        case .checksumMismatch(let path, let section, let expected, let actual):
            "\(path): checksum mismatch in \(section) (expected \(expected), found \(actual))"
        case .decompressionFailed(let path, let section, let detail):
            "\(path): cannot decompress \(section): \(detail)"
        case .malformed(let path, let section, let detail):
            "\(path): malformed \(section): \(detail)"
        case .compressionFailed(let detail):
            "cannot compress trace block column: \(detail)"
        }
    }

    /// The section an error is about, if it names one (for tests and logs).
    public var section: String? {
        switch self {
        case .truncated(_, let s), .checksumMismatch(_, let s, _, _),
             .decompressionFailed(_, let s, _), .malformed(_, let s, _): s
        case .badMagic: "magic"
        case .unsupportedVersion: "trailer"
        case .io, .compressionFailed: nil
        }
    }
}

extension TraceBlockError {
    /// Maps the shared POSIX helpers' error into this domain.
    static func from(_ error: any Error, path: String) -> TraceBlockError {
        if let error = error as? TraceBlockError { return error }
        if case .io(let operation, let p, let code)? = error as? WALError {
            return .io(operation: operation, path: p, errno: code)
        }
        return .io(operation: "\(error)", path: path, errno: EIO)
    }
}
