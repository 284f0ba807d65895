/// Prometheus's `almost.Equal`: relative comparison, NaN equals NaN, the
/// staleness marker only equals itself.
public enum PromQLFloatComparison {
    /// Whether `a` and `b` are equal within relative `epsilon`.
    public static func almostEqual(_ a: Double, _ b: Double, epsilon: Double) -> Bool {
        if PromQLStaleness.isMarker(a) || PromQLStaleness.isMarker(b) {
            return PromQLStaleness.isMarker(a) && PromQLStaleness.isMarker(b)
        }
        if a.isNaN && b.isNaN { return true }
        if a == b { return true }
        let minNormal = Double(bitPattern: 0x0010_0000_0000_0000)
        let absSum = abs(a) + abs(b)
        let diff = abs(a - b)
        if a == 0 || b == 0 || absSum < minNormal { return diff < epsilon * minNormal }
        return diff / min(absSum, Double.greatestFiniteMagnitude) < epsilon
    }
}
