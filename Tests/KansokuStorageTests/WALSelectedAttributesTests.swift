import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("WAL reader: attributes selected by key, the rest stepped over")
struct WALSelectedAttributesTests {
    static func encoded(_ attributes: [Attribute]) -> [UInt8] {
        var writer = WALWriter(reservingCapacity: 256)
        writer.writeAttributes(attributes)
        writer.writeByte(0xAB)  // a sentinel: the reader must stop exactly before it
        return writer.bytes
    }

    @Test("every key subset of every value kind, nested containers included, reads as the filtered full decode")
    func subsetsMatchTheFullDecode() throws {
        let all = WALEncodingFixtures.everyValue + [Attribute(key: "string", value: .string("a repeated key"))]
        let bytes = Self.encoded(all)
        let keySets: [[String]] = [[], ["string"], ["kvlist", "bytes"], ["array", "", "double.-inf"], ["absent"],
                                   all.map(\.key), ["nested", "inner", "deep"]]
        for keys in keySets {
            var reader = WALReader(bytes)
            let selected = try reader.readAttributes(selecting: keys.map { Array($0.utf8) })
            #expect(selected == all.filter { keys.contains($0.key) }, "keys \(keys)")
            #expect(try reader.readByte() == 0xAB, "stops at the end of the list for keys \(keys)")
            #expect(reader.isAtEnd)
        }
    }

    @Test("cut bytes and an unknown value tag fail rather than read past the list")
    func malformedInputFails() throws {
        let bytes = Self.encoded(WALEncodingFixtures.everyValue)
        for cut in stride(from: 1, to: bytes.count - 1, by: 3) {
            var reader = WALReader(Array(bytes[..<cut]))
            #expect(throws: WALDecodingError.self, "cut at \(cut)") { try reader.readAttributes(selecting: [Array("string".utf8)]) }
        }
        var writer = WALWriter(reservingCapacity: 16)
        writer.writeCount(1)
        writer.writeString("k")
        writer.writeByte(0x42)
        var reader = WALReader(writer.bytes)
        #expect(throws: WALDecodingError.self) { try reader.readAttributes(selecting: [Array("other".utf8)]) }
    }
}
