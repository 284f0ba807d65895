import KansokuIngest
import KansokuModel
import KansokuStorage

/// Connects the receivers to the stores: the one place ingest meets storage.
/// Log batches go on to the live tails once they are durable.
struct StorageSink: TelemetrySink {
    let storage: TelemetryStorage
    let logTail: LogTailHub

    func accept(_ batch: SpanBatch) async throws { try await storage.traces.append(batch) }
    func accept(_ batch: LogBatch) async throws {
        try await storage.logs.append(batch)
        logTail.publish(batch)
    }
    func accept(_ lines: LogLineBatch) async throws {
        try await storage.logs.append(lines)
        logTail.publish(lines)
    }
    func accept(_ batch: SampleBatch) async throws -> SampleWriteResult {
        let report = try await storage.metrics.append(batch)
        return SampleWriteResult(acceptedSamples: report.acceptedSamples, rejectedSamples: report.rejectedSamples,
                                 message: report.summary)
    }
}
