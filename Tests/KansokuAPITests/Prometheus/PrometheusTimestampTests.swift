import Testing
@testable import KansokuAPI

@Suite("PrometheusTimestamp")
struct PrometheusTimestampTests {
    @Test("Unix seconds, with or without a fraction, become milliseconds", arguments: [
        ("1435781451.781", Int64(1_435_781_451_781)), ("1435781451", 1_435_781_451_000), ("0", 0), ("1.5", 1_500),
        ("-1.5", -1_500), ("0.001", 1), ("1e3", 1_000_000), ("  1", nil),
    ] as [(String, Int64?)])
    func unixSeconds(text: String, expected: Int64?) {
        #expect(PrometheusTimestamp.parse(text) == expected)
    }

    @Test("RFC 3339 with and without a fraction, in UTC and with offsets", arguments: [
        ("2015-07-01T20:10:51.781Z", Int64(1_435_781_451_781)),
        ("2015-07-01T20:10:51Z", 1_435_781_451_000),
        ("2015-07-01T22:10:51+02:00", 1_435_781_451_000),
        ("2015-07-01T22:10:51.781+02:00", 1_435_781_451_781),
        ("2015-07-01T14:40:51.5-05:30", 1_435_781_451_500),
        ("1970-01-01T00:00:00Z", 0),
    ])
    func rfc3339(text: String, expected: Int64) {
        #expect(PrometheusTimestamp.parse(text) == expected)
    }

    @Test("Prometheus's min and max time spellings map to the widest usable range")
    func minMaxTime() {
        #expect(PrometheusTimestamp.parse("-292273086-05-16T16:47:06Z") == Int64.min / 2)
        #expect(PrometheusTimestamp.parse("0001-01-01T00:00:00Z") == Int64.min / 2)
        #expect(PrometheusTimestamp.parse("292277025-08-18T07:12:54.999999999Z") == Int64.max / 2)
    }

    @Test("anything else is not a time", arguments: [
        "", "abc", "2015-07-01", "20:10:51", "2015-07-01 20:10:51Z", "2015-07-01T20:10:51", "NaN", "Inf", "-Inf", "1h",
    ])
    func garbage(text: String) {
        #expect(PrometheusTimestamp.parse(text) == nil)
    }

    @Test("durations: Prometheus duration literals or seconds as a number", arguments: [
        ("5m", Int64(300_000)), ("1h30m", 5_400_000), ("30", 30_000), ("1.5", 1_500), ("100ms", 100), ("1d", 86_400_000),
        ("0", 0), ("0.0005", 1), ("1w", 604_800_000),
    ])
    func durations(text: String, expected: Int64) {
        #expect(PrometheusTimestamp.parseDuration(text) == expected)
    }

    @Test("invalid durations are nil", arguments: ["", "m", "5x", "30m1h", "1e400", "NaN", "Inf", "1e17"] as [String])
    func invalidDurations(text: String) {
        #expect(PrometheusTimestamp.parseDuration(text) == nil)
    }

    private func json(_ milliseconds: Int64) -> String {
        var writer = JSONWriter()
        PrometheusTimestamp.append(milliseconds, to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test("JSON timestamps are seconds with a three-digit fraction only when it is not zero", arguments: [
        (Int64(1_435_781_451_781), "1435781451.781"), (1_435_781_451_001, "1435781451.001"),
        (1_435_781_451_010, "1435781451.010"), (1_435_781_451_500, "1435781451.500"), (1_435_781_451_000, "1435781451"),
        (0, "0"), (1, "0.001"), (999, "0.999"), (-1, "-0.001"), (-1_500, "-1.500"), (-2_000, "-2"),
        (Int64.min, "-9223372036854775.808"), (Int64.max, "9223372036854775.807"),
    ])
    func jsonText(milliseconds: Int64, expected: String) {
        #expect(json(milliseconds) == expected)
    }

    @Test("JSON timestamps take their place among other values")
    func jsonSeparators() {
        var writer = JSONWriter()
        writer.beginArray()
        PrometheusTimestamp.append(1_000, to: &writer)
        PrometheusTimestamp.append(1_001, to: &writer)
        writer.string("x")
        writer.endArray()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[1,1.001,\"x\"]")
    }

    @Test("now is close to the system clock in milliseconds")
    func now() {
        let now = PrometheusTimestamp.now()
        #expect(now > 1_700_000_000_000)
        #expect(now < 100_000_000_000_000)
    }
}
