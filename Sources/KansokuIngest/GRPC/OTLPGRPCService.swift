import GRPCCore
import GRPCProtobuf
import KansokuModel
import Logging

/// OTLP/gRPC: the `Export` method of TraceService, MetricsService and
/// LogsService. Registered by hand rather than with generated stubs: three
/// unary methods do not justify a second code generator.
public struct OTLPGRPCService: RegistrableRPCService {
    public let context: IngestContext

    public init(context: IngestContext) {
        self.context = context
    }

    /// The payload limit to give the gRPC transport. The transport resets the
    /// stream when a message exceeds its limit, which clients report only as
    /// CANCELLED; a looser transport bound lets the handler refuse moderately
    /// oversized messages with RESOURCE_EXHAUSTED and a message instead.
    public static func transportPayloadLimit(forMaxRequestBytes limit: Int) -> Int {
        let (loose, overflow) = limit.multipliedReportingOverflow(by: 4)
        return overflow ? Int.max : loose
    }

    public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        register(OTLPTraces.self, with: &router)
        register(OTLPMetrics.self, with: &router)
        register(OTLPLogs.self, with: &router)
    }

    private func register<S: OTLPExportSignal, Transport: ServerTransport>(_: S.Type, with router: inout RPCRouter<Transport>) {
        let handler = OTLPExportHandler<S>(context: context, protocol: .otlpGRPC)
        let budget = context.budget
        let maxRequestBytes = context.maxRequestBytes
        router.registerHandler(
            forMethod: MethodDescriptor(fullyQualifiedService: S.grpcService, method: "Export"),
            // Raw bytes in: the handler decodes, so it knows the size for the
            // budget and words the error itself.
            deserializer: RawBytesDeserializer(),
            serializer: ProtobufSerializer<S.Response>()
        ) { streamingRequest, _ in
            let request = try await ServerRequest(stream: streamingRequest)
            let body = request.message
            do throws(IngestError) {
                guard body.count <= maxRequestBytes else { throw .tooLarge(limit: maxRequestBytes) }
                let response = try await budget.withReservation(of: body.count) { () throws(IngestError) in
                    try await handler.export(body, encoding: .protobuf)
                }
                return StreamingServerResponse(single: ServerResponse(message: response))
            } catch {
                handler.record(error)
                return StreamingServerResponse(single: ServerResponse(error: Self.rpcError(error)))
            }
        }
    }

    static func rpcError(_ error: IngestError) -> RPCError {
        let code: RPCError.Code = switch error {
        case .malformed, .unsupportedContentType, .unsupportedMediaType: .invalidArgument
        case .tooLarge: .resourceExhausted
        // UNAVAILABLE is the code OTLP clients retry without further hints.
        case .overloaded, .storageUnavailable: .unavailable
        }
        return RPCError(code: code, message: error.description)
    }
}

/// Hands the request payload through undecoded.
struct RawBytesDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { [UInt8]($0) }
    }
}
