import Testing
@testable import KansokuModel

// `h </ x` and `h >/ x` (NativeHistogram.trimmed(at:upper:)) against the
// expected results of /work/shared/reference/promql-testdata/native_histograms.test
// (the trim section, lines ~2039–2531). Each case carries its `eval` line.

/// Input series, as loaded by the test script.
private let inputs: [String: String] = [
    "h_test": "{{schema:0 sum:123.75 count:34 z_bucket:1 z_bucket_w:0.001 buckets:[2 4 8 16] n_buckets:[1 2]}}",
    "h_test_2": "{{schema:2 sum:12.8286080906 count:28 z_bucket:1 z_bucket_w:0.001 buckets:[1 2 4 7 3] n_buckets:[1 5 3 1]}}",
    "h_positive_buckets": "{{schema:0 sum:8.0210678118654755 count:12 z_bucket:2 z_bucket_w:0.5 buckets:[10]}}",
    "h_negative_buckets": "{{schema:0 sum:-8.0210678118654755 count:12 z_bucket:2 z_bucket_w:0.5 n_buckets:[10]}}",
    "zero_bucket_only": "{{schema:0 count:5 sum:0 z_bucket:5 z_bucket_w:0.1 }}",
    "cbh": "{{schema:-53 sum:172.5 count:15 custom_values:[5 10 15 20] buckets:[1 6 4 3 1]}}",
    "cbh_has_neg": "{{schema:-53 sum:172.5 count:15 custom_values:[-10 5 10 15 20] buckets:[2 1 6 4 3 1]}}",
    "zero_bucket": "{{schema:0 sum:-6.75 z_bucket:5 z_bucket_w:0.01 buckets:[2 3] n_buckets:[1 2 3]}}",
    "cbh_one_bucket": "{{schema:-53 sum:100.0 count:100 buckets:[100]}}",
    "cbh_two_buckets_split_at_zero": "{{schema:-53 sum:33.0 count:100 custom_values:[0] buckets:[1 100]}}",
    "cbh_two_buckets_split_at_positive": "{{schema:-53 sum:33 count:101 custom_values:[5] buckets:[1 100]}}",
    "cbh_two_buckets_split_at_negative": "{{schema:-53 sum:33 count:101 custom_values:[-5] buckets:[1 100]}}",
    "cbh_for_join_a": "{{schema:-53 sum:33 count:101 custom_values:[5] buckets:[1 100]}}",
    "cbh_for_join_b": "{{schema:-53 sum:66 count:202 custom_values:[5] buckets:[2 200]}}",
    "empty_exp": "{{}}",
    "empty_cbh": "{{schema:-53 custom_values:[-3 2]}}",
]

/// One `eval instant at 1m <series> </ x` (or `>/`) result line.
struct TrimCase: Sendable, CustomTestStringConvertible {
    let line: Int
    let series: String
    let upper: Bool
    let threshold: Double
    let expected: String

    init(_ line: Int, _ series: String, _ upper: Bool, _ threshold: Double, _ expected: String) {
        (self.line, self.series, self.upper, self.threshold, self.expected) = (line, series, upper, threshold, expected)
    }

    var testDescription: String { "line \(line): \(series) \(upper ? "</" : ">/") \(threshold)" }
}

