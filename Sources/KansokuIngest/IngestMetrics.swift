import KansokuModel
import Metrics

/// The transports Kansoku receives data on; a label on ingest metrics.
public enum IngestProtocol: String, Sendable {
    case otlpGRPC = "otlp_grpc"
    case otlpHTTP = "otlp_http"
    case zipkinHTTP = "zipkin_http"
    case lokiPush = "loki_push"
    case elasticsearchBulk = "elasticsearch_bulk"
    case prometheusRemoteWrite = "prometheus_remote_write"
}

/// Counters of what each receiver accepted and rejected, per signal and protocol.
struct IngestMetrics: Sendable {
    private let accepted: Counter
    private let rejected: Counter
    private let requestErrors: [String: Counter]

    init(signal: Signal, protocol transport: IngestProtocol) {
        let dimensions = [("signal", signal.rawValue), ("protocol", transport.rawValue)]
        accepted = Counter(label: "kansoku_ingest_items_accepted_total", dimensions: dimensions)
        rejected = Counter(label: "kansoku_ingest_items_rejected_total", dimensions: dimensions)
        var errors = [String: Counter]()
        for reason in ["malformed", "too_large", "unsupported_content_type", "overloaded", "storage_unavailable"] {
            errors[reason] = Counter(label: "kansoku_ingest_request_errors_total", dimensions: dimensions + [("reason", reason)])
        }
        requestErrors = errors
    }

    func record(accepted count: Int) { if count > 0 { accepted.increment(by: count) } }
    func record(rejected count: Int) { if count > 0 { rejected.increment(by: count) } }

    func record(_ error: IngestError) {
        let reason = switch error {
        case .malformed: "malformed"
        case .tooLarge: "too_large"
        case .unsupportedContentType, .unsupportedMediaType: "unsupported_content_type"
        case .overloaded: "overloaded"
        case .storageUnavailable: "storage_unavailable"
        }
        requestErrors[reason]?.increment()
    }
}
