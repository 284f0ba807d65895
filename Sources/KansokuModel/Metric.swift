/// One metric stream as exported: its identity and its data points.
public struct Metric: Sendable, Hashable {
    public var name: String
    public var description: String
    public var unit: String
    public var metadata: [Attribute]
    public var data: MetricData

    public init(name: String, description: String = "", unit: String = "", metadata: [Attribute] = [], data: MetricData) {
        self.name = name
        self.description = description
        self.unit = unit
        self.metadata = metadata
        self.data = data
    }

    /// Data points carried, which is what ingest counts for metrics.
    public var dataPointCount: Int {
        switch data {
        case .gauge(let points): points.count
        case .sum(let sum): sum.points.count
        case .histogram(let h): h.points.count
        case .exponentialHistogram(let h): h.points.count
        case .summary(let points): points.count
        }
    }
}

/// The kinds of metric OTLP defines, each with its own point type.
public enum MetricData: Sendable, Hashable {
    case gauge([NumberDataPoint])
    case sum(SumData)
    case histogram(HistogramData)
    case exponentialHistogram(ExponentialHistogramData)
    case summary([SummaryDataPoint])
}

/// Whether points report the change since the last export or since the start.
public enum AggregationTemporality: Int32, Sendable, Hashable {
    case unspecified = 0
    case delta = 1
    case cumulative = 2
}

public struct SumData: Sendable, Hashable {
    public var points: [NumberDataPoint]
    public var temporality: AggregationTemporality
    public var isMonotonic: Bool

    public init(points: [NumberDataPoint], temporality: AggregationTemporality, isMonotonic: Bool) {
        self.points = points
        self.temporality = temporality
        self.isMonotonic = isMonotonic
    }
}

public struct HistogramData: Sendable, Hashable {
    public var points: [HistogramDataPoint]
    public var temporality: AggregationTemporality

    public init(points: [HistogramDataPoint], temporality: AggregationTemporality) {
        self.points = points
        self.temporality = temporality
    }
}

public struct ExponentialHistogramData: Sendable, Hashable {
    public var points: [ExponentialHistogramDataPoint]
    public var temporality: AggregationTemporality

    public init(points: [ExponentialHistogramDataPoint], temporality: AggregationTemporality) {
        self.points = points
        self.temporality = temporality
    }
}

/// A sample that is either an integer or a float, as OTLP sends it.
public enum NumberValue: Sendable, Hashable {
    case int(Int64)
    case double(Double)

    public var doubleValue: Double {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        }
    }
}

/// The fields every data point shares.
public struct DataPointHeader: Sendable, Hashable {
    public var attributes: [Attribute]
    public var startTimeUnixNano: UInt64
    public var timeUnixNano: UInt64
    /// OTLP `DataPointFlags`; bit 0 is "no recorded value".
    public var flags: UInt32
    public var exemplars: [Exemplar]

    public init(attributes: [Attribute] = [], startTimeUnixNano: UInt64 = 0, timeUnixNano: UInt64, flags: UInt32 = 0, exemplars: [Exemplar] = []) {
        self.attributes = attributes
        self.startTimeUnixNano = startTimeUnixNano
        self.timeUnixNano = timeUnixNano
        self.flags = flags
        self.exemplars = exemplars
    }
}

public struct NumberDataPoint: Sendable, Hashable {
    public var header: DataPointHeader
    public var value: NumberValue

    public init(header: DataPointHeader, value: NumberValue) {
        self.header = header
        self.value = value
    }
}

public struct HistogramDataPoint: Sendable, Hashable {
    public var header: DataPointHeader
    public var count: UInt64
    public var sum: Double?
    public var bucketCounts: [UInt64]
    public var explicitBounds: [Double]
    public var min: Double?
    public var max: Double?

    public init(header: DataPointHeader, count: UInt64, sum: Double?, bucketCounts: [UInt64], explicitBounds: [Double], min: Double? = nil, max: Double? = nil) {
        self.header = header
        self.count = count
        self.sum = sum
        self.bucketCounts = bucketCounts
        self.explicitBounds = explicitBounds
        self.min = min
        self.max = max
    }
}

public struct ExponentialHistogramDataPoint: Sendable, Hashable {
    /// A run of consecutive exponential buckets starting at index `offset`.
    public struct Buckets: Sendable, Hashable {
        public var offset: Int32
        public var bucketCounts: [UInt64]

        public init(offset: Int32 = 0, bucketCounts: [UInt64] = []) {
            self.offset = offset
            self.bucketCounts = bucketCounts
        }
    }

    public var header: DataPointHeader
    public var count: UInt64
    public var sum: Double?
    public var scale: Int32
    public var zeroCount: UInt64
    public var zeroThreshold: Double
    public var positive: Buckets
    public var negative: Buckets
    public var min: Double?
    public var max: Double?

    public init(header: DataPointHeader, count: UInt64, sum: Double?, scale: Int32, zeroCount: UInt64, zeroThreshold: Double = 0,
                positive: Buckets, negative: Buckets, min: Double? = nil, max: Double? = nil) {
        self.header = header
        self.count = count
        self.sum = sum
        self.scale = scale
        self.zeroCount = zeroCount
        self.zeroThreshold = zeroThreshold
        self.positive = positive
        self.negative = negative
        self.min = min
        self.max = max
    }
}

public struct SummaryDataPoint: Sendable, Hashable {
    public struct Quantile: Sendable, Hashable {
        public var quantile: Double
        public var value: Double

        public init(quantile: Double, value: Double) {
            self.quantile = quantile
            self.value = value
        }
    }

    public var header: DataPointHeader
    public var count: UInt64
    public var sum: Double
    public var quantiles: [Quantile]

    public init(header: DataPointHeader, count: UInt64, sum: Double, quantiles: [Quantile]) {
        self.header = header
        self.count = count
        self.sum = sum
        self.quantiles = quantiles
    }
}

/// A raw measurement kept next to an aggregate, usually carrying the trace it came from.
public struct Exemplar: Sendable, Hashable {
    public var filteredAttributes: [Attribute]
    public var timeUnixNano: UInt64
    public var value: NumberValue
    public var traceID: TraceID
    public var spanID: SpanID

    public init(filteredAttributes: [Attribute] = [], timeUnixNano: UInt64, value: NumberValue, traceID: TraceID = .zero, spanID: SpanID = .zero) {
        self.filteredAttributes = filteredAttributes
        self.timeUnixNano = timeUnixNano
        self.value = value
        self.traceID = traceID
        self.spanID = spanID
    }
}

extension TelemetryBatch where Item == Metric {
    /// Data points across all metrics in the batch.
    public var dataPointCount: Int {
        resources.reduce(0) { t, r in r.scopes.reduce(t) { t2, s in s.items.reduce(t2) { $0 + $1.dataPointCount } } }
    }
}