private let trimCases: [TrimCase] = [
    TrimCase(2043, "h_test", false, -.infinity, "{{schema:0 sum:123.75 count:34 z_bucket:1 z_bucket_w:0.001 buckets:[2 4 8 16] n_buckets:[1 2]}}"),
    TrimCase(2046, "h_test", true, .infinity, "{{schema:0 sum:123.75 count:34 z_bucket:1 z_bucket_w:0.001 buckets:[2 4 8 16] n_buckets:[1 2]}}"),
    TrimCase(2049, "h_test", false, .infinity, "{{schema:0 z_bucket_w:0.001}}"),
    TrimCase(2052, "h_test", true, -.infinity, "{{schema:0 z_bucket_w:0.001}}"),
    TrimCase(2055, "h_test", false, 0, "{{schema:0 sum:120.20840280171308 count:30.5 z_bucket:0.5 z_bucket_w:0.001 buckets:[2 4 8 16]}}"),
    TrimCase(2058, "h_test", true, 0, "{{schema:0 sum:-3.53578390593273768 count:3.5 z_bucket:0.5 z_bucket_w:0.001 n_buckets:[1 2]}}"),
    TrimCase(2063, "h_test", true, 1.4142135624, "{{count:8 sum:0.2570938865989847 z_bucket:1 z_bucket_w:0.001 buckets:[2 2] n_buckets:[1 2]}}"),
    TrimCase(2066, "h_test", false, 1.4142135624, "{{count:26 sum:116.50067065070982 z_bucket_w:0.001 buckets:[0 2 8 16]}}"),
    TrimCase(2073, "h_test_2", true, 1.13, "{{schema:2 count:13.410582181123704 sum:-9.385798726068233 z_bucket:1 z_bucket_w:0.001 buckets:[1 1.410582181123704] n_buckets:[1 5 3 1]}}"),
    TrimCase(2076, "h_test_2", false, 1.13, "{{schema:2 count:14.589417818876296 sum:22.168126492693734 z_bucket_w:0.001 offset:1 buckets:[0.589417818876296 4 7 3]}}"),
    TrimCase(2079, "h_test_2", false, -1.3, "{{schema:2 count:25.54213947904476 sum:16.29588491217537 z_bucket:1 z_bucket_w:0.001 buckets:[1 2 4 7 3] n_buckets:[1 5 1.54213947904476]}}"),
    TrimCase(2082, "h_test_2", true, -1.3, "{{schema:2 count:2.45786052095524 sum:-3.5189307983595066 z_bucket_w:0.001 n_offset:2 n_buckets:[1.45786052095524 1]}}"),
    TrimCase(2086, "h_test", true, 2, "{{count:10 sum:3.5355339059327373 z_bucket:1 z_bucket_w:0.001 buckets:[2 4] n_buckets:[1 2]}}"),
    TrimCase(2089, "h_test", false, 2, "{{count:24 sum:113.13708498984761 z_bucket_w:0.001 offset:2 buckets:[8 16]}}"),
    TrimCase(2092, "h_test", false, -1, "{{count:32 sum:119.50104602052653 z_bucket:1 z_bucket_w:0.001 buckets:[2 4 8 16] n_buckets:[1]}}"),
    TrimCase(2095, "h_test", true, -1, "{{count:2 sum:-2.8284271247461903 z_bucket_w:0.001 n_offset:1 n_buckets:[2]}}"),
    TrimCase(2103, "h_positive_buckets", false, 0.5, "{{schema:0 count:10 sum:7.0710678118654755 z_bucket:0 z_bucket_w:0.5 buckets:[10]}}"),
    TrimCase(2106, "h_positive_buckets", false, 0.1, "{{schema:0 count:11.6 sum:7.551067811865476 z_bucket:1.6 z_bucket_w:0.5 buckets:[10]}}"),
    TrimCase(2109, "h_positive_buckets", false, 0, "{{schema:0 sum:8.0210678118654755 count:12 z_bucket:2 z_bucket_w:0.5 buckets:[10]}}"),
    TrimCase(2112, "h_positive_buckets", true, 0.5, "{{schema:0 count:2 sum:0.5 z_bucket:2 z_bucket_w:0.5}}"),
    TrimCase(2115, "h_positive_buckets", true, 0.1, "{{schema:0 count:0.4 sum:0.02 z_bucket:0.4 z_bucket_w:0.5}}"),
    TrimCase(2118, "h_positive_buckets", true, 0, "{{schema:0 z_bucket_w:0.5}}"),
    TrimCase(2126, "h_negative_buckets", true, -0.5, "{{schema:0 count:10 sum:-7.0710678118654755 z_bucket:0 z_bucket_w:0.5 n_buckets:[10]}}"),
    TrimCase(2129, "h_negative_buckets", true, -0.1, "{{schema:0 count:11.6 sum:-7.551067811865476 z_bucket:1.6 z_bucket_w:0.5 n_buckets:[10]}}"),
    TrimCase(2132, "h_negative_buckets", true, 0, "{{schema:0 sum:-8.0210678118654755 count:12 z_bucket:2 z_bucket_w:0.5 n_buckets:[10]}}"),
    TrimCase(2135, "h_negative_buckets", false, -0.5, "{{schema:0 count:2 sum:-0.5 z_bucket:2 z_bucket_w:0.5}}"),
    TrimCase(2138, "h_negative_buckets", false, -0.1, "{{schema:0 count:0.4 sum:-0.02 z_bucket:0.4 z_bucket_w:0.5}}"),
    TrimCase(2141, "h_negative_buckets", false, 0, "{{schema:0 z_bucket_w:0.5}}"),
    TrimCase(2149, "zero_bucket_only", false, 0.1, "{{schema:0 count:0 sum:0 z_bucket:0 z_bucket_w:0.1 }}"),
    TrimCase(2152, "zero_bucket_only", true, 0.1, "{{schema:0 count:5 sum:0 z_bucket:5 z_bucket_w:0.1 }}"),
    TrimCase(2155, "zero_bucket_only", false, 0.05, "{{schema:0 count:1.25 sum:0.09375 z_bucket:1.25 z_bucket_w:0.1 }}"),
    TrimCase(2158, "zero_bucket_only", true, 0.05, "{{schema:0 count:3.75 sum:-0.09375 z_bucket:3.75 z_bucket_w:0.1 }}"),
    TrimCase(2161, "zero_bucket_only", false, 0, "{{schema:0 count:2.5 sum:0.125 z_bucket:2.5 z_bucket_w:0.1 }}"),
    TrimCase(2164, "zero_bucket_only", true, 0, "{{schema:0 count:2.5 sum:-0.125 z_bucket:2.5 z_bucket_w:0.1 }}"),
    TrimCase(2167, "zero_bucket_only", false, -0.05, "{{schema:0 count:3.75 sum:0.09375 z_bucket:3.75 z_bucket_w:0.1 }}"),
    TrimCase(2170, "zero_bucket_only", true, -0.05, "{{schema:0 count:1.25 sum:-0.09375 z_bucket:1.25 z_bucket_w:0.1 }}"),
    TrimCase(2173, "zero_bucket_only", true, -0.1, "{{schema:0 count:0 sum:0 z_bucket:0 z_bucket_w:0.1 }}"),
    TrimCase(2176, "zero_bucket_only", false, -0.1, "{{schema:0 count:5 sum:0 z_bucket:5 z_bucket_w:0.1 }}"),
    TrimCase(2184, "cbh", true, 15, "{{schema:-53 count:11 sum:97.5 custom_values:[5 10 15 20] buckets:[1 6 4]}}"),
    TrimCase(2187, "cbh", false, 15, "{{schema:-53 count:4 sum:72.5 custom_values:[5 10 15 20] offset:3 buckets:[3 1]}}"),
    TrimCase(2191, "cbh", true, 13, "{{schema:-53 count:9.4 sum:75.1 custom_values:[5 10 15 20] buckets:[1 6 2.4]}}"),
    TrimCase(2194, "cbh", false, 13, "{{schema:-53 count:5.6 sum:94.9 custom_values:[5 10 15 20] offset:2 buckets:[1.6 3 1]}}"),
    TrimCase(2197, "cbh", true, 7.5, "{{schema:-53 count:4 sum:21.25 custom_values:[5 10 15 20] buckets:[1 3]}}"),
    TrimCase(2201, "cbh", true, 50, "{{schema:-53 count:14 sum:150.0 custom_values:[5 10 15 20] buckets:[1 6 4 3]}}"),
    TrimCase(2204, "cbh", true, -.infinity, "{{schema:-53 custom_values:[5 10 15 20]}}"),
    TrimCase(2207, "cbh", false, .infinity, "{{schema:-53 custom_values:[5 10 15 20]}}"),
    TrimCase(2210, "cbh", true, .infinity, "{{schema:-53 sum:172.5 count:15 custom_values:[5 10 15 20] buckets:[1 6 4 3 1]}}"),
    TrimCase(2213, "cbh", false, -.infinity, "{{schema:-53 sum:172.5 count:15 custom_values:[5 10 15 20] buckets:[1 6 4 3 1]}}"),
    TrimCase(2217, "cbh", false, 0, "{{schema:-53 sum:172.5 count:15 custom_values:[5 10 15 20] buckets:[1 6 4 3 1]}}"),
    TrimCase(2220, "cbh", true, 0, "{{schema:-53 custom_values:[5 10 15 20]}}"),
    TrimCase(2228, "cbh_has_neg", true, 2, "{{schema:-53 count:2.8 sum:-23.2 custom_values:[-10 5 10 15 20] buckets:[2 0.8]}}"),
    TrimCase(2231, "cbh_has_neg", true, -4, "{{schema:-53 count:2.4 sum:-22.8 custom_values:[-10 5 10 15 20] buckets:[2 0.4]}}"),
    TrimCase(2234, "cbh_has_neg", true, -15, "{{schema:-53 count:2 sum:-30 custom_values:[-10 5 10 15 20] buckets:[2]}}"),
    TrimCase(2242, "zero_bucket", true, -0.005, "{{count:7.25 sum:-12.03019028017131 z_bucket:1.25 z_bucket_w:0.01 n_buckets:[1 2 3]}}"),
    TrimCase(2245, "zero_bucket", false, 0, "{{count:7.5 sum:5.669354249492381 z_bucket:2.5 z_bucket_w:0.01 buckets:[2 3]}}"),
    TrimCase(2253, "cbh_one_bucket", true, 10.0, "{{schema:-53 sum:0.0 count:0 buckets:[0]}}"),
    TrimCase(2257, "cbh_one_bucket", false, 10.0, "{{schema:-53 sum:0.0 count:0 buckets:[0]}}"),
    TrimCase(2261, "cbh_one_bucket", true, .infinity, "{{schema:-53 sum:100 count:100 buckets:[100]}}"),
    TrimCase(2265, "cbh_one_bucket", false, .infinity, "{{schema:-53 sum:0 count:0 buckets:[0]}}"),
    TrimCase(2269, "cbh_one_bucket", false, -.infinity, "{{schema:-53 sum:100 count:100 buckets:[100]}}"),
    TrimCase(2273, "cbh_one_bucket", true, -.infinity, "{{schema:-53 sum:0 count:0 buckets:[0]}}"),
    TrimCase(2281, "cbh_two_buckets_split_at_zero", true, 10.0, "{{schema:-53 sum:0.0 count:1 custom_values:[0] buckets:[1 0]}}"),
    TrimCase(2285, "cbh_two_buckets_split_at_zero", true, 0.0, "{{schema:-53 sum:0.0 count:1 custom_values:[0] buckets:[1 0]}}"),
    TrimCase(2289, "cbh_two_buckets_split_at_zero", true, -10.0, "{{schema:-53 sum:-10.0 count:1 custom_values:[0] buckets:[1 0]}}"),
    TrimCase(2293, "cbh_two_buckets_split_at_zero", false, -10.0, "{{schema:-53 sum:0.0 count:100 custom_values:[0] buckets:[0 100]}}"),
    TrimCase(2297, "cbh_two_buckets_split_at_zero", false, 0.0, "{{schema:-53 sum:0.0 count:100 custom_values:[0] buckets:[0 100]}}"),
    TrimCase(2301, "cbh_two_buckets_split_at_zero", false, 10.0, "{{schema:-53 sum:1000.0 count:100 custom_values:[0] buckets:[0 100]}}"),
    TrimCase(2309, "cbh_two_buckets_split_at_positive", true, 10.0, "{{schema:-53 sum:2.5 count:1 custom_values:[5] buckets:[1 0]}}"),
    TrimCase(2313, "cbh_two_buckets_split_at_positive", true, 2.0, "{{schema:-53 sum:0.4 count:0.4 custom_values:[5] buckets:[0.4 0]}}"),
    TrimCase(2317, "cbh_two_buckets_split_at_positive", true, 0.0, "{{schema:-53 custom_values:[5]}}"),
    TrimCase(2321, "cbh_two_buckets_split_at_positive", true, -10.0, "{{schema:-53 sum:0.0 count:0 custom_values:[5] buckets:[0 0]}}"),
    TrimCase(2325, "cbh_two_buckets_split_at_positive", false, -10.0, "{{schema:-53 sum:500.0 count:100 custom_values:[5] buckets:[0 100]}}"),
    TrimCase(2329, "cbh_two_buckets_split_at_positive", false, 0.0, "{{schema:-53 sum:33.0 count:101 custom_values:[5] buckets:[1 100]}}"),
    TrimCase(2333, "cbh_two_buckets_split_at_positive", false, 2.0, "{{schema:-53 sum:502.1 count:100.6 custom_values:[5] buckets:[0.6 100]}}"),
    TrimCase(2337, "cbh_two_buckets_split_at_positive", false, 10.0, "{{schema:-53 sum:1000.0 count:100 custom_values:[5] buckets:[0 100]}}"),
    TrimCase(2345, "cbh_two_buckets_split_at_negative", true, 10.0, "{{schema:-53 sum:-5.0 count:1 custom_values:[-5] buckets:[1 0]}}"),
    TrimCase(2349, "cbh_two_buckets_split_at_negative", true, 0.0, "{{schema:-53 sum:-5 count:1 custom_values:[-5] buckets:[1 0]}}"),
    TrimCase(2353, "cbh_two_buckets_split_at_negative", true, -2.0, "{{schema:-53 sum:-5.0 count:1 custom_values:[-5] buckets:[1 0]}}"),
    TrimCase(2357, "cbh_two_buckets_split_at_negative", true, -10.0, "{{schema:-53 sum:-10.0 count:1 custom_values:[-5] buckets:[1 0]}}"),
    TrimCase(2361, "cbh_two_buckets_split_at_negative", false, -10.0, "{{schema:-53 sum:-500 count:100 custom_values:[-5] buckets:[0 100]}}"),
    TrimCase(2365, "cbh_two_buckets_split_at_negative", false, -2.0, "{{schema:-53 sum:-200 count:100 custom_values:[-5] buckets:[0 100]}}"),
    TrimCase(2369, "cbh_two_buckets_split_at_negative", false, 0.0, "{{schema:-53 sum:0.0 count:100 custom_values:[-5] buckets:[0 100]}}"),
    TrimCase(2373, "cbh_two_buckets_split_at_negative", false, 10.0, "{{schema:-53 sum:1000.0 count:100 custom_values:[-5] buckets:[0 100]}}"),
    TrimCase(2399, "empty_exp", true, -.infinity, "{{}}"),
    TrimCase(2399, "empty_cbh", true, -.infinity, "{{schema:-53 custom_values:[-3 2]}}"),
    TrimCase(2403, "empty_exp", true, -5, "{{}}"),
    TrimCase(2403, "empty_cbh", true, -5, "{{schema:-53 custom_values:[-3 2]}}"),
    TrimCase(2407, "empty_exp", true, 0, "{{}}"),
    TrimCase(2407, "empty_cbh", true, 0, "{{schema:-53 custom_values:[-3 2]}}"),
    TrimCase(2411, "empty_exp", true, 5, "{{}}"),
    TrimCase(2411, "empty_cbh", true, 5, "{{schema:-53 custom_values:[-3 2]}}"),
    TrimCase(2415, "empty_exp", true, .infinity, "{{}}"),
    TrimCase(2415, "empty_cbh", true, .infinity, "{{schema:-53 custom_values:[-3 2]}}"),
    TrimCase(2419, "empty_exp", false, -.infinity, "{{}}"),
    TrimCase(2419, "empty_cbh", false, -.infinity, "{{schema:-53 custom_values:[-3 2]}}"),
    TrimCase(2423, "empty_exp", false, -5, "{{}}"),
    TrimCase(2423, "empty_cbh", false, -5, "{{schema:-53 custom_values:[-3 2]}}"),
    TrimCase(2427, "empty_exp", false, 0, "{{}}"),
    TrimCase(2427, "empty_cbh", false, 0, "{{schema:-53 custom_values:[-3 2]}}"),
    TrimCase(2431, "empty_exp", false, 5, "{{}}"),
    TrimCase(2431, "empty_cbh", false, 5, "{{schema:-53 custom_values:[-3 2]}}"),
    TrimCase(2435, "empty_exp", false, .infinity, "{{}}"),
    TrimCase(2435, "empty_cbh", false, .infinity, "{{schema:-53 custom_values:[-3 2]}}"),
    // `cbh_for_join >/ on (label) float_for_join` (a → 1, b → 4; c has no match).
    TrimCase(2390, "cbh_for_join_a", false, 1, "{{schema:-53 count:100.8 sum:502.4 custom_values:[5] buckets:[0.8 100]}}"),
    TrimCase(2390, "cbh_for_join_b", false, 4, "{{schema:-53 count:200.4 sum:1001.8 custom_values:[5] buckets:[0.4 200]}}"),
]

