import Foundation
import SwiftProtobuf

/// The two OTLP/HTTP body encodings.
public enum OTLPPayloadEncoding: Sendable {
    case protobuf
    case json

    /// The encoding named by a Content-Type header (parameters such as charset ignored).
    public init(contentType: String) throws(IngestError) {
        switch MediaType.of(contentType) {
        case "application/x-protobuf", "application/protobuf": self = .protobuf
        case "application/json": self = .json
        default: throw .unsupportedContentType(contentType)
        }
    }

    public var contentType: String {
        switch self {
        case .protobuf: "application/x-protobuf"
        case .json: "application/json"
        }
    }

    func decode<Message: SwiftProtobuf.Message>(_ type: Message.Type, from body: [UInt8]) throws(IngestError) -> Message {
        switch self {
        case .protobuf:
            do {
                return try Message(serializedBytes: body)
            } catch {
                throw .malformed("invalid protobuf for \(Message.protoMessageName): \(error)")
            }
        case .json:
            let normalized = try OTLPJSONIDs.rewriteHexIDs(body)
            var options = JSONDecodingOptions()
            options.ignoreUnknownFields = true  // OTLP: receivers must ignore unknown fields
            do {
                return try Message(jsonUTF8Data: normalized, options: options)
            } catch {
                throw .malformed("invalid OTLP/JSON for \(Message.protoMessageName): \(error)")
            }
        }
    }

    /// The body as protobuf wire bytes: as is for protobuf, re-encoded for JSON.
    func protobufBytes<Message: SwiftProtobuf.Message>(_ type: Message.Type, from body: [UInt8]) throws(IngestError) -> [UInt8] {
        switch self {
        case .protobuf:
            return body
        case .json:
            let message = try decode(type, from: body)
            do {
                return try message.serializedBytes()
            } catch {
                throw .malformed("OTLP/JSON for \(Message.protoMessageName) cannot be represented as protobuf: \(error)")
            }
        }
    }

    func encode(_ message: some SwiftProtobuf.Message) throws -> [UInt8] {
        switch self {
        case .protobuf: try message.serializedBytes()
        case .json: try message.jsonUTF8Bytes()
        }
    }
}
