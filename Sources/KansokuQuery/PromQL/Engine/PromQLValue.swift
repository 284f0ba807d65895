import KansokuModel

/// One element of an instant vector result.
public struct PromQLVectorSample: Sendable, Hashable {
    /// The series labels.
    public var labels: PromQLLabels
    /// The value (unused when ``histogram`` is set).
    public var value: Double
    /// The evaluation time in milliseconds.
    public var timestamp: Int64
    /// The value when it is a native histogram.
    public var histogram: NativeHistogram?

    /// Creates an element.
    public init(labels: PromQLLabels, value: Double, timestamp: Int64, histogram: NativeHistogram? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
        self.histogram = histogram
    }
}

/// The result of a PromQL query.
public enum PromQLValue: Sendable {
    /// A scalar at the evaluation time.
    case scalar(Double)
    /// A string literal.
    case string(String)
    /// An instant vector (instant queries).
    case vector([PromQLVectorSample])
    /// A range vector: range queries, or an instant query of `x[5m]`.
    case matrix([PromQLSeries])
}

/// An instant-vector element while evaluating. `dropName` implements
/// Prometheus's delayed `__name__` removal: functions and operators only
/// mark the name for removal, and it is dropped when the query finishes, so
/// `label_replace(..., "__name__", ...)` and `by (__name__)` still see it.
struct PromQLElement {
    var labels: PromQLLabels
    /// The float value (unused when ``histogram`` is set).
    var value: Double
    /// The sample's own timestamp (for `timestamp()` over a selector);
    /// otherwise the evaluation time.
    var timestamp: Int64
    var dropName: Bool = false
    /// Boxed so float elements, the common case, stay small.
    private var histogramBox: PromQLHistogramBox?

    init(labels: PromQLLabels, value: Double, timestamp: Int64, dropName: Bool = false) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
        self.dropName = dropName
    }

    init(labels: PromQLLabels, histogram: NativeHistogram, timestamp: Int64, dropName: Bool = false) {
        self.init(labels: labels, value: 0, timestamp: timestamp, dropName: dropName)
        histogramBox = PromQLHistogramBox(histogram)
    }

    /// The value when it is a native histogram.
    var histogram: NativeHistogram? {
        get { histogramBox?.histogram }
        set { histogramBox = newValue.map(PromQLHistogramBox.init) }
    }

    var isHistogram: Bool { histogramBox != nil }
}

/// A native histogram behind a reference (see ``PromQLElement``).
final class PromQLHistogramBox: Sendable {
    let histogram: NativeHistogram
    init(_ histogram: NativeHistogram) { self.histogram = histogram }
}

/// A range-vector series while evaluating (see ``PromQLElement``).
struct PromQLRangeSeries {
    var labels: PromQLLabels
    var samples: [PromQLSample]
    var histograms: [PromQLHistogramSample] = []
    var dropName: Bool = false
}

/// An intermediate value: what one expression yields at one evaluation time.
enum PromQLIntermediate {
    case scalar(Double)
    case string(String)
    case vector([PromQLElement])
    case matrix([PromQLRangeSeries])
}
