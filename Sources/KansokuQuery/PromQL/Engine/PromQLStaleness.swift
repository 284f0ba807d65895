/// Prometheus's staleness marker: a NaN with a fixed bit pattern that a
/// scrape writes when a series disappears. It is distinct from an ordinary
/// NaN sample, which is a real value.
public enum PromQLStaleness {
    /// The bit pattern of the marker (`value.StaleNaN` upstream).
    public static let markerBits: UInt64 = 0x7ff0_0000_0000_0002
    /// The marker as a `Double`.
    public static let marker = Double(bitPattern: markerBits)

    /// Whether `value` is the staleness marker (not just any NaN).
    @inline(__always)
    public static func isMarker(_ value: Double) -> Bool { value.bitPattern == markerBits }
}
