#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// The segment the writer appends to.
struct ActiveSegment: Sendable {
    var number: UInt64
    var fd: Int32
    /// Bytes written so far (durable once the current commit's sync returns).
    var size: UInt64
}

/// The body of a log's writer thread: group commit.
///
/// Each round takes every append that queued up while the previous round was
/// writing, writes their frames with as few `pwrite` calls as the batch
/// allows (large payloads straight from their own storage, behind the
/// buffered frames in one `pwritev`, rather than copied), syncs once, and
/// only then resumes the callers. One `fdatasync`
/// thus covers however many appends arrived during the last one, which is
/// what keeps throughput up when many tasks append concurrently.
///
/// The writer owns the segment descriptors; nothing else writes them.
struct GroupCommitWriter: Sendable {
    /// A batch's frames are written in pieces of at most about this size, to
    /// bound memory when many large records arrive together.
    static let flushThreshold = 4 << 20

    /// Payloads at least this large are written from their own storage,
    /// behind the buffered frames, instead of being copied into the buffer.
    static let directWriteThreshold = 64 << 10

    let directory: String
    let options: WALOptions
    let logger: Logger
    let metrics: WALMetrics
    let shared: WALShared
    var active: ActiveSegment
    let lockFD: Int32

    /// Runs until close is requested and the last batch is committed.
    mutating func run() {
        while true {
            let (batch, closeRequested) = shared.waitForWork()
            if !batch.isEmpty { commit(batch) }
            if closeRequested { break }
        }
        if active.fd >= 0 { POSIXFile.close(active.fd) }
        POSIXFile.close(lockFD)
        let waiters = shared.state.withLock { state in
            state.writerExited = true
            defer { state.closeWaiters = [] }
            return state.closeWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Makes one batch durable and resumes its callers.
    private mutating func commit(_ batch: [PendingAppend]) {
        if let failure = shared.state.withLock({ $0.failure }) {
            for item in batch { item.continuation.resume(throwing: WALError.failed(cause: failure)) }
            return
        }
        var positions: [WALPosition] = []
        positions.reserveCapacity(batch.count)
        // Segments this batch touched, with their sizes after it: published
        // to readers only once everything is synced.
        var touched: [SegmentExtent] = []
        var syncs = 0
        var frameBytes = 0
        do {
            var buffer: [UInt8] = []
            buffer.reserveCapacity(min(Self.flushThreshold, batch.reduce(0) { total, item in
                total + (item.payload.count >= Self.directWriteThreshold ? WALFrame.headerSize : WALFrame.size(payloadCount: item.payload.count))
            }))
            let limit = UInt64(max(options.segmentSizeBytes, 1))
            for item in batch {
                let frameSize = UInt64(WALFrame.size(payloadCount: item.payload.count))
                let end = active.size + UInt64(buffer.count)
                // An empty segment takes any record, however large, so an
                // oversized record still lands whole in a segment of its own.
                if end > 0 && end + frameSize > limit {
                    try write(&buffer)
                    touched.append(SegmentExtent(number: active.number, size: active.size))
                    try rotate(syncs: &syncs)
                }
                positions.append(WALPosition(segment: active.number, offset: active.size + UInt64(buffer.count)))
                frameBytes += Int(frameSize)
                if item.payload.count >= Self.directWriteThreshold {
                    try item.payload.withUnsafeBytes { payload in
                        WALFrame.appendHeader(for: payload, to: &buffer)
                        try write(&buffer, then: payload)
                    }
                } else {
                    WALFrame.append(item.payload, to: &buffer)
                    if buffer.count >= Self.flushThreshold { try write(&buffer) }
                }
            }
            try write(&buffer)
            if options.fsync {
                try timedSync(active.fd, path: SegmentFiles.path(directory, active.number))
                syncs += 1
            }
            touched.append(SegmentExtent(number: active.number, size: active.size))
        } catch {
            fail(batch, error: error as? WALError ?? .io(operation: "commit", path: directory, errno: EIO))
            return
        }

        let segmentCount = shared.state.withLock { state in
            for extent in touched {
                if let index = state.segments.lastIndex(where: { $0.number == extent.number }) {
                    state.segments[index].size = extent.size
                } else {
                    state.segments.append(extent)
                }
            }
            state.bytesWritten += frameBytes
            state.fsyncCount += syncs
            return state.segments.count
        }
        metrics.records.increment(by: batch.count)
        metrics.bytes.increment(by: frameBytes)
        metrics.segments.set(segmentCount)
        for (item, position) in zip(batch, positions) {
            item.continuation.resume(returning: position)
        }
    }

    /// Writes `buffer` at the end of the active segment and empties it.
    private mutating func write(_ buffer: inout [UInt8]) throws {
        try write(&buffer, then: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Writes `buffer` and then `payload` (one `pwritev`) at the end of the
    /// active segment and empties `buffer`.
    private mutating func write(_ buffer: inout [UInt8], then payload: UnsafeRawBufferPointer) throws {
        guard !buffer.isEmpty || !payload.isEmpty else { return }
        let (fd, offset, path) = (active.fd, active.size, SegmentFiles.path(directory, active.number))
        try buffer.withUnsafeBytes { try POSIXFile.pwriteAll(fd, $0, payload, at: offset, path: path) }
        active.size += UInt64(buffer.count + payload.count)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Seals the active segment (synced before its successor exists, so a
    /// sealed segment is always complete on disk) and starts the next one.
    private mutating func rotate(syncs: inout Int) throws {
        let oldPath = SegmentFiles.path(directory, active.number)
        if options.fsync {
            try timedSync(active.fd, path: oldPath)
            syncs += 1
        }
        POSIXFile.close(active.fd)
        active.fd = -1
        let next = active.number + 1
        let path = SegmentFiles.path(directory, next)
        // O_EXCL: a file already there would mean another writer or a
        // bookkeeping bug; failing beats appending into unknown data.
        active.fd = try POSIXFile.open(path, flags: O_WRONLY | O_CREAT | O_EXCL)
        active.number = next
        active.size = 0
        if options.fsync { try POSIXFile.syncDirectory(directory) }
        logger.debug("started write-ahead log segment", metadata: ["file": "\(path)"])
    }

    private func timedSync(_ fd: Int32, path: String) throws {
        let started = ContinuousClock.now
        try POSIXFile.syncData(fd, path: path)
        let elapsed = ContinuousClock.now - started
        let (seconds, attoseconds) = elapsed.components
        metrics.fsyncDuration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// After a failed write or sync the kernel may have dropped the dirty
    /// pages, so retrying could acknowledge data that is not on disk
    /// ("fsyncgate"). The log stops taking appends; reopening it validates and
    /// repairs the segments from what actually reached the disk.
    private func fail(_ batch: [PendingAppend], error: WALError) {
        shared.state.withLock { $0.failure = error }
        logger.error("write-ahead log write failed; refusing further appends", metadata: [
            "directory": "\(directory)", "error": "\(error)",
        ])
        for item in batch { item.continuation.resume(throwing: error) }
        // Appends that queued meanwhile are failed by the next round's check.
    }
}
