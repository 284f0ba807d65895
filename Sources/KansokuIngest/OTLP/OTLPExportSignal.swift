import KansokuModel
import KansokuWire
import SwiftProtobuf

/// What differs between the three OTLP export services, so the HTTP and gRPC
/// receivers are written once for all signals.
protocol OTLPExportSignal: SendableMetatype {
    associatedtype Request: SwiftProtobuf.Message & Sendable
    associatedtype Response: SwiftProtobuf.Message & Sendable
    associatedtype Item: Sendable & Hashable

    static var signal: Signal { get }
    /// The gRPC service, e.g. `opentelemetry.proto.collector.trace.v1.TraceService`.
    static var grpcService: String { get }
    /// Decodes an export request body into the model, rejecting invalid items one by one.
    static func decode(_ body: [UInt8], encoding: OTLPPayloadEncoding) throws(IngestError) -> ConversionOutcome<Item>
    /// Items counted for metrics and partial success: spans, log records or data points.
    static func count(_ batch: TelemetryBatch<Item>) -> Int
    /// Hands valid items to the sink; returns how many the store then refused, and why.
    static func deliver(_ batch: TelemetryBatch<Item>, with context: IngestContext) async throws -> (count: Int, message: String)
    static func response(rejected: Int, errorMessage: String) -> Response
}

enum OTLPTraces: OTLPExportSignal {
    typealias Request = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
    typealias Response = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse

    static var signal: Signal { .traces }
    static var grpcService: String { "opentelemetry.proto.collector.trace.v1.TraceService" }
    /// Protobuf goes straight to the model; JSON is first mapped to protobuf so there is one set of rules.
    static func decode(_ body: [UInt8], encoding: OTLPPayloadEncoding) throws(IngestError) -> ConversionOutcome<Span> {
        try OTLPSpanWireDecoder.decode(encoding.protobufBytes(Request.self, from: body))
    }
    static func count(_ batch: SpanBatch) -> Int { batch.itemCount }
    static func deliver(_ batch: SpanBatch, with context: IngestContext) async throws -> (count: Int, message: String) {
        try await context.sink.accept(batch)
        return (0, "")
    }

    static func response(rejected: Int, errorMessage: String) -> Response {
        var response = Response()
        if rejected > 0 || !errorMessage.isEmpty {
            response.partialSuccess.rejectedSpans = Int64(rejected)
            response.partialSuccess.errorMessage = errorMessage
        }
        return response
    }
}

enum OTLPLogs: OTLPExportSignal {
    typealias Request = Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceRequest
    typealias Response = Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceResponse

    static var signal: Signal { .logs }
    static var grpcService: String { "opentelemetry.proto.collector.logs.v1.LogsService" }
    static func decode(_ body: [UInt8], encoding: OTLPPayloadEncoding) throws(IngestError) -> ConversionOutcome<LogRecord> {
        try OTLPLogWireDecoder.decode(encoding.protobufBytes(Request.self, from: body))
    }
    static func count(_ batch: LogBatch) -> Int { batch.itemCount }
    static func deliver(_ batch: LogBatch, with context: IngestContext) async throws -> (count: Int, message: String) {
        try await context.sink.accept(batch)
        return (0, "")
    }

    static func response(rejected: Int, errorMessage: String) -> Response {
        var response = Response()
        if rejected > 0 || !errorMessage.isEmpty {
            response.partialSuccess.rejectedLogRecords = Int64(rejected)
            response.partialSuccess.errorMessage = errorMessage
        }
        return response
    }
}

enum OTLPMetrics: OTLPExportSignal {
    typealias Request = Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceRequest
    typealias Response = Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceResponse

    static var signal: Signal { .metrics }
    static var grpcService: String { "opentelemetry.proto.collector.metrics.v1.MetricsService" }
    /// Metrics arrive in far fewer, smaller requests than spans and logs: the generated decoder is fast enough.
    static func decode(_ body: [UInt8], encoding: OTLPPayloadEncoding) throws(IngestError) -> ConversionOutcome<Metric> {
        OTLPMetricConversion.convert(try encoding.decode(Request.self, from: body))
    }
    static func count(_ batch: MetricBatch) -> Int { batch.dataPointCount }
    /// Translated to Prometheus samples first; points the translation cannot
    /// keep and samples the store refuses are both reported as rejected
    /// (a refused sample counts as one rejected point).
    static func deliver(_ batch: MetricBatch, with context: IngestContext) async throws -> (count: Int, message: String) {
        let translation = context.metricTranslator.translate(batch)
        var reasons = translation.dropped.prefix(3).joined(separator: "; ")
        var refused = translation.dropped.count
        if translation.samples.seriesCount > 0 || !translation.samples.metadata.isEmpty {
            let result = try await context.sink.accept(translation.samples)
            refused += result.rejectedSamples
            if !result.message.isEmpty { reasons += (reasons.isEmpty ? "" : "; ") + result.message }
        }
        return (refused, reasons)
    }

    static func response(rejected: Int, errorMessage: String) -> Response {
        var response = Response()
        if rejected > 0 || !errorMessage.isEmpty {
            response.partialSuccess.rejectedDataPoints = Int64(rejected)
            response.partialSuccess.errorMessage = errorMessage
        }
        return response
    }
}
