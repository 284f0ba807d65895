import KansokuModel
import Logging

/// The steps every OTLP export shares, whatever the transport: convert to the
/// model, hand valid items to the sink (which returns once they are durable),
/// count, and build the response with `partial_success` for rejected items.
struct OTLPExportHandler<S: OTLPExportSignal>: Sendable {
    let sink: any TelemetrySink
    let metrics: IngestMetrics
    let logger: Logger

    init(sink: any TelemetrySink, protocol transport: IngestProtocol, logger: Logger) {
        self.sink = sink
        self.metrics = IngestMetrics(signal: S.signal, protocol: transport)
        self.logger = logger
    }

    /// Decodes `body` and hands the valid items to the sink.
    func export(_ body: [UInt8], encoding: OTLPPayloadEncoding) async throws(IngestError) -> S.Response {
        let outcome = try S.decode(body, encoding: encoding)
        metrics.record(rejected: outcome.rejected)
        if outcome.rejected > 0 {
            logger.debug("rejected items in export", metadata: [
                "signal": "\(S.signal.rawValue)", "rejected": "\(outcome.rejected)", "reason": "\(outcome.errorMessage)",
            ])
        }
        if !outcome.batch.isEmpty {
            try await IngestError.storing("otlp \(S.signal.rawValue)", logger: logger) {
                try await S.deliver(outcome.batch, to: sink)
            }
            metrics.record(accepted: S.count(outcome.batch))
        }
        return S.response(rejected: outcome.rejected, errorMessage: outcome.errorMessage)
    }

    func record(_ error: IngestError) { metrics.record(error) }
}
