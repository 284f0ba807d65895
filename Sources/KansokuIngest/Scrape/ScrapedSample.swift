import Foundation
import KansokuModel

/// One sample as a target exposed it, before target labels are attached.
public struct ScrapedSample: Sendable, Equatable {
    /// The sample's labels including `__name__`.
    public var labels: SeriesLabels
    public var value: Double
    /// Milliseconds since the Unix epoch, when the exposition gave one.
    public var timestamp: Int64?
    /// The OpenMetrics exemplar attached to the line, if any.
    public var exemplar: ScrapedExemplar?

    public init(labels: SeriesLabels, value: Double, timestamp: Int64? = nil, exemplar: ScrapedExemplar? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
        self.exemplar = exemplar
    }

    // Bitwise on the value so NaN samples compare equal in tests.
    public static func == (a: ScrapedSample, b: ScrapedSample) -> Bool {
        a.labels == b.labels && a.value.bitPattern == b.value.bitPattern && a.timestamp == b.timestamp && a.exemplar == b.exemplar
    }
}

/// An OpenMetrics exemplar: `# {trace_id="…"} 0.5 1700000000.123`.
public struct ScrapedExemplar: Sendable, Equatable {
    public var labels: SeriesLabels
    public var value: Double
    /// Milliseconds since the Unix epoch, when given.
    public var timestamp: Int64?

    public init(labels: SeriesLabels, value: Double, timestamp: Int64? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}

/// Which text exposition format a body is in.
public enum ExpositionFormat: Sendable, Hashable {
    /// Prometheus text format 0.0.4 (`text/plain; version=0.0.4`).
    case prometheusText
    /// OpenMetrics 1.0 text (`application/openmetrics-text`).
    case openMetrics

    /// The format a response's Content-Type names; Prometheus text when
    /// missing or unrecognised (Prometheus 2's behaviour).
    public init(contentType: String?) {
        let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        self = mediaType == "application/openmetrics-text" ? .openMetrics : .prometheusText
    }
}

/// What one exposition body held.
public struct ExpositionParseResult: Sendable, Equatable {
    public var samples: [ScrapedSample]
    /// One entry per family that had `# TYPE`, `# HELP` or `# UNIT`, in order of first appearance.
    public var metadata: [MetricFamilyMetadata]

    public init(samples: [ScrapedSample] = [], metadata: [MetricFamilyMetadata] = []) {
        self.samples = samples
        self.metadata = metadata
    }
}

/// Why an exposition body was refused: the 1-based line, the offending line
/// text and what was wrong, in Prometheus's wording where it has one.
public struct ExpositionParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    /// The offending line (cut to 200 characters).
    public var text: String
    public var reason: String

    public init(line: Int, text: String, reason: String) {
        self.line = line
        self.text = text.count > 200 ? String(text.prefix(200)) + "…" : text
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason) while parsing: \"\(text)\"" }
}