/// One `eval instant at 1m histogram_count(<series> </ x)` (or `histogram_sum`).
struct ScalarCase: Sendable, CustomTestStringConvertible {
    enum Field: Sendable { case count, sum }
    let line: Int
    let series: String
    let upper: Bool
    let threshold: Double
    let field: Field
    let expected: Double

    init(_ line: Int, _ series: String, _ upper: Bool, _ threshold: Double, _ field: Field, _ expected: Double) {
        (self.line, self.series, self.upper, self.threshold) = (line, series, upper, threshold)
        (self.field, self.expected) = (field, expected)
    }

    var testDescription: String { "line \(line): histogram_\(field)(\(series) \(upper ? "</" : ">/") \(threshold))" }
}

private let scalarCases: [ScalarCase] = [
    ScalarCase(2377, "cbh_two_buckets_split_at_negative", false, 10.0, .sum, 1000),
    ScalarCase(2380, "cbh_two_buckets_split_at_negative", false, 10.0, .count, 100),
    ScalarCase(2446, "h_test", true, 2, .count, 10),
    ScalarCase(2452, "h_test", false, 2, .count, 24),
    ScalarCase(2459, "h_test", true, -1, .count, 2),
    ScalarCase(2465, "h_test", false, -1, .count, 32),
    ScalarCase(2472, "h_test", true, 0, .count, 3.5),
    ScalarCase(2478, "h_test", false, 0, .count, 30.5),
    ScalarCase(2485, "h_test", true, 1.4142135624, .count, 8),
    ScalarCase(2491, "h_test", false, 1.4142135624, .count, 26),
    ScalarCase(2498, "h_test_2", true, 1.13, .count, 13.410582181123704),
    ScalarCase(2504, "h_test_2", false, 1.13, .count, 14.589417818876296),
    ScalarCase(2511, "cbh", true, 15, .count, 11),
    ScalarCase(2517, "cbh", false, 15, .count, 4),
    ScalarCase(2524, "cbh", true, 13, .count, 9.4),
    ScalarCase(2530, "cbh", false, 13, .count, 5.6),
]

