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
        var resources: [ResourceItems<Item>] = []
        try Self.walk(walPayload: walPayload) { encoded throws(WALDecodingError) in
            let (resource, schemaURL) = try WALReader.resourceHeader(in: walPayload, at: encoded)
            resources.append(ResourceItems(resource: resource, schemaURL: schemaURL, scopes: []))
        } scope: { encoded, itemCount, reader throws(WALDecodingError) in
            let (scope, schemaURL) = try WALReader.scopeHeader(in: walPayload, at: encoded)
            var items: [Item] = []
            items.reserveCapacity(itemCount)
            for _ in 0..<itemCount { items.append(try Item(from: &reader)) }
            resources[resources.count - 1].scopes.append(ScopedItems(scope: scope, schemaURL: schemaURL, items: items))
        }
        self.init(resources: resources)
    }

    /// Reads a payload written by `walPayload()` without building the batch,
    /// for readers that take items where they lie: `resource` is called with
    /// where each resource and its schema URL lie in the payload, then
    /// `scope` for each of its scopes with where the scope and its schema URL
    /// lie and the reader at the scope's `itemCount` items, all of which
    /// `scope` must read.
    ///
    /// Headers are stepped over, not decoded, so that a reader meeting the
    /// same header bytes again can reuse what it made of them; their strings
    /// are not checked for valid UTF-8 until decoded
    /// (``WALReader/resourceHeader(in:at:)``, ``WALReader/scopeHeader(in:at:)``).
    ///
    /// - Throws: what ``init(walPayload:)`` throws, but for invalid UTF-8 in headers.
    static func walk(
        walPayload: [UInt8],
        resource: (_ encoded: Range<Int>) throws(WALDecodingError) -> Void,
        scope: (_ encoded: Range<Int>, _ itemCount: Int, _ reader: inout WALReader) throws(WALDecodingError) -> Void
    ) throws(WALDecodingError) {
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
        let resourceCount = try reader.readCount(minimumElementSize: 4)
        for _ in 0..<resourceCount {
            let resourceStart = reader.offset
            try reader.skipAttributes()
            _ = try reader.readVarUInt32()
            try reader.skip(try reader.readCount())
            try resource(resourceStart..<reader.offset)
            let scopeCount = try reader.readCount(minimumElementSize: 6)
            for _ in 0..<scopeCount {
                let scopeStart = reader.offset
                try reader.skip(try reader.readCount())
                try reader.skip(try reader.readCount())
                try reader.skipAttributes()
                _ = try reader.readVarUInt32()
                try reader.skip(try reader.readCount())
                let scopeEnd = reader.offset
                let itemCount = try reader.readCount(minimumElementSize: Item.walMinimumEncodedSize)
                try scope(scopeStart..<scopeEnd, itemCount, &reader)
            }
        }
        guard reader.isAtEnd else { throw reader.failure(.trailingBytes(count: reader.remaining)) }
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
