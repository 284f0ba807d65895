import KansokuModel
import Logging

/// The embedded engine's store for one signal as it stands today: each batch
/// is encoded and appended to the signal's write-ahead log, and reads replay
/// the log. Only logs still use it (traces and metrics have their own
/// stores); a logs block store will take data from here and let the log drop
/// segments it has persisted.
public final class WALSignalStore<Item: WALEncodable>: SignalStore {
    public let log: WriteAheadLog
    private let logger: Logger

    public init(log: WriteAheadLog, logger: Logger) {
        self.log = log
        self.logger = logger
    }

    public func append(_ batch: TelemetryBatch<Item>) async throws {
        _ = try await log.append(batch.walPayload())
    }

    public func forEachBatch(_ visit: (TelemetryBatch<Item>) throws -> Bool) throws {
        for record in try log.records() {
            let batch: TelemetryBatch<Item>
            do {
                batch = try TelemetryBatch<Item>(walPayload: record.payload)
            } catch {
                // The record passed its checksum, so this is a format bug, not disk damage: say so loudly and go on.
                logger.error("undecodable WAL record", metadata: [
                    "segment": "\(record.position.segment)", "offset": "\(record.position.offset)", "error": "\(error)",
                ])
                continue
            }
            guard try visit(batch) else { return }
        }
    }

    public func close() async {
        await log.close()
    }
}
