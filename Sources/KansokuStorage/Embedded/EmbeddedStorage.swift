import KansokuModel
import Logging

/// Opens the embedded engine in a data directory: one write-ahead log per
/// signal under `<data>/wal/<signal>`, and trace blocks under
/// `<data>/traces/blocks`, log blocks under `<data>/logs/blocks`, metric blocks under `<data>/metrics/blocks` with the metrics WAL's series
/// checkpoint at `<data>/metrics/wal-checkpoint`. Opening replays and, if needed, repairs each log;
/// what was repaired is logged and returned.
public enum EmbeddedStorage {
    public struct Opened: Sendable {
        public let storage: TelemetryStorage
        public let repairs: [Signal: WALRepairReport]
        /// Stores with background work to run periodically (WAL segments or the metrics head into blocks).
        public let compactors: [any Compacting]
    }

    public static func open(dataDirectory: String, walOptions: WALOptions = WALOptions(),
                            traceRetention: TraceRetention = TraceRetention(), logRetention: LogRetention = LogRetention(),
                            logLabelMapping: LogLabelMapping = LogLabelMapping(),
                            metricLimits: MetricLimits = MetricLimits(), metricOptions: MetricStoreOptions = MetricStoreOptions(),
                            logger: Logger) throws -> Opened {
        func openLog(_ signal: Signal) throws -> WriteAheadLog {
            try WriteAheadLog(directory: "\(dataDirectory)/wal/\(signal.rawValue)", signal: signal.rawValue,
                              options: walOptions, logger: logger)
        }
        let traces = try openLog(.traces)
        let logs = try openLog(.logs)
        let metrics = try openLog(.metrics)
        let traceStore = try TraceStore(log: traces, blocksDirectory: "\(dataDirectory)/traces/blocks",
                                        retention: traceRetention, logger: logger)
        let metricStore = try EmbeddedMetricStore(log: metrics, blocksDirectory: "\(dataDirectory)/metrics/blocks",
                                                  checkpointPath: "\(dataDirectory)/metrics/wal-checkpoint",
                                                  limits: metricLimits, options: metricOptions, logger: logger)
        let logStore = try LogStore(log: logs, blocksDirectory: "\(dataDirectory)/logs/blocks", mapping: logLabelMapping,
                                    retention: logRetention, logger: logger)
        let storage = TelemetryStorage(traces: traceStore, logs: logStore, metrics: metricStore)
        return Opened(storage: storage,
                      repairs: [.traces: traces.repairReport, .logs: logs.repairReport, .metrics: metrics.repairReport],
                      compactors: [traceStore, metricStore, logStore])
    }
}
