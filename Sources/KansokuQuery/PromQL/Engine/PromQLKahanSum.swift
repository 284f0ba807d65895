import KansokuModel

/// Kahan–Neumaier compensated summation, as Prometheus's `kahansum.Inc`.
///
/// `sum`, `avg` and `*_over_time` use it so results match upstream to the
/// last bits the test scripts check.
struct PromQLKahanSum {
    var sum: Double = 0
    var compensation: Double = 0

    /// Starts with a first value.
    init(_ first: Double = 0) { sum = first }

    mutating func add(_ value: Double) {
        (sum, compensation) = CompensatedSum.add(value, to: sum, compensation: compensation)
    }

    /// The compensated total.
    var value: Double { sum + compensation }
}
