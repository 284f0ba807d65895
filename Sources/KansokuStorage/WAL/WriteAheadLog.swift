#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging

/// A durable, append-only log of opaque records for one signal.
///
/// Records live in segment files (`00000001.wal`, `00000002.wal`, …) in the
/// log's own directory, each framed as little-endian `u32` length, `u32`
/// CRC-32C of the payload, payload. A `LOCK` file in the directory keeps a
/// second log (in this or another process) from opening it at the same time.
///
/// Appends are made durable by a dedicated writer thread with group commit:
/// callers only enqueue and suspend, so no blocking I/O runs on the
/// cooperative pool or on event loops; the writer writes everything that
/// queued up, syncs once and resumes all of them.
///
/// Delivery is at-least-once: an append that fails with an I/O error may
/// still have reached the disk and reappear after reopening.
public final class WriteAheadLog: Sendable {
    /// The directory holding this log's segments.
    public let directory: String
    /// The signal this log belongs to (the `signal` dimension of its metrics).
    public let signal: String
    private let options: WALOptions
    private let logger: Logger
    private let metrics: WALMetrics
    private let shared: WALShared
    private let openReport: WALRepairReport

    /// Opens (creating `directory` if needed), validates every segment and repairs a torn or corrupt tail.
    ///
    /// Each segment is read in full; at the first record whose header is cut
    /// short, whose length runs past the end of the file, or whose checksum
    /// does not match, the segment is truncated and the cut is logged and
    /// listed in ``repairReport``. Appends continue in the newest segment.
    /// This reads every segment and so blocks: open logs at startup, not on an event loop.
    ///
    /// - Throws: ``WALError/locked(path:)`` if the directory is already open,
    ///   ``WALError/io(operation:path:errno:)`` if it cannot be created, read or repaired.
    public init(directory: String, signal: String, options: WALOptions = WALOptions(), logger: Logger) throws {
        var logger = logger
        logger[metadataKey: "signal"] = "\(signal)"
        self.directory = directory
        self.signal = signal
        self.options = options
        self.logger = logger
        self.metrics = WALMetrics(signal: signal)

        let created = try POSIXFile.makeDirectories(directory)
        if options.fsync {
            // A new directory's own entry lives in its parent: sync that too, or
            // a crash could lose the directory along with every segment in it.
            for path in created { try POSIXFile.syncDirectory(Self.parent(of: path)) }
        }
        let lockFD = try POSIXFile.lockFile(directory + "/" + SegmentFiles.lockFileName)
        var ownedFDs: [Int32] = [lockFD]
        defer { for fd in ownedFDs { POSIXFile.close(fd) } }

        let recovered = try SegmentRecovery.recover(directory: directory, segments: try SegmentFiles.list(directory),
                                                   sync: options.fsync, logger: logger)
        var segments = recovered.segments
        let active: ActiveSegment
        if let last = segments.last {
            let fd = try POSIXFile.open(SegmentFiles.path(directory, last.number), flags: O_WRONLY)
            ownedFDs.append(fd)
            active = ActiveSegment(number: last.number, fd: fd, size: last.size)
        } else {
            let fd = try POSIXFile.open(SegmentFiles.path(directory, 1), flags: O_WRONLY | O_CREAT | O_EXCL)
            ownedFDs.append(fd)
            if options.fsync { try POSIXFile.syncDirectory(directory) }
            segments = [SegmentExtent(number: 1, size: 0)]
            active = ActiveSegment(number: 1, fd: fd, size: 0)
        }

        self.openReport = recovered.report
        self.shared = WALShared(segments: segments)
        metrics.segments.set(segments.count)

        let writer = GroupCommitWriter(directory: directory, options: options, logger: logger, metrics: metrics,
                               shared: shared, active: active, lockFD: lockFD)
        let thread = Thread {
            var writer = writer
            writer.run()
        }
        thread.name = "kansoku-wal-\(signal)"
        ownedFDs = []  // the writer closes them when it exits
        thread.start()

        logger.info("opened write-ahead log", metadata: [
            "directory": "\(directory)",
            "segments": "\(segments.count)",
            "records": "\(recovered.recordCount)",
            "repaired_segments": "\(recovered.report.truncations.count)",
        ])
    }

    deinit {
        // A log dropped without `close()` must not leave its thread waiting
        // forever: let it commit what is queued, release the files and exit.
        shared.state.withLock { $0.closeRequested = true }
        shared.ring()
    }

    /// What opening had to repair; ``WALRepairReport/isClean`` if nothing.
    public var repairReport: WALRepairReport { openReport }

