import Testing
import KansokuModel

/// Expected texts are what Go's `strconv.FormatFloat(v, 'f', -1, 64)` prints.
@Suite("GoFloatFormat")
struct GoFloatFormatTests {
    @Test("plain values print their shortest digits without a trailing .0", arguments: [
        (1.0, "1"), (0.1, "0.1"), (-0.5, "-0.5"), (0.0, "0"), (100.0, "100"), (2.5, "2.5"),
        (123456789.123, "123456789.123"), (0.30000000000000004, "0.30000000000000004"),
        (-1234.5678, "-1234.5678"), (9007199254740993.0, "9007199254740992"),
    ])
    func plain(value: Double, expected: String) {
        #expect(GoFloatFormat.fixed(value) == expected)
    }

    @Test("large values are written out in full, never in exponent form", arguments: [
        (1e16, "10000000000000000"), (1e20, "100000000000000000000"), (1e21, "1000000000000000000000"),
        (1.5e22, "15000000000000000000000"), (-2.5e17, "-250000000000000000"),
        (12345678901234567890.0, "12345678901234567000"),
    ])
    func large(value: Double, expected: String) {
        #expect(GoFloatFormat.fixed(value) == expected)
    }

    @Test("small values are written out with leading zeros", arguments: [
        (1e-7, "0.0000001"), (1.5e-5, "0.000015"), (-1e-5, "-0.00001"), (1.2345e-10, "0.00000000012345"),
        (0.001, "0.001"), (0.0001, "0.0001"),
    ])
    func small(value: Double, expected: String) {
        #expect(GoFloatFormat.fixed(value) == expected)
    }

    @Test("the smallest subnormal (5e-324) prints 323 zeros after the point, then 5")
    func smallestSubnormal() {
        #expect(GoFloatFormat.fixed(.leastNonzeroMagnitude) == "0." + String(repeating: "0", count: 323) + "5")
        #expect(GoFloatFormat.fixed(-.leastNonzeroMagnitude) == "-0." + String(repeating: "0", count: 323) + "5")
    }

    @Test("the largest double prints all 309 integer digits")
    func largestDouble() {
        let expected = "17976931348623157" + String(repeating: "0", count: 292)
        #expect(GoFloatFormat.fixed(1.7976931348623157e308) == expected)
        #expect(GoFloatFormat.fixed(-Double.greatestFiniteMagnitude) == "-" + expected)
        #expect(expected.count == 309)
    }

    @Test("NaN and the infinities use Prometheus's spellings")
    func specials() {
        #expect(GoFloatFormat.fixed(.nan) == "NaN")
        #expect(GoFloatFormat.fixed(-Double.nan) == "NaN")
        #expect(GoFloatFormat.fixed(Double(bitPattern: 0x7ff0_0000_0000_0002)) == "NaN")
        #expect(GoFloatFormat.fixed(.infinity) == "+Inf")
        #expect(GoFloatFormat.fixed(-.infinity) == "-Inf")
    }

    @Test("negative zero keeps its sign, as Go prints it")
    func negativeZero() {
        #expect(GoFloatFormat.fixed(-0.0) == "-0")
    }

    @Test("every printed value reads back to the same double", arguments: [
        0.1, 1e-7, 1e21, 123456789.123, .leastNonzeroMagnitude, 1.7976931348623157e308, 2.2250738585072014e-308, 1.0 / 3.0, -98765.4321e-12,
    ])
    func roundTrips(value: Double) {
        #expect(Double(GoFloatFormat.fixed(value)) == value)
    }
}
