/// One float sample of a time series.
public struct Sample: Sendable, Hashable {
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64
    public var value: Double

    public init(timestamp: Int64, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }

    /// Prometheus's staleness marker: a NaN with this exact bit pattern says
    /// "the series ended here" (ordinary NaNs are plain values).
    public static let staleMarkerBits: UInt64 = 0x7ff0_0000_0000_0002

    /// Whether the value is the staleness marker.
    public var isStaleMarker: Bool { value.bitPattern == Sample.staleMarkerBits }

    // Bitwise, so NaNs (and the staleness marker) equal themselves.
    public static func == (a: Sample, b: Sample) -> Bool {
        a.timestamp == b.timestamp && a.value.bitPattern == b.value.bitPattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(timestamp)
        hasher.combine(value.bitPattern)
    }
}
