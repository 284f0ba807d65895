import KansokuModel

/// The attribute catalogue section (kind 7): the block's span attribute keys
/// with their value kinds and up to ``TraceAttributeCatalog/valuesPerKey``
/// smallest distinct values, status codes and messages, and which operations
/// have root spans. Resource attributes are not stored: they are derived from
/// the resources table when the section is read.
///
/// ```text
/// catalog := valuesPerKey:uvar statusCodes:u8 count rootOperation:uvar*
///            statusMessages:summary count (key:str summary)*
/// summary := types:u8 complete:u8 count value*
/// value   := 0 str | 1 svar | 2 f64 | 3 u8
/// ```
///
/// `statusCodes` has bit `1 << code`; root operations are ascending indices
/// into the metadata's operations; keys and each summary's values are
/// strictly ascending (``TraceAttributeValue`` order); an incomplete summary
/// lists exactly `valuesPerKey` values. Optional: blocks written before it
/// have none, and their catalogue is unknown until their spans are scanned.
enum TraceBlockAttributeCatalog {
    static func encode(_ catalog: TraceAttributeCatalog, operations: [TraceBlockMetadata.Operation], valuesPerKey: Int) -> [UInt8] {
        var w = WALWriter(reservingCapacity: 256 + catalog.spanAttributes.count * 512)
        w.writeCount(valuesPerKey)
        w.writeByte(catalog.statusCodes.reduce(0) { $0 | 1 << UInt8(truncatingIfNeeded: $1.rawValue) })
        let operationIndex = Dictionary(uniqueKeysWithValues: operations.enumerated().map { ($1, $0) })
        w.writeArray(catalog.rootOperations.compactMap { operationIndex[$0] }.sorted()) { i, w in w.writeCount(i) }
        encode(catalog.statusMessages, to: &w)
        w.writeArray(catalog.spanAttributes.keys.sorted()) { key, w in
            w.writeString(key)
            encode(catalog.spanAttributes[key]!, to: &w)
        }
        return w.bytes
    }

    private static func encode(_ summary: TraceAttributeSummary, to w: inout WALWriter) {
        w.writeByte(summary.types.rawValue)
        w.writeBool(summary.isComplete)
        w.writeArray(summary.values) { value, w in
            switch value {
            case .string(let s): w.writeByte(0); w.writeString(s)
            case .int(let i): w.writeByte(1); w.writeVarInt(i)
            case .double(let d): w.writeByte(2); w.writeDouble(d)
            case .bool(let b): w.writeByte(3); w.writeBool(b)
            }
        }
    }

    /// Decodes and checks the section; `resourceAttributes` stays empty
    /// (see ``resourceAttributes(of:)``).
    static func decode(_ bytes: [UInt8], operations: [TraceBlockMetadata.Operation],
                       path: String) throws(TraceBlockError) -> TraceAttributeCatalog {
        func malformed(_ detail: String) -> TraceBlockError {
            .malformed(path: path, section: TraceBlockSectionKind.attributeCatalog.name, detail: detail)
        }
        var r = WALReader(bytes)
        var catalog = TraceAttributeCatalog()
        let valuesPerKey: Int
        var rootIndices: [Int] = []
        var keys: [(String, TraceAttributeSummary)] = []
        do throws(WALDecodingError) {
            valuesPerKey = try r.readInt()
            let codeBits = try r.readByte()
            catalog.statusCodes = Set((0..<8).compactMap { codeBits & 1 << $0 == 0 ? nil : SpanStatus.Code(rawValue: Int32($0)) })
            guard catalog.statusCodes.reduce(0, { $0 | 1 << UInt8($1.rawValue) }) == codeBits else {
                throw r.failure(.invalidTag(field: "status code set", value: UInt64(codeBits)), at: r.offset - 1)
            }
            rootIndices = try r.readArray(minimumElementSize: 1) { r throws(WALDecodingError) in try r.readInt() }
            catalog.statusMessages = try summary(&r)
            keys = try r.readArray(minimumElementSize: 4) { r throws(WALDecodingError) in (try r.readString(), try summary(&r)) }
            guard r.isAtEnd else { throw r.failure(.trailingBytes(count: r.remaining)) }
        } catch {
            throw malformed(error.description)
        }
        for (a, b) in zip(rootIndices, rootIndices.dropFirst()) where a >= b { throw malformed("root operations out of order") }
        if let last = rootIndices.last, last >= operations.count {
            throw malformed("root operation \(last) of \(operations.count) operations")
        }
        catalog.rootOperations = Set(rootIndices.map { operations[$0] })
        for (a, b) in zip(keys, keys.dropFirst()) where a.0 >= b.0 { throw malformed("key \"\(b.0)\" out of order") }
        for (key, summary) in [("status messages", catalog.statusMessages)] + keys {
            try check(summary, valuesPerKey: valuesPerKey, label: key, malformed)
        }
        guard catalog.statusMessages.values.allSatisfy({ $0.type == .string }) else { throw malformed("a status message is not a string") }
        catalog.spanAttributes = Dictionary(uniqueKeysWithValues: keys)
        return catalog
    }

    private static func summary(_ r: inout WALReader) throws(WALDecodingError) -> TraceAttributeSummary {
        let types = TraceAttributeTypes(rawValue: try r.readByte())
        let isComplete = try r.readBool()
        let values = try r.readArray(minimumElementSize: 2) { r throws(WALDecodingError) -> TraceAttributeValue in
            let start = r.offset
            switch try r.readByte() {
            case 0: return .string(try r.readString())
            case 1: return .int(try r.readVarInt())
            case 2: return .double(try r.readDouble())
            case 3: return .bool(try r.readBool())
            case let tag: throw r.failure(.invalidTag(field: "catalogue value type", value: UInt64(tag)), at: start)
            }
        }
        return TraceAttributeSummary(types: types, values: values, isComplete: isComplete)
    }

    private static func check(_ summary: TraceAttributeSummary, valuesPerKey: Int, label: String,
                              _ malformed: (String) -> TraceBlockError) throws(TraceBlockError) {
        let values = summary.values
        guard values.count <= valuesPerKey, summary.isComplete || values.count == valuesPerKey else {
            throw malformed("\(label) lists \(values.count) values (cap \(valuesPerKey), complete: \(summary.isComplete))")
        }
        for (a, b) in zip(values, values.dropFirst()) where !(a < b) { throw malformed("values of \(label) out of order") }
        guard values.allSatisfy({ summary.types.contains($0.type) }) else { throw malformed("\(label) lists a value of a type it lacks") }
    }

    /// The resource scope of a block's catalogue, from its resources table:
    /// every value, uncapped.
    static func resourceAttributes(of resources: [TraceBlockResourceEntry]) -> [String: TraceAttributeSummary] {
        var builder = TraceAttributeCatalogBuilder()
        for entry in resources { builder.add(resource: entry.resource) }
        return builder.build().resourceAttributes
    }
}
