import KansokuModel

/// The tag and attribute names the OpenTelemetry Collector's Zipkin v2
/// translator (`pkg/translator/zipkin/zipkinv2`) gives special meaning to.
enum ZipkinTagKeys {
    // Tags consumed by the translation.
    static let statusCode = "otel.status_code"
    static let statusDescription = "otel.status_description"
    static let error = "error"
    static let spanKind = "span.kind"
    static let traceState = "w3c.tracestate"
    static let libraryName = "otel.library.name"
    static let libraryVersion = "otel.library.version"
    static let scopeName = "otel.scope.name"
    static let scopeVersion = "otel.scope.version"
    /// Names the resource attribute the local service name goes to (e.g. `faas.name`).
    static let serviceNameSource = "otlp.service.name.source"
    /// `otlp.link.0`, `otlp.link.1`, … carry span links as the Collector's exporter writes them.
    static let linkPrefix = "otlp.link."
    static let maxLinks = 128

    // Attributes the translation produces.
    static let serviceName = "service.name"
    static let hostIP = "net.host.ip"
    static let hostPort = "net.host.port"
    static let peerService = "peer.service"
    static let peerIP = "net.peer.ip"
    static let peerPort = "net.peer.port"
    /// Set (to true) when the span had no `timestamp`; its start is then the Unix epoch.
    static let startTimeAbsent = "otel.zipkin.absentField.startTime"

    /// `otel.status_code` values, in both spellings the Collector accepts.
    static let statusCodes: [String: SpanStatus.Code] = [
        "STATUS_CODE_UNSET": .unset, "STATUS_CODE_OK": .ok, "STATUS_CODE_ERROR": .error,
        "Unset": .unset, "Ok": .ok, "Error": .error,
    ]
}
