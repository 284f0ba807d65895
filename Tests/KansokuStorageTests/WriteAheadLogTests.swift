import Testing
import KansokuStorage

@Suite("WriteAheadLog appends and reads")
struct WriteAheadLogTests {
    @Test("appended records read back after reopening, in order, at their positions")
    func appendReopenRead() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let payloads = (0..<10).map { WALTestKit.payload($0, size: 16 + $0) }
            let log = try WALTestKit.open(dir)
            #expect(log.repairReport.isClean)
            let positions = try await WALTestKit.appendAndClose(log, payloads)
            #expect(positions == positions.sorted())
            #expect(positions.first == WALPosition(segment: 1, offset: 0))
            #expect(log.bytesWritten == payloads.reduce(0) { $0 + 8 + $1.count })

            let reopened = try WALTestKit.open(dir)
            #expect(reopened.repairReport.isClean)
            let records = try reopened.allRecords()
            #expect(records.map(\.payload) == payloads)
            #expect(records.map(\.position) == positions)
            await reopened.close()
        }
    }

    @Test("records() sees durable appends of the open log, and only those made before the call")
    func readWhileOpen() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let log = try WALTestKit.open(dir)
            _ = try await log.append(WALTestKit.payload(1))
            _ = try await log.append(WALTestKit.payload(2))
            let snapshot = try log.records()
            _ = try await log.append(WALTestKit.payload(3))
            #expect(Array(snapshot).map(\.payload) == [WALTestKit.payload(1), WALTestKit.payload(2)])
            #expect(snapshot.error == nil)
            #expect(try log.allRecords().count == 3)
            await log.close()
        }
    }

    @Test("segments rotate at the size limit and read back in order across them")
    func rotation() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            // 58-byte frames in 256-byte segments: four records per segment.
            let payloads = (0..<20).map { WALTestKit.payload($0, size: 50) }
            let log = try WALTestKit.open(dir, segmentSize: 256)
            let positions = try await WALTestKit.appendAndClose(log, payloads)
            #expect(log.segmentCount == 5)
            let expected: [WALPosition] = (0..<20).map { (index: Int) -> WALPosition in
                WALPosition(segment: UInt64(index / 4 + 1), offset: UInt64(index % 4) * 58)
            }
            #expect(positions == expected)
            for segment in 1...5 {
                #expect(try WALTestKit.fileSize(WALTestKit.segmentPath(dir, UInt64(segment))) == 4 * 58)
            }

            let reopened = try WALTestKit.open(dir, segmentSize: 256)
            #expect(reopened.segmentCount == 5)
            let records = try reopened.allRecords()
            #expect(records.map(\.payload) == payloads)
            #expect(records.map(\.position) == positions)
            await reopened.close()
        }
    }

    @Test("records straddling the reader's buffer boundaries read back intact")
    func manyRecordsAcrossReadBuffers() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            // ~3.1 MiB of 1003-byte frames: several frames cross each 1 MiB read chunk.
            let payloads = (0..<3_100).map { WALTestKit.payload($0, size: 995) }
            let log = try WALTestKit.open(dir)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for chunk in stride(from: 0, to: payloads.count, by: 100) {
                    let slice = Array(payloads[chunk..<min(chunk + 100, payloads.count)])
                    group.addTask { for payload in slice { _ = try await log.append(payload) } }
                }
                try await group.waitForAll()
            }
            #expect(try log.allRecords().count == payloads.count)
            await log.close()

            let reopened = try WALTestKit.open(dir)
            #expect(reopened.repairReport.isClean)
            let read = try reopened.allRecords().map(\.payload)
            #expect(Set(read) == Set(payloads))
            #expect(read.count == payloads.count)
            await reopened.close()
        }
    }

    @Test("a record larger than the segment size gets a fresh segment of its own")
    func oversizedRecord() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let log = try WALTestKit.open(dir, segmentSize: 100)
            let small = try await log.append(WALTestKit.payload(1))
            let big = try await log.append(WALTestKit.payload(2, size: 500))
            let after = try await log.append(WALTestKit.payload(3))
            #expect(small == WALPosition(segment: 1, offset: 0))
            #expect(big == WALPosition(segment: 2, offset: 0))
            #expect(after == WALPosition(segment: 3, offset: 0))
            #expect(try log.allRecords().map(\.payload) == [WALTestKit.payload(1), WALTestKit.payload(2, size: 500), WALTestKit.payload(3)])
            await log.close()
        }
    }

    @Test("removeSegments deletes whole segments before the position and never the active one")
    func removeSegments() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let payloads = (0..<20).map { WALTestKit.payload($0, size: 50) }
            let log = try WALTestKit.open(dir, segmentSize: 256)
            var positions: [WALPosition] = []
            for payload in payloads { positions.append(try await log.append(payload)) }

            // Record 9 is the second one in segment 3: segments 1 and 2 go, 3 stays.
            try log.removeSegments(before: positions[9])
            #expect(log.segmentCount == 3)
            #expect(!WALTestKit.fileExists(WALTestKit.segmentPath(dir, 1)))
            #expect(!WALTestKit.fileExists(WALTestKit.segmentPath(dir, 2)))
            #expect(WALTestKit.fileExists(WALTestKit.segmentPath(dir, 3)))
            #expect(try log.allRecords().map(\.payload) == Array(payloads[8...]))

            // Far past the end: everything but the active segment (5).
            try log.removeSegments(before: WALPosition(segment: 99, offset: 0))
            #expect(log.segmentCount == 1)
            #expect(WALTestKit.fileExists(WALTestKit.segmentPath(dir, 5)))
            #expect(try log.allRecords().map(\.payload) == Array(payloads[16...]))

            // Appends continue, and a reopen sees the same log.
            let next = try await log.append(WALTestKit.payload(20, size: 50))
            #expect(next.segment == 6)
            await log.close()
            let reopened = try WALTestKit.open(dir, segmentSize: 256)
            #expect(reopened.repairReport.isClean)
            #expect(try reopened.allRecords().map(\.payload) == Array(payloads[16...]) + [WALTestKit.payload(20, size: 50)])
            await reopened.close()
        }
    }

    @Test("500 concurrent appends are all durable and share fsyncs")
    func groupCommit() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let log = try WALTestKit.open(dir)
            let positions = try await withThrowingTaskGroup(of: (Int, WALPosition).self) { group in
                for index in 0..<500 {
                    group.addTask { (index, try await log.append(WALTestKit.payload(index))) }
                }
                var positions: [Int: WALPosition] = [:]
                for try await (index, position) in group { positions[index] = position }
                return positions
            }
            #expect(positions.count == 500)
            #expect(Set(positions.values).count == 500)
            #expect(log.fsyncCount >= 1)
            #expect(log.fsyncCount < 500)
            await log.close()

            let reopened = try WALTestKit.open(dir)
            let records = try reopened.allRecords()
            #expect(records.count == 500)
            for record in records {
                let index = Int(UInt64(littleEndian: record.payload.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
                #expect(positions[index] == record.position)
                #expect(record.payload == WALTestKit.payload(index))
            }
            await reopened.close()
        }
    }

    @Test("close flushes; afterwards append, records and removeSegments throw closed")
    func closeThenAppend() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let log = try WALTestKit.open(dir)
            _ = try await log.append(WALTestKit.payload(1))
            await log.close()
            await log.close()  // idempotent

            let appendError = await #expect(throws: WALError.self) { try await log.append(WALTestKit.payload(2)) }
            guard case .closed = appendError else {
                Issue.record("expected .closed, got \(String(describing: appendError))")
                return
            }
            #expect(throws: WALError.self) { try log.records() }
            #expect(throws: WALError.self) { try log.removeSegments(before: WALPosition(segment: 9, offset: 0)) }

            let reopened = try WALTestKit.open(dir)
            #expect(try reopened.allRecords().map(\.payload) == [WALTestKit.payload(1)])
            await reopened.close()
        }
    }

    @Test("appends enqueued before close are committed by it")
    func closeDrainsPending() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let log = try WALTestKit.open(dir)
            let results = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<50 {
                    group.addTask { (try? await log.append(WALTestKit.payload(index))) != nil }
                }
                group.addTask {
                    await log.close()
                    return true
                }
                var succeeded = 0
                for await ok in group where ok { succeeded += 1 }
                return succeeded - 1
            }
            // Whatever was acknowledged must be on disk, and nothing else.
            let reopened = try WALTestKit.open(dir)
            #expect(try reopened.allRecords().count == results)
            await reopened.close()
        }
    }

    @Test("empty payloads are refused")
    func emptyPayload() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let log = try WALTestKit.open(dir)
            let error = await #expect(throws: WALError.self) { try await log.append([]) }
            guard case .emptyPayload = error else {
                Issue.record("expected .emptyPayload, got \(String(describing: error))")
                return
            }
            await log.close()
        }
    }

    @Test("a directory can only be open once at a time")
    func exclusiveLock() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let log = try WALTestKit.open(dir)
            let error = #expect(throws: WALError.self) { try WALTestKit.open(dir) }
            guard case .locked = error else {
                Issue.record("expected .locked, got \(String(describing: error))")
                return
            }
            await log.close()
            let again = try WALTestKit.open(dir)
            await again.close()
        }
    }

    @Test("the log directory and its parents are created")
    func createsDirectory() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let nested = dir + "/data/wal/traces"
            let log = try WALTestKit.open(nested)
            _ = try await log.append(WALTestKit.payload(1))
            await log.close()
            #expect(try WALTestKit.fileSize(WALTestKit.segmentPath(nested, 1)) == WALTestKit.frameSize(24))
        }
    }

    @Test("fsync off still writes and reads back, without syncing")
    func fsyncOff() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let log = try WriteAheadLog(directory: dir, signal: "test", options: WALOptions(fsync: false),
                                        logger: WALLogCapture().logger())
            _ = try await log.append(WALTestKit.payload(1))
            #expect(log.fsyncCount == 0)
            #expect(try log.allRecords().count == 1)
            await log.close()
        }
    }
}
