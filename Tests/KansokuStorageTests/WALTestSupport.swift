import Foundation
import Logging
import Synchronization
import KansokuStorage

/// Helpers shared by the write-ahead-log tests (namespaced so they cannot
/// clash with other test files in this target).
enum WALTestKit {
    /// Runs `body` with a fresh, empty directory path that is removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
        let path = FileManager.default.temporaryDirectory.path + "/kansoku-wal-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(path)
    }

    /// A deterministic payload, distinct for every `index`.
    static func payload(_ index: Int, size: Int = 24) -> [UInt8] {
        precondition(size >= 8)
        var bytes = withUnsafeBytes(of: UInt64(index).littleEndian) { Array($0) }
        for i in 8..<size { bytes.append(UInt8(truncatingIfNeeded: index &* 31 &+ i &* 7)) }
        return bytes
    }

    /// Deterministic pseudo-random bytes (SplitMix64), so failures reproduce.
    static func pseudoRandomBytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            withUnsafeBytes(of: z) { bytes.append(contentsOf: $0.prefix(count - bytes.count)) }
        }
        return bytes
    }

    static func segmentPath(_ directory: String, _ segment: UInt64) -> String {
        directory + "/" + String(format: "%08llu.wal", segment)
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func fileSize(_ path: String) throws -> UInt64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value ?? 0
    }

    static func fileExists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Frame size on disk of a payload of `count` bytes.
    static func frameSize(_ count: Int) -> UInt64 { UInt64(8 + count) }

    /// Opens a log with fsync on and the given segment size.
    static func open(_ directory: String, segmentSize: Int = 64 << 20, logs: WALLogCapture = WALLogCapture()) throws -> WriteAheadLog {
        try WriteAheadLog(directory: directory, signal: "test", options: WALOptions(segmentSizeBytes: segmentSize),
                          logger: logs.logger())
    }

    /// Appends `payloads` one after another and closes the log.
    @discardableResult
    static func appendAndClose(_ log: WriteAheadLog, _ payloads: [[UInt8]]) async throws -> [WALPosition] {
        var positions: [WALPosition] = []
        for payload in payloads { positions.append(try await log.append(payload)) }
        await log.close()
        return positions
    }
}

/// Log messages captured by ``WALCapturingLogHandler``.
final class WALLogCapture: Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: Logger.Metadata
    }

    private let storage = Mutex<[Entry]>([])

    var entries: [Entry] { storage.withLock { $0 } }

    func append(_ entry: Entry) { storage.withLock { $0.append(entry) } }

    /// A logger whose messages land here.
    func logger() -> Logger {
        Logger(label: "kansoku.wal.test") { _ in WALCapturingLogHandler(capture: self) }
    }
}

struct WALCapturingLogHandler: LogHandler {
    let capture: WALLogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        capture.append(.init(level: event.level, message: event.message.description,
                             metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
    }
}

extension WriteAheadLog {
    /// Every record, throwing if reading stopped early.
    func allRecords() throws -> [WALRecord] {
        let sequence = try records()
        var iterator = sequence.makeIterator()
        var result: [WALRecord] = []
        while let record = try iterator.nextRecord() { result.append(record) }
        return result
    }
}
