/// One step of Kahan–Neumaier compensated summation, as Prometheus's
/// `kahansum.Inc`: the plain sum and the updated compensation term. The
/// total is `sum + compensation`. Native histogram arithmetic and PromQL's
/// sums and means use it, so results match upstream to the last bit.
public enum CompensatedSum {
    @inline(__always)
    public static func add(_ increment: Double, to sum: Double, compensation: Double) -> (sum: Double, compensation: Double) {
        let total = sum + increment
        if total.isInfinite { return (total, 0) }
        if abs(sum) >= abs(increment) {
            return (total, compensation + ((sum - total) + increment))
        }
        return (total, compensation + ((increment - total) + sum))
    }
}
