import KansokuModel
import Logging

/// The steps every OTLP export shares, whatever the transport: convert to the
/// model, hand valid items to the sink (which returns once they are durable),
/// count, and build the response with `partial_success` for rejected items.
struct OTLPExportHandler<S: OTLPExportSignal>: Sendable {
    let context: IngestContext
    let metrics: IngestMetrics
    var logger: Logger { context.logger }

    init(context: IngestContext, protocol transport: IngestProtocol) {
        self.context = context
        self.metrics = IngestMetrics(signal: S.signal, protocol: transport)
    }

    /// Decodes `body` and hands the valid items to the sink.
    func export(_ body: [UInt8], encoding: OTLPPayloadEncoding) async throws(IngestError) -> S.Response {
        var outcome = try S.decode(body, encoding: encoding)
        if !outcome.batch.isEmpty {
            let refused = try await IngestError.storing("otlp \(S.signal.rawValue)", logger: logger) {
                try await S.deliver(outcome.batch, with: context)
            }
            if refused.count > 0 { outcome.reject(refused.count, refused.message) }
            metrics.record(accepted: S.count(outcome.batch) - refused.count)
        }
        metrics.record(rejected: outcome.rejected)
        if outcome.rejected > 0 {
            logger.debug("rejected items in export", metadata: [
                "signal": "\(S.signal.rawValue)", "rejected": "\(outcome.rejected)", "reason": "\(outcome.errorMessage)",
            ])
        }
        return S.response(rejected: outcome.rejected, errorMessage: outcome.errorMessage)
    }

    func record(_ error: IngestError) { metrics.record(error) }
}