    /// Appends one record; returns only once it is durable (written and fsync'd).
    /// Concurrent callers share one fsync (group commit).
    ///
    /// The caller only enqueues and suspends; the writer thread does the I/O.
    /// Once enqueued, the record is written even if the calling task is cancelled.
    ///
    /// - Returns: The record's position, for ``removeSegments(before:)`` and for matching ``records()``.
    /// - Throws: ``WALError/emptyPayload``, ``WALError/payloadTooLarge(bytes:)``, ``WALError/closed``,
    ///   the ``WALError/io(operation:path:errno:)`` that failed this commit, or ``WALError/failed(cause:)``
    ///   once an earlier commit has failed.
    public func append(_ payload: [UInt8]) async throws -> WALPosition {
        guard !payload.isEmpty else { throw WALError.emptyPayload }
        guard UInt64(payload.count) <= UInt64(UInt32.max) else { throw WALError.payloadTooLarge(bytes: payload.count) }
        return try await withCheckedThrowingContinuation { continuation in
            let refusal = shared.state.withLock { state -> WALError? in
                if state.closeRequested { return .closed }
                if let failure = state.failure { return .failed(cause: failure) }
                state.pending.append(PendingAppend(payload: payload, continuation: continuation))
                return nil
            }
            if let refusal {
                continuation.resume(throwing: refusal)
            } else {
                shared.ring()
            }
        }
    }

    /// All durable records at the moment of the call, oldest first, read lazily from disk segment by segment.
    ///
    /// Read errors end the iteration and are reported through
    /// ``WALRecordSequence/error`` (or thrown by ``WALRecordSequence/Iterator/nextRecord()``).
    ///
    /// - Throws: ``WALError/closed`` after ``close()``.
    public func records() throws -> WALRecordSequence {
        let snapshot = shared.state.withLock { state in state.closeRequested ? nil : state.segments }
        guard let snapshot else { throw WALError.closed }
        return WALRecordSequence(directory: directory, segments: snapshot, shared: shared, logger: logger)
    }

    /// Deletes whole segments that end before `position` (for when later stages have persisted their data).
    /// Never deletes the active segment.
    ///
    /// A segment ends before `position` when its number is lower than
    /// `position.segment`; the segment holding `position` itself is kept.
    /// Blocking (unlink and a directory sync): call it off event loops.
    ///
    /// - Throws: ``WALError/closed`` after ``close()``, or the failed `unlink`/`fsync`;
    ///   segments deleted before a failure stay deleted.
    public func removeSegments(before position: WALPosition) throws {
        let victims = shared.state.withLock { state -> [UInt64]? in
            if state.closeRequested { return nil }
            guard let active = state.segments.last?.number else { return [] }
            return state.segments.map(\.number).filter { $0 < position.segment && $0 != active }
        }
        guard let victims else { throw WALError.closed }
        guard !victims.isEmpty else { return }
        for number in victims {
            try POSIXFile.unlinkIfPresent(SegmentFiles.path(directory, number))
            let remaining = shared.state.withLock { state in
                state.segments.removeAll { $0.number == number }
                return state.segments.count
            }
            metrics.segments.set(remaining)
        }
        if options.fsync { try POSIXFile.syncDirectory(directory) }
        logger.debug("removed write-ahead log segments", metadata: [
            "first": "\(victims.first!)", "last": "\(victims.last!)", "count": "\(victims.count)",
        ])
    }

    /// Numbers of the segments no longer written to, oldest first: what a later stage may persist and remove.
    public var closedSegments: [UInt64] {
        shared.state.withLock { state in state.segments.dropLast().map(\.number) }
    }

    /// Number of segment files, the active one included.
    public var segmentCount: Int { shared.state.withLock { $0.segments.count } }

    /// Bytes made durable since open, frame headers included.
    public var bytesWritten: Int { shared.state.withLock { $0.bytesWritten } }

    /// Data syncs (`fdatasync`) of segment files since open, commits and rotations.
    /// Fewer syncs than appends shows group commit at work. Stays 0 with ``WALOptions/fsync`` off.
    public var fsyncCount: Int { shared.state.withLock { $0.fsyncCount } }

    /// Deletes every segment file after ``close()``: for a caller that has
    /// persisted everything the log holds (the metric store after writing
    /// its whole head as a block), so the log takes no disk space while the
    /// server is down. The next open starts an empty log.
    ///
    /// - Throws: a failed `unlink`/`fsync` (segments deleted before it stay deleted).
    public func discardSegmentsAfterClose() throws {
        let closed = shared.state.withLock { $0.writerExited }
        precondition(closed, "discardSegmentsAfterClose() before close()")
        for number in try SegmentFiles.list(directory) {
            try POSIXFile.unlinkIfPresent(SegmentFiles.path(directory, number))
        }
        if options.fsync { try POSIXFile.syncDirectory(directory) }
    }

    /// Flushes pending appends, stops the writer, closes files. Appends after close throw ``WALError/closed``.
    ///
    /// Appends already enqueued are committed (and their callers resumed) before this returns.
    /// Calling it again, or concurrently, is harmless.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = shared.state.withLock { state in
                if state.writerExited { return true }
                state.closeRequested = true
                state.closeWaiters.append(continuation)
                return false
            }
            if exited {
                continuation.resume()
            } else {
                shared.ring()
            }
        }
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
