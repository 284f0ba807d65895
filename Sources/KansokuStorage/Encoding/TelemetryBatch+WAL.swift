import KansokuModel

extension TelemetryBatch where Item: WALEncodable {
    /// The batch encoded for the write-ahead log (format in `WALFormat`).
    public func walPayload() -> [UInt8] {
        var writer = WALWriter(reservingCapacity: walSizeHint)
        writer.writeByte(WALFormat.version)
        writer.writeByte(Item.walItemTag)
        writer.writeArray(resources) { resource, w in
            resource.resource.encode(to: &w)
            w.writeString(resource.schemaURL)
            w.writeArray(resource.scopes) { scope, w in
                scope.scope.encode(to: &w)
                w.writeString(scope.schemaURL)
                w.writeCount(scope.items.count)
                scope.items.withUnsafeBufferPointer { Item.encode($0, to: &w) }
            }
        }
        return writer.bytes
    }

    /// Decodes a payload written by `walPayload()`.
    ///
    /// - Throws: `WALDecodingError` naming the problem and its byte offset if
    ///   the payload has another version or item kind, is truncated, has
    ///   bytes left over, or is otherwise malformed.
    public init(walPayload: [UInt8]) throws(WALDecodingError) {
        var reader = WALReader(walPayload)
        guard !reader.isAtEnd else { throw reader.failure(.emptyPayload) }
        let version = try reader.readByte()
        guard version == WALFormat.version else {
            throw reader.failure(.unsupportedVersion(found: version, supported: WALFormat.version), at: 0)
        }
        let tag = try reader.readByte()
        guard tag == Item.walItemTag else {
            throw reader.failure(.wrongItemKind(expected: Item.walItemTag, found: tag), at: 1)
        }
        // Minimum sizes: empty resource = attrs + dropped + schema + scopes (1 byte each);
        // empty scope = name + version + attrs + dropped + schema + items.
        let resources = try reader.readArray(minimumElementSize: 4) { r throws(WALDecodingError) in
            let resource = try Resource(from: &r)
            let schemaURL = try r.readString()
            let scopes = try r.readArray(minimumElementSize: 6) { r throws(WALDecodingError) in
                let scope = try InstrumentationScope(from: &r)
                let schemaURL = try r.readString()
                let items = try r.readArray(minimumElementSize: Item.walMinimumEncodedSize) {
                    r throws(WALDecodingError) in try Item(from: &r)
                }
                return ScopedItems(scope: scope, schemaURL: schemaURL, items: items)
            }
            return ResourceItems(resource: resource, schemaURL: schemaURL, scopes: scopes)
        }
        guard reader.isAtEnd else { throw reader.failure(.trailingBytes(count: reader.remaining)) }
        self.init(resources: resources)
    }

    /// Roughly how many bytes `walPayload()` will produce.
    private var walSizeHint: Int {
        var total = 16
        for resource in resources {
            total += 64 + resource.resource.attributes.walSizeHint
            for scope in resource.scopes {
                total += 32 + scope.scope.name.utf8.count + scope.items.count
                scope.items.withUnsafeBufferPointer { items in
                    for index in items.indices { total += items[index].walSizeHint }
                }
            }
        }
        return total
    }
}
