import Foundation
import Testing
@testable import KansokuStorage
import KansokuModel

/// Damaged blocks must throw `MetricBlockError`, from `init` or from the
/// first read of the damaged frame — never crash, never return data.
@Suite struct MetricBlockCorruptionTests {
    typealias Kit = MetricBlockTestKit

    /// Opens `bytes` as a block and reads everything; returns the error.
    static func failure(of bytes: [UInt8], at path: String) -> MetricBlockError? {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        do {
            let reader = try MetricBlockReader(path: path)
            _ = try reader.allSeries()
            _ = try reader.select([], start: .min, end: .max)
            return nil
        } catch {
            return error
        }
    }

    /// A small block with several frames (tiny frame size), as bytes.
    static func smallBlock(in dir: String, frameSize: Int = 256) throws -> (bytes: [UInt8], reader: MetricBlockReader) {
        var options = MetricBlockWriter.Options()
        options.frameSize = frameSize
        let series = (0..<8).map { i in
            Kit.series([("__name__", "m\(i % 3)"), ("i", String(i))], Kit.samples(count: 30 + i * 20) { Double($0 * i) + 0.5 })
        }
        let meta = try MetricBlockWriter.write(series, minTime: 0, maxTime: 10_000_000, to: dir, options: options)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: meta.path)))
        return (bytes, try MetricBlockReader(path: meta.path))
    }

    @Test func everySingleByteFlipIsDetected() throws {
        try Kit.withTemporaryDirectory { dir in
            let (bytes, reader) = try Self.smallBlock(in: dir)
            #expect(reader.frames.count > 3)
            #expect(reader.frames.contains { $0.codec == .zstd })
            let target = dir + "/damaged.kmb"
            var sections = Set<String>()
            for offset in bytes.indices {
                var damaged = bytes
                damaged[offset] ^= 0x5A
                let error = Self.failure(of: damaged, at: target)
                #expect(error != nil, "flip at byte \(offset) of \(bytes.count) went unnoticed")
                if let section = error?.section { sections.insert(section) }
            }
            // Damage was attributed to the right places.
            for name in ["header", "footer", "trailer", "frames", "symbols", "series", "postings"] {
                #expect(sections.contains(name), "no error named \(name): \(sections.sorted())")
            }
            #expect(sections.contains { $0.hasPrefix("chunk frame") })
        }
    }

    @Test func everyTruncationIsDetected() throws {
        try Kit.withTemporaryDirectory { dir in
            let (bytes, _) = try Self.smallBlock(in: dir)
            let target = dir + "/cut.kmb"
            for length in 0..<bytes.count {
                #expect(Self.failure(of: Array(bytes[..<length]), at: target) != nil, "cut at \(length) went unnoticed")
            }
            // Appended garbage is caught too (the trailer is no longer last).
            #expect(Self.failure(of: bytes + [0, 1, 2], at: target) != nil)
            #expect(Self.failure(of: bytes, at: target) == nil)
        }
    }

    @Test func damageInALargerBlockNamesItsSection() throws {
        try Kit.withTemporaryDirectory { dir in
            let meta = try MetricBlockWriter.write(MetricBlockWriterTests.fixture(seriesCount: 200, samplesPerSeries: 240),
                                                   minTime: 0, maxTime: .max, to: dir)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: meta.path)))
            let reader = try MetricBlockReader(path: meta.path)
            let target = dir + "/damaged.kmb"
            // Middle of every frame: open succeeds, the read names the frame.
            for (index, frame) in reader.frames.enumerated() {
                var damaged = bytes
                damaged[Int(frame.offset) + frame.storedLength / 2] ^= 0x01
                _ = FileManager.default.createFile(atPath: target, contents: Data(damaged))
                let opened = try MetricBlockReader(path: target)
                #expect(throws: MetricBlockError.checksumMismatch(path: target, section: "chunk frame \(index)", offset: frame.offset,
                                                                  expected: frame.crc, actual: CRC32C.checksum(damaged[Int(frame.offset)..<Int(frame.offset) + frame.storedLength]))) {
                    _ = try opened.allSeries()
                }
            }
            // Truncation at many lengths.
            for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 300)) {
                #expect(Self.failure(of: Array(bytes[..<length]), at: target) != nil)
            }
        }
    }

    @Test func foreignFilesAreRejected() throws {
        try Kit.withTemporaryDirectory { dir in
            let target = dir + "/foreign.kmb"
            #expect(Self.failure(of: Array(repeating: 0, count: 100), at: target) == .badMagic(path: target))
            var versioned: [UInt8] = [0x4B, 0x4D, 0x42, 0x31, 9, 0, 0, 0] + Array(repeating: 0, count: 40)
            #expect(Self.failure(of: versioned, at: target) == .unsupportedVersion(path: target, found: 9, supported: 3))
            versioned[4] = 1
            #expect(Self.failure(of: versioned, at: target)?.section == "trailer")
        }
    }

    @Test func decodedChunkDamageIsACorruptChunk() throws {
        // A chunk whose frame checksums fine but whose bytes do not decode
        // (forged): build the frame from a truncated chunk.
        try Kit.withTemporaryDirectory { dir in
            let full = MetricBlockCompactor.encode(Kit.samples(count: 100) { Double($0) * 1.1 })[0]
            let cut = try XORChunk(bytes: Array(full.chunk.bytes.prefix(full.chunk.bytes.count / 2)))
            let series = MetricBlockSeries(labels: SeriesLabels([("__name__", "x")]),
                                           chunks: [HeadChunk(chunk: cut, minTime: full.minTime, maxTime: full.maxTime)])
            let meta = try MetricBlockWriter.write([series], minTime: 0, maxTime: .max, to: dir)
            let reader = try MetricBlockReader(path: meta.path)
            do {
                _ = try reader.select([], start: .min, end: .max)
                Issue.record("select succeeded")
            } catch {
                guard case .corruptChunk(_, let name, let index, _)? = error as? MetricBlockError else { Issue.record("\(error)"); return }
                #expect(name == "x" && index == 0)
            }
            #expect(throws: MetricBlockError.self) { try reader.allSeries() }
        }
    }
}
