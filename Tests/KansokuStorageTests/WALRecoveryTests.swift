import Testing
import KansokuStorage

@Suite("WriteAheadLog recovery")
struct WALRecoveryTests {
    /// Writes `count` 24-byte records into a fresh log and closes it.
    static func seed(_ dir: String, count: Int, segmentSize: Int = 64 << 20) async throws -> [WALPosition] {
        let log = try WALTestKit.open(dir, segmentSize: segmentSize)
        return try await WALTestKit.appendAndClose(log, (0..<count).map { WALTestKit.payload($0) })
    }

    static func payloads(_ range: Range<Int>) -> [[UInt8]] { range.map { WALTestKit.payload($0) } }

    @Test("a torn last record is cut off; earlier records survive")
    func tornWrite() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let positions = try await Self.seed(dir, count: 5)
            let path = WALTestKit.segmentPath(dir, 1)
            let bytes = try WALTestKit.readFile(path)
            try WALTestKit.writeFile(path, Array(bytes.dropLast(10)))  // mid-payload of record 4

            let logs = WALLogCapture()
            let log = try WALTestKit.open(dir, logs: logs)
            #expect(try log.allRecords().map(\.payload) == Self.payloads(0..<4))
            #expect(!log.repairReport.isClean)
            let cut = try #require(log.repairReport.truncations.first)
            #expect(log.repairReport.truncations.count == 1)
            #expect(cut.segment == 1)
            #expect(cut.path == path)
            #expect(cut.offset == positions[4].offset)
            #expect(cut.bytesDropped == WALTestKit.frameSize(24) - 10)
            #expect(cut.wasLastSegment)
            guard case .lengthPastEnd(24, _) = cut.damage else {
                Issue.record("unexpected damage \(cut.damage)")
                return
            }
            #expect(try WALTestKit.fileSize(path) == positions[4].offset)

