import KansokuModel

/// The shape every OTLP export request shares, decoded straight from the
/// wire: request → resource_X (1) → { resource (1), scope_X (2), schema_url (3) }
/// → { scope (1), items (2), schema_url (3) }. Traces and logs plug in how to
/// decode one item; an item that decodes but is invalid is rejected alone.
enum OTLPWireEnvelope {
    /// Names used in rejection messages, e.g. `resource_spans[0].scope_spans[1].spans[7]`.
    struct Names {
        var resources: String
        var scopes: String
        var items: String
    }

    /// Decodes one item; `.failure` rejects it, a thrown error rejects the whole request.
    typealias ItemDecoder<Item> = (inout ProtobufReader) throws(ProtobufWireError) -> Result<Item, ItemRejection>

    static func decode<Item: Sendable & Hashable>(
        _ body: [UInt8], names: Names, item decodeItem: ItemDecoder<Item>
    ) throws(IngestError) -> ConversionOutcome<Item> {
        var outcome = ConversionOutcome<Item>()
        do {
            // An untyped closure: a typed-throws one passed to `withUnsafeBytes` crashes the 6.3 compiler.
            try body.withUnsafeBytes { buffer in
                try decodeRequest(buffer, names: names, outcome: &outcome, item: decodeItem)
            }
        } catch {
            throw .malformed("invalid protobuf: \(error)")
        }
        return outcome
    }

    private static func decodeRequest<Item: Sendable & Hashable>(
        _ buffer: UnsafeRawBufferPointer, names: Names,
        outcome: inout ConversionOutcome<Item>, item decodeItem: ItemDecoder<Item>
    ) throws(ProtobufWireError) {
        var request = ProtobufReader(buffer)
        var resourceIndex = 0
        while let (field, type) = try request.nextField() {
            guard field == 1 else { try request.skip(type); continue }
            try request.expect(type, .lengthDelimited, field: "resource entries")
            var resourceReader = try request.message()
            let path = "\(names.resources)[\(resourceIndex)]"
            if let resource = try decodeResource(&resourceReader, path: path, names: names, outcome: &outcome, item: decodeItem) {
                outcome.batch.resources.append(resource)
            }
            resourceIndex += 1
        }
    }

    private static func decodeResource<Item: Sendable & Hashable>(
        _ reader: inout ProtobufReader, path: String, names: Names,
        outcome: inout ConversionOutcome<Item>, item decodeItem: ItemDecoder<Item>
    ) throws(ProtobufWireError) -> ResourceItems<Item>? {
        var resource = Resource()
        var schemaURL = ""
        var scopes = [ScopedItems<Item>]()
        var scopeIndex = 0
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(type, .lengthDelimited, field: "resource")
                var inner = try reader.message()
                resource = try OTLPWireCommon.resource(&inner)
            case 2:
                try reader.expect(type, .lengthDelimited, field: "scope entries")
                var inner = try reader.message()
                let scopePath = "\(path).\(names.scopes)[\(scopeIndex)]"
                if let scoped = try decodeScope(&inner, path: scopePath, names: names, outcome: &outcome, item: decodeItem) {
                    scopes.append(scoped)
                }
                scopeIndex += 1
            case 3:
                try reader.expect(type, .lengthDelimited, field: "schema_url")
                schemaURL = try reader.string()
            default:
                try reader.skip(type)
            }
        }
        return scopes.isEmpty ? nil : ResourceItems(resource: resource, schemaURL: schemaURL, scopes: scopes)
    }

    private static func decodeScope<Item: Sendable & Hashable>(
        _ reader: inout ProtobufReader, path: String, names: Names,
        outcome: inout ConversionOutcome<Item>, item decodeItem: ItemDecoder<Item>
    ) throws(ProtobufWireError) -> ScopedItems<Item>? {
        var scope = InstrumentationScope()
        var schemaURL = ""
        var items = [Item]()
        var itemIndex = 0
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(type, .lengthDelimited, field: "scope")
                var inner = try reader.message()
                scope = try OTLPWireCommon.scope(&inner)
            case 2:
                try reader.expect(type, .lengthDelimited, field: "items")
                var inner = try reader.message()
                switch try decodeItem(&inner) {
                case .success(let item): items.append(item)
                case .failure(let rejection): outcome.reject(1, "\(path).\(names.items)[\(itemIndex)]: \(rejection)")
                }
                itemIndex += 1
            case 3:
                try reader.expect(type, .lengthDelimited, field: "schema_url")
                schemaURL = try reader.string()
            default:
                try reader.skip(type)
            }
        }
        return items.isEmpty ? nil : ScopedItems(scope: scope, schemaURL: schemaURL, items: items)
    }
}

/// Why one span or log record was rejected while the rest of its batch was kept.
enum ItemRejection: Error, CustomStringConvertible {
    case invalidID(IDError)
    case endBeforeStart(start: UInt64, end: UInt64)

    var description: String {
        switch self {
        case .invalidID(let error): error.description
        case .endBeforeStart(let start, let end): "end_time_unix_nano \(end) is before start_time_unix_nano \(start)"
        }
    }
}
