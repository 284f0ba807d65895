import Hummingbird
import KansokuModel
import Logging

/// Prometheus remote_write 1.0, `POST /api/v1/write`: a snappy-compressed
/// protobuf `WriteRequest`. Status codes follow what senders act on: 204 when
/// all is stored; 400 (never retried) naming what was refused (series with
/// bad labels or an invalid native histogram), after storing the rest; 413 and 415 for bodies it cannot take; 429 and 503 (retried)
/// when busy or when storage failed, with nothing acknowledged.
public struct RemoteWriteReceiver: Sendable {
    public let context: IngestContext
    private let metrics = IngestMetrics(signal: .metrics, protocol: .prometheusRemoteWrite)
    private let labelCache = RemoteWriteLabelCache()

    public init(context: IngestContext) {
        self.context = context
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.post("/api/v1/write") { request, _ -> Response in
            await self.handle(request)
        }
    }

    private func handle(_ request: Request) async -> Response {
        do throws(IngestError) {
            try Self.checkHeaders(request)
            let body = try await HTTPBodyReader(maxBytes: context.maxRequestBytes, handlesContentEncoding: false).read(request)
            let (decoded, result) = try await context.budget.withReservation(of: body.count) { () throws(IngestError) in
                let raw = try SnappyBlock.uncompress(body, maxBytes: context.maxRequestBytes)
                // An untyped closure: `withUnsafeBytes` is rethrows, and typed throws through it crash the compiler.
                let decoding = raw.withUnsafeBytes { bytes in
                    Result { () throws(RemoteWriteDecodingError) in try RemoteWriteDecoder.decode(bytes, labelCache: labelCache) }
                }
                let decoded: RemoteWriteRequest
                switch decoding {
                case .success(let request): decoded = request
                case .failure(let error): throw .malformed(error.description)
                }
                var result = SampleWriteResult(acceptedSamples: 0)
                if decoded.batch.seriesCount > 0 || !decoded.batch.metadata.isEmpty {
                    result = try await IngestError.storing("remote write", logger: context.logger) {
                        try await context.sink.accept(decoded.batch)
                    }
                }
                return (decoded, result)
            }
            let rejectedSamples = decoded.rejected.reduce(0) { $0 + $1.sampleCount } + result.rejectedSamples
            metrics.record(accepted: result.acceptedSamples)
            metrics.record(rejected: rejectedSamples)
            var problems = decoded.rejected.prefix(5).map(\.description)
            if decoded.rejected.count > 5 { problems.append("\(decoded.rejected.count - 5) more series refused") }
            if !result.message.isEmpty { problems.append(result.message) }
            guard problems.isEmpty else {
                return IngestHTTPResponses.text(problems.joined(separator: "; ") + "\n", status: .badRequest)
            }
            return Response(status: .noContent)
        } catch {
            metrics.record(error)
            return IngestHTTPResponses.text(for: error)
        }
    }

    /// Remote write 1.0 is `application/x-protobuf` with snappy; 2.0 bodies
    /// (`proto=io.prometheus.write.v2.Request`) and other encodings are refused
    /// with 415 so a sender can fall back instead of retrying.
    static func checkHeaders(_ request: Request) throws(IngestError) {
        if let contentType = request.headers[.contentType] {
            let media = MediaType.of(contentType)
            guard media == "application/x-protobuf" else {
                throw .unsupportedMediaType("unsupported Content-Type \"\(contentType)\": remote write takes application/x-protobuf")
            }
            if contentType.contains("proto="), !contentType.contains("prometheus.WriteRequest") {
                throw .unsupportedMediaType("unsupported remote write protobuf message \"\(contentType)\": only remote write 1.0 (prometheus.WriteRequest) is supported")
            }
        }
        if let encoding = request.headers[.contentEncoding], encoding.lowercased() != "snappy" {
            throw .unsupportedMediaType("unsupported Content-Encoding \"\(encoding)\": remote write bodies are snappy-compressed")
        }
    }
}