            let warning = try #require(logs.entries.first { $0.level == .warning })
            #expect(warning.metadata["file"]?.description == path)
            #expect(warning.metadata["offset"]?.description == "\(positions[4].offset)")
            #expect(warning.metadata["bytes_dropped"]?.description == "\(cut.bytesDropped)")
            await log.close()
        }
    }

    @Test("a header cut short counts as one dropped record")
    func tornHeader() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let positions = try await Self.seed(dir, count: 3)
            let path = WALTestKit.segmentPath(dir, 1)
            let bytes = try WALTestKit.readFile(path)
            try WALTestKit.writeFile(path, Array(bytes.prefix(Int(positions[2].offset) + 5)))

            let log = try WALTestKit.open(dir)
            #expect(try log.allRecords().map(\.payload) == Self.payloads(0..<2))
            let cut = try #require(log.repairReport.truncations.first)
            #expect(cut.damage == .truncatedHeader(availableBytes: 5))
            #expect(cut.recordsDropped == 1)
            #expect(cut.bytesDropped == 5)
            await log.close()
        }
    }

    @Test("a flipped payload byte drops that record and the rest of the segment")
    func corruptRecord() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let positions = try await Self.seed(dir, count: 5)
            let path = WALTestKit.segmentPath(dir, 1)
            var bytes = try WALTestKit.readFile(path)
            bytes[Int(positions[2].offset) + 8 + 3] ^= 0x40
            try WALTestKit.writeFile(path, bytes)

            let log = try WALTestKit.open(dir)
            #expect(try log.allRecords().map(\.payload) == Self.payloads(0..<2))
            let cut = try #require(log.repairReport.truncations.first)
            #expect(cut.offset == positions[2].offset)
            #expect(cut.recordsDropped == 3)
            #expect(cut.bytesDropped == 3 * WALTestKit.frameSize(24))
            guard case .checksumMismatch = cut.damage else {
                Issue.record("unexpected damage \(cut.damage)")
                return
            }
            #expect(try WALTestKit.fileSize(path) == positions[2].offset)
            await log.close()
        }
    }

    @Test("a garbage length field ends the segment without a huge allocation")
    func garbageLength() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let positions = try await Self.seed(dir, count: 4)
            let path = WALTestKit.segmentPath(dir, 1)
            var bytes = try WALTestKit.readFile(path)
            let at = Int(positions[2].offset)
            bytes.replaceSubrange(at..<(at + 4), with: [0xF0, 0xFF, 0xFF, 0xFF])
            try WALTestKit.writeFile(path, bytes)

            let log = try WALTestKit.open(dir)
            #expect(try log.allRecords().map(\.payload) == Self.payloads(0..<2))
            let cut = try #require(log.repairReport.truncations.first)
            #expect(cut.offset == positions[2].offset)
            #expect(cut.recordsDropped == nil)
            #expect(cut.damage == .lengthPastEnd(length: 0xFFFF_FFF0, availableBytes: 2 * WALTestKit.frameSize(24) - 8))
            await log.close()
        }
    }

    @Test("an empty segment file is clean and appendable")
    func emptyFile() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            try WALTestKit.writeFile(WALTestKit.segmentPath(dir, 1), [])
            let log = try WALTestKit.open(dir)
            #expect(log.repairReport.isClean)
            #expect(log.segmentCount == 1)
            #expect(try log.allRecords().isEmpty)
            #expect(try await log.append(WALTestKit.payload(0)) == WALPosition(segment: 1, offset: 0))
            await log.close()
        }
    }

    @Test("a zero-filled tail is cut instead of read as empty records")
    func zeroFilledTail() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let positions = try await Self.seed(dir, count: 2)
            let path = WALTestKit.segmentPath(dir, 1)
            try WALTestKit.writeFile(path, try WALTestKit.readFile(path) + [UInt8](repeating: 0, count: 4096))

            let log = try WALTestKit.open(dir)
            #expect(try log.allRecords().map(\.payload) == Self.payloads(0..<2))
            let cut = try #require(log.repairReport.truncations.first)
            #expect(cut.damage == .zeroLength)
            #expect(cut.offset == positions[1].offset + WALTestKit.frameSize(24))
            #expect(cut.bytesDropped == 4096)
            await log.close()
        }
    }

    @Test("random garbage segments never crash the open", arguments: [1, 7, 8, 9, 100, 4096, 70_000])
    func randomGarbage(size: Int) async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let garbage = WALTestKit.pseudoRandomBytes(count: size, seed: UInt64(size))
            try WALTestKit.writeFile(WALTestKit.segmentPath(dir, 1), garbage)
            try WALTestKit.writeFile(WALTestKit.segmentPath(dir, 2), garbage)

            let log = try WALTestKit.open(dir)
            #expect(log.repairReport.truncations.count == 2)
            #expect(try log.allRecords().isEmpty)
            #expect(try WALTestKit.fileSize(WALTestKit.segmentPath(dir, 2)) == 0)
            let position = try await log.append(WALTestKit.payload(1))
            #expect(position == WALPosition(segment: 2, offset: 0))
            await log.close()
        }
    }

    @Test("appending after a repaired open continues cleanly")
    func appendAfterRepair() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let positions = try await Self.seed(dir, count: 5)
            let path = WALTestKit.segmentPath(dir, 1)
            try WALTestKit.writeFile(path, Array(try WALTestKit.readFile(path).dropLast(3)))

            let log = try WALTestKit.open(dir)
            #expect(!log.repairReport.isClean)
            let next = try await log.append(WALTestKit.payload(100))
            #expect(next == positions[4])  // takes the place of the torn record
            _ = try await log.append(WALTestKit.payload(101))
            await log.close()

            let reopened = try WALTestKit.open(dir)
            #expect(reopened.repairReport.isClean)
            #expect(try reopened.allRecords().map(\.payload) == Self.payloads(0..<4) + [WALTestKit.payload(100), WALTestKit.payload(101)])
            await reopened.close()
        }
    }

    @Test("damage in an older segment keeps later segments and is logged as an error")
    func damageInSealedSegment() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            // 32-byte frames in 64-byte segments: two records per segment, three segments.
            let positions = try await Self.seed(dir, count: 6, segmentSize: 64)
            let path = WALTestKit.segmentPath(dir, 1)
            var bytes = try WALTestKit.readFile(path)
            bytes[Int(positions[1].offset) + 8] ^= 0xFF
            try WALTestKit.writeFile(path, bytes)

            let logs = WALLogCapture()
            let log = try WALTestKit.open(dir, segmentSize: 64, logs: logs)
            let records = try log.allRecords()
            #expect(records.map(\.payload) == [WALTestKit.payload(0)] + Self.payloads(2..<6))
            #expect(records.map(\.position) == [positions[0]] + Array(positions[2...]))
            let cut = try #require(log.repairReport.truncations.first)
            #expect(cut.segment == 1)
            #expect(!cut.wasLastSegment)
            #expect(cut.recordsDropped == 1)
            #expect(logs.entries.contains { $0.level == .error && $0.metadata["file"]?.description == path })
            await log.close()
        }
    }

    @Test("damage after opening stops reading with a typed error")
    func damageAfterOpen() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let log = try WALTestKit.open(dir)
            var positions: [WALPosition] = []
            for index in 0..<3 { positions.append(try await log.append(WALTestKit.payload(index))) }
            let path = WALTestKit.segmentPath(dir, 1)
            var bytes = try WALTestKit.readFile(path)
            bytes[Int(positions[1].offset) + 10] ^= 0x01
            try WALTestKit.writeFile(path, bytes)

            let sequence = try log.records()
            #expect(Array(sequence).map(\.payload) == [WALTestKit.payload(0)])
            guard case .corruptRecord(let errorPath, let offset, .checksumMismatch)? = sequence.error else {
                Issue.record("expected corruptRecord, got \(String(describing: sequence.error))")
                return
            }
            #expect(errorPath == path)
            #expect(offset == positions[1].offset)
            #expect(throws: WALError.self) { try log.allRecords() }
            await log.close()
        }
    }
}
