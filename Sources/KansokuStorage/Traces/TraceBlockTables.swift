import KansokuModel

/// A resource as stored once per block, with the schema URL it came with.
struct TraceBlockResourceEntry: Sendable, Hashable {
    var resource: Resource
    var schemaURL: String
    /// The service the metadata and the service filter use for it.
    var serviceName: String { resource.serviceName ?? "" }
}

/// An instrumentation scope as stored once per block, with its schema URL.
struct TraceBlockScopeEntry: Sendable, Hashable {
    var scope: InstrumentationScope
    var schemaURL: String
}

/// The block-wide tables that rows refer to by index. Each is small next to
/// the columns (a few hundred distinct names, a few dozen resources), so it
/// is decompressed whole and kept.
///
/// ```text
/// names     := count str*
/// resources := count (attrs dropped:uvar schemaURL:str)*
/// scopes    := count (name:str version:str attrs dropped:uvar schemaURL:str)*
/// ```
enum TraceBlockTables {
    static func encode(names: [String]) -> [UInt8] {
        var w = WALWriter(reservingCapacity: names.count * 16)
        w.writeArray(names) { name, w in w.writeString(name) }
        return w.bytes
    }

    static func encode(resources: [TraceBlockResourceEntry]) -> [UInt8] {
        var w = WALWriter(reservingCapacity: resources.count * 256)
        w.writeArray(resources) { entry, w in
            entry.resource.encode(to: &w)
            w.writeString(entry.schemaURL)
        }
        return w.bytes
    }

    static func encode(scopes: [TraceBlockScopeEntry]) -> [UInt8] {
        var w = WALWriter(reservingCapacity: scopes.count * 64)
        w.writeArray(scopes) { entry, w in
            entry.scope.encode(to: &w)
            w.writeString(entry.schemaURL)
        }
        return w.bytes
    }

    static func decodeNames(_ bytes: [UInt8], path: String) throws(TraceBlockError) -> [String] {
        try decode(bytes, kind: .names, path: path) { r throws(WALDecodingError) in
            try r.readArray(minimumElementSize: 1) { r throws(WALDecodingError) in try r.readString() }
        }
    }

    static func decodeResources(_ bytes: [UInt8], path: String) throws(TraceBlockError) -> [TraceBlockResourceEntry] {
        try decode(bytes, kind: .resources, path: path) { r throws(WALDecodingError) in
            try r.readArray(minimumElementSize: 3) { r throws(WALDecodingError) in
                let resource = try Resource(from: &r)
                return TraceBlockResourceEntry(resource: resource, schemaURL: try r.readString())
            }
        }
    }

    static func decodeScopes(_ bytes: [UInt8], path: String) throws(TraceBlockError) -> [TraceBlockScopeEntry] {
        try decode(bytes, kind: .scopes, path: path) { r throws(WALDecodingError) in
            try r.readArray(minimumElementSize: 5) { r throws(WALDecodingError) in
                let scope = try InstrumentationScope(from: &r)
                return TraceBlockScopeEntry(scope: scope, schemaURL: try r.readString())
            }
        }
    }

    private static func decode<T>(
        _ bytes: [UInt8], kind: TraceBlockSectionKind, path: String,
        _ body: (inout WALReader) throws(WALDecodingError) -> T
    ) throws(TraceBlockError) -> T {
        var reader = WALReader(bytes)
        do throws(WALDecodingError) {
            let value = try body(&reader)
            guard reader.isAtEnd else { throw reader.failure(.trailingBytes(count: reader.remaining)) }
            return value
        } catch {
            throw .malformed(path: path, section: kind.name, detail: error.description)
        }
    }
}