@Suite("NativeHistogram trimming (</, >/)")
struct NativeHistogramTrimTests {
    @Test(arguments: trimCases)
    func scriptCase(_ c: TrimCase) throws {
        let input = try #require(inputs[c.series].map(parseHistogram))
        let actual = input.trimmed(at: c.threshold, upper: c.upper)
        let expected = parseHistogram(c.expected)
        #expect(actual.schema == expected.schema)
        #expect(actual.customValues == expected.customValues)
        #expect(actual.zeroThreshold == expected.zeroThreshold)
        #expect(close(actual.count, expected.count), "count \(actual.count) ≠ \(expected.count)")
        #expect(close(actual.sum, expected.sum), "sum \(actual.sum) ≠ \(expected.sum)")
        #expect(close(actual.zeroCount, expected.zeroCount), "zero count \(actual.zeroCount) ≠ \(expected.zeroCount)")
        expectSameBuckets(populated(actual.positiveSpans, actual.positiveBuckets),
                          populated(expected.positiveSpans, expected.positiveBuckets), "positive")
        expectSameBuckets(populated(actual.negativeSpans, actual.negativeBuckets),
                          populated(expected.negativeSpans, expected.negativeBuckets), "negative")
        // PromQL results are compacted: no empty buckets remain listed.
        #expect(!actual.positiveBuckets.contains(0) || actual == input)
        #expect(!actual.negativeBuckets.contains(0) || actual == input)
    }

