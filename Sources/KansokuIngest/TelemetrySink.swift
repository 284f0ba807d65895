import KansokuModel

/// Where receivers hand decoded batches. Implemented by the server with the
/// storage engine behind it, so ingest knows nothing about how data is kept.
///
/// A call returns only once the batch is durable; receivers acknowledge the
/// client after that and never before.
public protocol TelemetrySink: Sendable {
    func accept(_ batch: SpanBatch) async throws
    func accept(_ batch: LogBatch) async throws
    /// Log lines still in their request's bytes (Loki protobuf pushes), to be
    /// stored as ``LogLineBatch/logBatch()``; a sink may write them without
    /// converting them first.
    func accept(_ lines: LogLineBatch) async throws
    /// Metric samples in Prometheus's shape (OTLP metrics are translated
    /// before they get here). Storage may refuse single samples (out of
    /// order, over a limit) while keeping the rest; the result says which.
    func accept(_ batch: SampleBatch) async throws -> SampleWriteResult
}

extension TelemetrySink {
    /// Converts the lines and accepts the batch they make.
    public func accept(_ lines: LogLineBatch) async throws {
        try await accept(lines.logBatch())
    }
}

/// What the store did with a batch of samples.
public struct SampleWriteResult: Sendable, Hashable {
    public var acceptedSamples: Int
    public var rejectedSamples: Int
    /// The rejections in Prometheus's wording (first few), empty when none.
    public var message: String

    public init(acceptedSamples: Int, rejectedSamples: Int = 0, message: String = "") {
        self.acceptedSamples = acceptedSamples
        self.rejectedSamples = rejectedSamples
        self.message = message
    }
}

/// Why a receiver refused a request before or while handing it to the sink.
/// Each case maps to one HTTP status and one gRPC status code.
public enum IngestError: Error, Sendable, CustomStringConvertible {
    /// The body could not be decoded (HTTP 400, gRPC INVALID_ARGUMENT).
    case malformed(String)
    /// The body is larger than allowed after decompression (HTTP 413, gRPC RESOURCE_EXHAUSTED).
    case tooLarge(limit: Int)
    /// The Content-Type is not one OTLP/HTTP defines (HTTP 415).
    case unsupportedContentType(String)
    /// A body this receiver cannot take for another reason of form, such as
    /// an encoding or protocol version it does not speak; the text says which (HTTP 415).
    case unsupportedMediaType(String)
    /// Too much is already waiting to be written; the client should retry (HTTP 429, gRPC UNAVAILABLE).
    case overloaded(retryAfterSeconds: Int)
    /// Storage failed to make the batch durable (HTTP 503, gRPC UNAVAILABLE).
    case storageUnavailable(String)

    /// Seconds a client should wait before retrying, for the errors that are worth a retry.
    public var retryAfterSeconds: Int? {
        switch self {
        case .overloaded(let seconds): seconds
        case .storageUnavailable: 1
        case .malformed, .tooLarge, .unsupportedContentType, .unsupportedMediaType: nil
        }
    }

    public var description: String {
        switch self {
        case .malformed(let why): "malformed request: \(why)"
        case .tooLarge(let limit): "request body exceeds the limit of \(limit) bytes after decompression"
        case .unsupportedMediaType(let why): why
        case .unsupportedContentType(let type):
            "unsupported Content-Type \"\(type)\": use application/x-protobuf or application/json"
        case .overloaded(let seconds): "ingest queue is full; retry after \(seconds)s"
        case .storageUnavailable(let why): "storage could not persist the batch: \(why)"
        }
    }
}
