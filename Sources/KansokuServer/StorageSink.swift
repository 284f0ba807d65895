import KansokuIngest
import KansokuModel
import KansokuStorage

/// Connects the receivers to the stores: the one place ingest meets storage.
struct StorageSink: TelemetrySink {
    let storage: TelemetryStorage

    func accept(_ batch: SpanBatch) async throws { try await storage.traces.append(batch) }
    func accept(_ batch: LogBatch) async throws { try await storage.logs.append(batch) }
    func accept(_ batch: SampleBatch) async throws -> SampleWriteResult {
        let report = try await storage.metrics.append(batch)
        return SampleWriteResult(acceptedSamples: report.acceptedSamples, rejectedSamples: report.rejectedSamples,
                                 message: report.summary)
    }
}