    @Test(arguments: scalarCases)
    func scalarCase(_ c: ScalarCase) throws {
        let input = try #require(inputs[c.series].map(parseHistogram))
        let actual = input.trimmed(at: c.threshold, upper: c.upper)
        let value = c.field == .count ? actual.count : actual.sum
        #expect(close(value, c.expected), "\(value) ≠ \(c.expected)")
    }

    @Test func untouchedHistogramKeepsExactTotalsAndLayout() {
        // Nothing trimmed: count and sum are not replaced by estimates, and the
        // explicitly listed empty bucket is not compacted away.
        let h = parseHistogram("{{schema:0 sum:7.77 count:9 buckets:[2 0 3]}}")
        #expect(h.trimmed(at: 100, upper: true) == h)
        #expect(h.trimmed(at: 0, upper: false) == h)
    }

    @Test func counterResetHintIsKept() {
        var h = parseHistogram("{{schema:0 sum:10 count:6 buckets:[2 4]}}")
        h.counterResetHint = .gauge
        #expect(h.trimmed(at: 1.5, upper: true).counterResetHint == .gauge)
    }

    @Test func overflowBucketIsTreatedAsInfinite() {
        // Schema 0: bucket 1025 is (2^1024, +∞], the bucket of +∞ observations.
        let h = NativeHistogram(schema: 0, count: 3, sum: .infinity,
                                positiveSpans: [.init(offset: 1, length: 1), .init(offset: 1023, length: 1)],
                                positiveBuckets: [2, 1])
        let upper = h.trimmed(at: 1e300, upper: true)
        #expect(upper.count == 2)
        #expect(upper.positiveBuckets == [2])
        let lower = h.trimmed(at: 1e300, upper: false)
        #expect(lower.count == 1)
        #expect(lower.positiveBuckets == [1])
        // Prometheus places the kept +∞ observations at the bucket's finite
        // lower bound (a geometric mean with a finite upper bound would overflow).
        #expect(lower.sum == .greatestFiniteMagnitude)
    }

    @Test func nanThresholdDropsEverything() {
        let h = parseHistogram("{{schema:0 sum:10 count:6 buckets:[2 4]}}")
        let t = h.trimmed(at: .nan, upper: true)
        #expect(t.count == 0)
        #expect(t.positiveBuckets.isEmpty)
    }
}

// MARK: - Helpers

private func close(_ a: Double, _ b: Double) -> Bool {
    if a == b || (a.isNaN && b.isNaN) { return true }
    let diff = abs(a - b)
    return diff <= 1e-6 * max(abs(a), abs(b)) || diff <= 1e-12
}

private func populated(_ spans: [NativeHistogram.Span], _ counts: [Double]) -> [(index: Int32, count: Double)] {
    NativeHistogram.indexedBuckets(spans: spans, counts: counts).filter { $0.count != 0 }
}

private func expectSameBuckets(_ actual: [(index: Int32, count: Double)], _ expected: [(index: Int32, count: Double)],
                               _ side: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let same = actual.count == expected.count
        && zip(actual, expected).allSatisfy { $0.index == $1.index && close($0.count, $1.count) }
    #expect(same, "\(side) buckets \(actual) ≠ \(expected)", sourceLocation: sourceLocation)
}

/// A histogram in the test-script notation.
private func parseHistogram(_ text: String) -> NativeHistogram {
    guard let histogram = NativeHistogram(notation: text) else {
        Issue.record("unreadable histogram \(text)")
        return NativeHistogram()
    }
    return histogram
}
