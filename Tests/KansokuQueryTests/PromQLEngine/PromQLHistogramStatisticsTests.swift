import Foundation
import Testing
import KansokuModel
@testable import KansokuQuery

/// Expected values come from the upstream PromQL scripts in
/// /work/shared/reference/promql-testdata (native_histograms.test and
/// histograms.test); histograms are written in the scripts' `{{…}}` notation
/// and built by ``histogram(_:)`` below.
struct PromQLHistogramStatisticsTests {
    typealias Stats = PromQLHistogramStatistics

    // MARK: histogram_quantile

    @Test func quantileExponentialPositiveWithZeroBucket() {
        let h = histogram("{{schema:0 count:12 sum:100 z_bucket:2 z_bucket_w:0.001 buckets:[2 3 0 1 4]}}")
        let cases: [(Double, Double)] = [
            (1.001, .infinity), (1, 16), (0.99, 15.67072476139083), (0.9, 12.99603834169977),
            (0.6, 4.594793419988138), (0.5, 1.5874010519681994), (0.1, 0.0006), (0, 0), (-1, -.infinity),
            // Inverses of histogram_fraction results.
            (0.08333333333333333, 0.0005), (0.6320802083934297, 6),
        ]
        for (q, want) in cases { expectClose(Stats.quantile(q, h), want, "q=\(q)") }
    }

    @Test func quantileExponentialNegativeWithZeroBucket() {
        let h = histogram("{{schema:0 count:12 sum:100 z_bucket:2 z_bucket_w:0.001 n_buckets:[2 3 0 1 4]}}")
        let cases: [(Double, Double)] = [
            (1.001, .infinity), (1, 0), (0.99, -0.00006), (0.9, -0.0006), (0.5, -1.5874010519681996),
            (0.1, -12.996038341699768), (0, -16), (-1, -.infinity),
            (0.9166666666666666, -0.0005), (0.36791979160657035, -6),
        ]
        for (q, want) in cases { expectClose(Stats.quantile(q, h), want, "q=\(q)") }
    }

    @Test func quantileExponentialBothSides() {
        let h = histogram(
            "{{schema:0 count:24 sum:100 z_bucket:4 z_bucket_w:0.001 buckets:[2 3 0 1 4] n_buckets:[2 3 0 1 4]}}")
        let cases: [(Double, Double)] = [
            (1.001, .infinity), (1, 16), (0.99, 15.34822590920423), (0.9, 10.556063286183155),
            (0.7, 1.2030250360821164), (0.55, 0.0006), (0.5, 0), (0.45, -0.0006), (0.3, -1.2030250360821169),
            (0.1, -10.556063286183155), (0.01, -15.34822590920423), (0, -16), (-1, -.infinity),
            (0.5416666666666666, 0.0005), (0.4583333333333333, -0.0005),
        ]
        for (q, want) in cases { expectClose(Stats.quantile(q, h), want, "q=\(q)") }
    }

    @Test func quantileSimpleHistograms() {
        let cases: [(String, Double, Double)] = [
            ("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}", 0.5, 1.414213562373095),
            ("{{count:14 sum:24 buckets:[1 12 1]}}", 0.5, 1.414213562373095),
            ("{{schema:0 z_bucket:1 z_bucket_w:0.5 sum:0.25 count:1}}", 0.5, 0),
            ("{{schema:0 sum:-5 count:4 n_buckets:[1 2 1]}}", 0.5, -1.414213562373095),
            // The median falls in a run of empty buckets: the lower bound of the next populated one.
            ("{{schema:0 count:8 sum:0 buckets:[1 2 1] n_buckets:[1 2 1]}}", 0.5, 0.5),
            ("{{schema:0 count:10 sum:50 counter_reset_hint:gauge buckets:[1 2 3 4]}}", 0.5, 3.1748021039363987),
            // Different schemas.
            ("{{schema:-1 sum:6 count:5 buckets:[0 5]}}", 0.5, 2),
            ("{{schema:0 sum:4 count:5 buckets:[0 5]}}", 0.5, 1.4142135623730951),
            ("{{schema:1 sum:4 count:5 buckets:[0 5]}}", 0.5, 1.189207),
            ("{{schema:-1 sum:6 count:5 buckets:[0 0 5]}}", 0.5, 8),
            ("{{schema:0 sum:4 count:5 buckets:[0 0 5]}}", 0.5, 2.82842712474619),
            ("{{schema:1 sum:4 count:5 buckets:[0 0 5]}}", 0.5, 1.6817928305074292),
            ("{{schema:-1 sum:6 count:5 n_buckets:[0 5]}}", 0.5, -2),
            ("{{schema:0 sum:4 count:5 n_buckets:[0 5]}}", 0.5, -1.4142135623730951),
            ("{{schema:1 sum:4 count:5 n_buckets:[0 5]}}", 0.5, -1.189207),
            ("{{schema:-1 sum:6 count:5 n_buckets:[0 0 5]}}", 0.5, -8),
            ("{{schema:0 sum:4 count:5 n_buckets:[0 0 5]}}", 0.5, -2.82842712474619),
            ("{{schema:1 sum:4 count:5 n_buckets:[0 0 5]}}", 0.5, -1.6817928305074292),
            // Custom buckets: linear interpolation.
            ("{{schema:-53 sum:5 count:4 custom_values:[5 10] buckets:[1 2 1]}}", 0.5, 7.5),
        ]
        for (text, q, want) in cases { expectClose(Stats.quantile(q, histogram(text)), want, "\(text) q=\(q)") }
    }

    @Test func quantileEmptyAndInvalid() {
        let empty = histogram("{{schema:0 sum:0 count:0}}")
        expectClose(Stats.quantile(1, empty), .nan)
        expectClose(Stats.quantile(0.5, histogram("{{schema:-53 custom_values:[0 1 2]}}")), .nan)
        let h = histogram("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}")
        expectClose(Stats.quantile(.nan, h), .nan)
        // An out-of-range q is answered ±Inf even for an empty histogram.
        expectClose(Stats.quantile(-0.1, empty), -.infinity)
        expectClose(Stats.quantile(1.01, empty), .infinity)
        #expect(Stats.quantileArgumentAnnotation(1.01) == .invalidQuantile(1.01))
        #expect(Stats.quantileArgumentAnnotation(-0.1)?.isWarning == true)
        #expect(Stats.quantileArgumentAnnotation(.nan) != nil)
        #expect(Stats.quantileArgumentAnnotation(0) == nil)
        #expect(Stats.quantileArgumentAnnotation(1) == nil)
    }

    /// Classic histograms converted to custom buckets (`load_with_nhcb` in histograms.test, at 50m).
    @Test func quantileCustomBucketsFromClassic() {
        let positive3 = nhcb([0, 0.1, 0.2, 1], [0, 50, 20, 40, 0], sum: 330)
        let negative3 = nhcb([-0.25, -0.2, -0.1, 0.3], [0, 10, 10, 0, 0], sum: 80)
        for (q, pos, neg) in [(0.0, 0.0, -0.25), (0.25, 0.055, -0.225), (0.5, 0.125, -0.2),
                              (0.75, 0.45, -0.15), (1, 1, -0.1)] {
            expectClose(Stats.quantile(q, positive3), pos, "positive q=\(q)")
            expectClose(Stats.quantile(q, negative3), neg, "negative q=\(q)")
        }
        let positive = nhcb([0.1, 0.2, 1], [50, 20, 40, 10])
        let negative = nhcb([-0.2, -0.1, 0.3], [10, 10, 0, 10])
        for (q, pos, neg) in [(0.0, 0.0, -0.2), (1, 1, 0.3), (0.2, 0.048, -0.2), (0.5, 0.15, -0.15),
                              (0.8, 0.72, 0.3), (-0.1, -.infinity, -.infinity), (1.01, .infinity, .infinity),
                              (.nan, .nan, .nan)] {
            expectClose(Stats.quantile(q, positive), pos, "positive q=\(q)")
            expectClose(Stats.quantile(q, negative), neg, "negative q=\(q)")
        }
        let middle = nhcb([0, 2, 4, 6], [0, 1, 1, 1, 0])
        expectClose(Stats.quantile(1.0 / 6.0, middle), 1)
        expectClose(Stats.quantile(0.5, middle), 3)
        expectClose(Stats.quantile(5.0 / 6.0, middle), 5)
    }

    @Test func quantileWithNaNObservations() {
        let allNaN = histogram("{{schema:0 count:3 sum:NaN}}")
        for q in [1, 0.81, 0.8, 0.4] {
            let (value, annotation) = Stats.quantileWithAnnotation(q, allNaN)
            expectClose(value, .nan, "100% q=\(q)")
            #expect(annotation == .quantileNaNResult)
        }
        let someNaN = histogram("{{schema:0 count:15 sum:NaN buckets:[12]}}")
        for (q, want, note) in [(1.0, Double.nan, Stats.Annotation.quantileNaNResult),
                                (0.81, .nan, .quantileNaNResult),
                                (0.8, 1, .quantileNaNSkew),
                                (0.4, 0.7071067811865475, .quantileNaNSkew)] {
            let (value, annotation) = Stats.quantileWithAnnotation(q, someNaN)
            expectClose(value, want, "20% q=\(q)")
            #expect(annotation == note, "20% q=\(q)")
        }
        // No NaN observations: no annotation.
        #expect(Stats.quantileWithAnnotation(0.5, histogram("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}"))
            .annotation == nil)
    }

    /// Prometheus interpolates in the LAST bucket after its NaN-skew scan
    /// (it reassigns the bucket variable). Values recorded from Prometheus's
    /// own `HistogramQuantile` (tsouza/cerberus issue 2072): buckets (1,2]
    /// and (2,4] with 2 observations each plus 2 NaN observations.
    @Test func quantileWithNaNObservationsUsesLastBucket() {
        let h = histogram("{{schema:0 count:6 sum:NaN offset:1 buckets:[2 2]}}")
        expectClose(Stats.quantile(0.25, h), 3.3635856610148585)
        expectClose(Stats.quantile(0.5, h), 2.82842712474619)
        expectClose(Stats.quantile(0.75, h), .nan)
        expectClose(Stats.quantile(0.9, h), .nan)
    }

    // MARK: histogram_fraction

    @Test func fractionPositiveWithZeroBucket() {
        let h = histogram("{{schema:0 count:12 sum:100 z_bucket:2 z_bucket_w:0.001 buckets:[2 3 0 1 4]}}")
        let cases: [(Double, Double, Double)] = [
            (0, .infinity, 1), (-.infinity, 0, 0), (-0.001, 0, 0), (0, 0.001, 0.16666666666666666),
            (0.001, .infinity, 0.8333333333333334), (0, 0.0005, 0.08333333333333333), (-.infinity, -0.001, 0),
            (1, 2, 0.25), (0, 1.5, 0.4795739585136224), (1.5, 2, 0.10375937481971091), (1, 8, 0.3333333333333333),
            (0, 6, 0.6320802083934297), (1, 6, 0.29874687506009634), (1.5, 6, 0.15250624987980724),
            (-2, -1, 0), (-2, -1.5, 0), (-8, -1, 0), (-6, -1, 0), (-6, -1.5, 0), (42, 3.1415, 0), (0, 0, 0),
            (0.000001, 0.000001, 0), (42, 42, 0), (-3.1, -3.1, 0), (3.1415, .nan, .nan), (.nan, 42, .nan),
            (.nan, .nan, .nan), (-.infinity, .infinity, 1),
        ]
        for (lower, upper, want) in cases {
            expectClose(Stats.fraction(lower: lower, upper: upper, h), want, "(\(lower), \(upper))")
        }
    }

    @Test func fractionNegativeWithZeroBucket() {
        let h = histogram("{{schema:0 count:12 sum:100 z_bucket:2 z_bucket_w:0.001 n_buckets:[2 3 0 1 4]}}")
        let cases: [(Double, Double, Double)] = [
            (0, .infinity, 0), (-.infinity, 0, 1), (-0.001, 0, 0.16666666666666666), (0, 0.001, 0),
            (-0.0005, 0, 0.08333333333333333), (-.infinity, -0.0005, 0.9166666666666666), (0.001, .infinity, 0),
            (-.infinity, -0.001, 0.8333333333333334), (1, 2, 0), (1.5, 2, 0), (1, 8, 0), (1, 6, 0), (1.5, 6, 0),
            (-2, -1, 0.25), (-2, -1.5, 0.10375937481971091), (-8, -1, 0.3333333333333333),
            (-.infinity, -6, 0.36791979160657035), (-6, -1, 0.29874687506009634), (-6, -1.5, 0.15250624987980724),
            (42, 3.1415, 0), (0, 0, 0), (0.000001, 0.000001, 0), (42, 42, 0), (-3.1, -3.1, 0),
            (3.1415, .nan, .nan), (.nan, 42, .nan), (.nan, .nan, .nan), (-.infinity, .infinity, 1),
        ]
        for (lower, upper, want) in cases {
            expectClose(Stats.fraction(lower: lower, upper: upper, h), want, "(\(lower), \(upper))")
        }
    }

    @Test func fractionBothSides() {
        let h = histogram(
            "{{schema:0 count:24 sum:100 z_bucket:4 z_bucket_w:0.001 buckets:[2 3 0 1 4] n_buckets:[2 3 0 1 4]}}")
        let cases: [(Double, Double, Double)] = [
            (0, .infinity, 0.5), (-.infinity, 0, 0.5), (-0.001, 0, 0.08333333333333333),
            (0, 0.001, 0.08333333333333333), (-0.0005, 0.0005, 0.08333333333333333),
            (-.infinity, 0.0005, 0.5416666666666666), (-.infinity, -0.0005, 0.4583333333333333),
            (0.001, .infinity, 0.4166666666666667), (-.infinity, -0.001, 0.4166666666666667), (1, 2, 0.125),
            (1.5, 2, 0.051879687409855414), (1, 8, 0.16666666666666666), (1, 6, 0.14937343753004825),
            (1.5, 6, 0.07625312493990366), (-2, -1, 0.125), (-2, -1.5, 0.051879687409855456),
            (-8, -1, 0.16666666666666666), (-6, -1, 0.14937343753004817), (-6, -1.5, 0.07625312493990362),
            (42, 3.1415, 0), (0, 0, 0), (42, 42, 0), (.nan, 42, .nan), (-.infinity, .infinity, 1),
        ]
        for (lower, upper, want) in cases {
            expectClose(Stats.fraction(lower: lower, upper: upper, h), want, "(\(lower), \(upper))")
        }
    }

    @Test func fractionSimpleHistograms() {
        let cases: [(String, Double, Double, Double)] = [
            ("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}", 1, 2, 0.5),
            ("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}", 0, 8, 1),
            ("{{count:14 sum:24 buckets:[1 12 1]}}", 1, 2, 0.8571428571428571),
            ("{{schema:-1 count:5 sum:8 offset:1 buckets:[5]}}", 1, 4, 1),
            ("{{schema:0 z_bucket:1 z_bucket_w:0.5 sum:0.25 count:1}}", -0.5, 0.5, 1),
            ("{{schema:0 sum:-5 count:4 n_buckets:[1 2 1]}}", -2, -1, 0.5),
            ("{{schema:0 count:8 sum:0 buckets:[1 2 1] n_buckets:[1 2 1]}}", 0, 4, 0.5),
            ("{{schema:-1 sum:6 count:5 buckets:[0 5]}}", 0, 2, 0.5),
            ("{{schema:0 sum:4 count:5 buckets:[0 5]}}", 0, 1.4142135623730951, 0.5),
            ("{{schema:1 sum:4 count:5 buckets:[0 5]}}", 0, 1.189207, 0.5),
            ("{{schema:-1 sum:6 count:5 buckets:[0 0 5]}}", 0, 8, 0.5),
            ("{{schema:0 sum:4 count:5 buckets:[0 0 5]}}", 0, 2.82842712474619, 0.5),
            ("{{schema:1 sum:4 count:5 buckets:[0 0 5]}}", 0, 1.6817928305074292, 0.5),
            ("{{schema:-1 sum:6 count:5 n_buckets:[0 5]}}", -2, 0, 0.5),
            ("{{schema:0 sum:4 count:5 n_buckets:[0 5]}}", -1.4142135623730951, 0, 0.5),
            ("{{schema:1 sum:4 count:5 n_buckets:[0 5]}}", -1.189207, 0, 0.5),
            ("{{schema:-1 sum:6 count:5 n_buckets:[0 0 5]}}", -8, 0, 0.5),
            ("{{schema:0 sum:4 count:5 n_buckets:[0 0 5]}}", -2.82842712474619, 0, 0.5),
            ("{{schema:1 sum:4 count:5 n_buckets:[0 0 5]}}", -1.6817928305074292, 0, 0.5),
            ("{{schema:-53 sum:5 count:4 custom_values:[5 10] buckets:[1 2 1]}}", 5, 10, 0.5),
            // Empty histograms.
            ("{{}}", 3.1415, 42, .nan),
            ("{{}}", -.infinity, .infinity, .nan),
            ("{{schema:-53 custom_values:[-2 3]}}", 0, 8, .nan),
            ("{{schema:0 sum:0 count:0}}", 0, 1, .nan),
        ]
        for (text, lower, upper, want) in cases {
            expectClose(Stats.fraction(lower: lower, upper: upper, histogram(text)), want, "\(text) (\(lower), \(upper))")
        }
    }

    /// `histogram_fraction(…) * histogram_count(…)` identities from the trim-operator tests.
    @Test func fractionTimesCount() {
        let h = histogram("{{schema:0 sum:123.75 count:34 z_bucket:1 z_bucket_w:0.001 buckets:[2 4 8 16] n_buckets:[1 2]}}")
        let h2 = histogram(
            "{{schema:2 sum:12.8286080906 count:28 z_bucket:1 z_bucket_w:0.001 buckets:[1 2 4 7 3] n_buckets:[1 5 3 1]}}")
        let cbh = histogram("{{schema:-53 sum:172.5 count:15 custom_values:[5 10 15 20] buckets:[1 6 4 3 1]}}")
        let cases: [(NativeHistogram, Double, Double, Double)] = [
            (h, -.infinity, 2, 10), (h, 2, .infinity, 24), (h, -.infinity, -1, 2), (h, -1, .infinity, 32),
            (h, -.infinity, 0, 3.5), (h, 0, .infinity, 30.5), (h, -.infinity, 1.4142135624, 8),
            (h, 1.4142135624, .infinity, 26),
            (h2, -.infinity, 1.13, 13.410582181123704), (h2, 1.13, .infinity, 14.589417818876296),
            (cbh, -.infinity, 15, 11), (cbh, 15, .infinity, 4), (cbh, -.infinity, 13, 9.4), (cbh, 13, .infinity, 5.6),
        ]
        for (hist, lower, upper, want) in cases {
            expectClose(Stats.fraction(lower: lower, upper: upper, hist) * hist.count, want, "(\(lower), \(upper))")
        }
    }

    /// Custom-bucket cases of histograms.test (classic histograms converted at 50m).
    @Test func fractionCustomBucketsFromClassic() {
        let ascending = nhcb([1, 2, 3], [1, 2, 3, 94])
        let negative = nhcb([-3, -2, -1], [10, 2, 3, 85])
        let cases: [(NativeHistogram, Double, Double, Double)] = [
            (nhcb([0, 2, 4, 6], [0, 10, 10, 10, 0]), 0, 4, 0.6666666666666666),
            (nhcb([0, 2, 4, 6], [0, 10, 10, 10, 0]), 0, 6, 1),
            (nhcb([0, 2, 4, 6], [0, 10, 10, 10, 0]), 0, 3.5, 0.5833333333333334),
            (nhcb([0, 0.1, 0.2, 1], [0, 50, 20, 40, 0], sum: 330), 0, 0.2, 0.6363636363636364),
            (nhcb([-0.25, -0.2, -0.1, 0.3], [0, 10, 10, 0, 0], sum: 80), 0, 0.2, 0),
            (ascending, 0, 1.5, 0.02), (negative, -4, -2, 0.02), (negative, -.infinity, -1.5, 0.135),
            (ascending, -.infinity, .infinity, 1), (negative, -.infinity, .infinity, 1),
            (ascending, 4, 5, 0), (negative, 0, 1, 0), (ascending, 2, 5, 0.03), (ascending, 400, .infinity, 0.94),
            (ascending, 2, 2, 0), (ascending, 3, 2, 0), (nhcb([], [100]), 0, 1, 0),
            (nhcb([1, 2, 3], [0, 0, 0, 0]), 0, 5, .nan), (ascending, 2, 3.5, 0.03), (ascending, 0.5, 2, 0.025),
            (ascending, 1, 3, 0.05), (nhcb([0.5, 1], [2.5, 5, 92.5]), 0.1, 0.75, 0.045),
            (nhcb([-2, -1, 0, 1], [5, 5, 5, 5, 80]), -1, 1, 0.1),
            (nhcb([1], [1, 99]), .nan, 1, .nan), (nhcb([1], [1, 99]), 0, .nan, .nan),
            (nhcb([1, 2], [1, 2, 7]), -10, -5, 0), (nhcb([1, 2], [1, 2, 7]), 5, 10, 0),
        ]
        for (hist, lower, upper, want) in cases {
            expectClose(Stats.fraction(lower: lower, upper: upper, hist), want, "\(hist.customValues) (\(lower), \(upper))")
        }
    }

    @Test func fractionWithNaNObservations() {
        let allNaN = histogram("{{schema:0 count:3 sum:NaN}}")
        let someNaN = histogram("{{schema:0 count:15 sum:NaN buckets:[12]}}")
        for (h, upper, want) in [(allNaN, 0.7071067811865475, 0.0), (someNaN, 0.7071067811865475, 0.4),
                                 (allNaN, .infinity, 0), (someNaN, .infinity, 0.8)] {
            let (value, annotation) = Stats.fractionWithAnnotation(lower: -.infinity, upper: upper, h)
            expectClose(value, want, "count \(h.count) upper \(upper)")
            #expect(annotation == .fractionNaNsExcluded)
        }
        let plain = histogram("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}")
        #expect(Stats.fractionWithAnnotation(lower: 0, upper: 8, plain).annotation == nil)
    }

    // MARK: histogram_stddev / histogram_stdvar

    @Test func stddevAndStdvar() {
        let zeros3 = "0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1"
        let negatives3 = "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1"
        let cases: [(String, Double, Double)] = [
            ("{{schema:2 count:4 sum:10 buckets:[1 0 0 0 1 0 0 1 1]}}", 1.0787993180043811, 1.163807968526718),
            ("{{schema:8 count:10 sum:10 buckets:[1 2 3 4]}}", 0.0048960313898237465, 2.3971123370139447e-05),
            ("{{schema:3 count:7 sum:62 z_bucket:1 buckets:[\(zeros3)] n_buckets:[\(negatives3)]}}",
             42.94723640026, 1844.4651144196398),
            ("{{schema:0 count:10 sum:-112946 z_bucket:0 n_buckets:[0 0 1 1 1 0 1 1 0 0 3 0 0 0 1 0 0 1]}}",
             27556.344499842, 759352122.1939945),
            ("{{schema:0 count:10 sum:-100 z_bucket:0 n_buckets:[0 0 0 0 10]}}", 1.3137084989848, 1.725830020304794),
            ("{{schema:3 count:7 sum:NaN z_bucket:1 buckets:[\(zeros3)] n_buckets:[\(negatives3)]}}", .nan, .nan),
            ("{{schema:3 count:7 sum:Inf z_bucket:1 buckets:[\(zeros3)] n_buckets:[\(negatives3)]}}",
             .infinity, .infinity),
            ("{{schema:0 sum:0 count:0}}", .nan, .nan),
        ]
        for (text, stddev, stdvar) in cases {
            let h = histogram(text)
            expectClose(Stats.stddev(h), stddev, "stddev \(text)")
            expectClose(Stats.stdvar(h), stdvar, "stdvar \(text)")
        }
    }

    /// histograms.test: custom buckets use arithmetic midpoints.
    @Test func stddevAndStdvarCustomBuckets() {
        let positive = nhcb([0, 0.1, 0.2, 1], [0, 50, 20, 40, 0], sum: 330)
        let negative = nhcb([-0.25, -0.2, -0.1, 0.3], [0, 10, 10, 0, 0], sum: 80)
        expectClose(Stats.stddev(positive), 2.7435461458749795)
        expectClose(Stats.stdvar(positive), 7.527045454545455)
        expectClose(Stats.stddev(negative), 4.187667907081458)
        expectClose(Stats.stdvar(negative), 17.5365625)
    }

    // MARK: Bucket walk

    @Test func walkClipsAtZeroThresholdAndSkipsEmptyZeroBucket() {
        // Buckets (0.25,0.5] and (0.5,1] with zero threshold 0.3; the zero bucket is empty.
        let h = histogram("{{schema:0 count:2 sum:1 z_bucket_w:0.3 offset:-1 buckets:[1 1]}}")
        let walked = Stats.walk(h)
        #expect(walked.count == 2)
        #expect(walked.first == Stats.Bucket(lower: 0.3, upper: 0.5, count: 1))
        #expect(walked.last == Stats.Bucket(lower: 0.5, upper: 1, count: 1))
    }

    // MARK: Helpers

    /// A histogram with custom bounds `bounds` and one span of `counts` from
    /// bucket 0 (the shape `load_with_nhcb` gives a classic histogram).
    private func nhcb(_ bounds: [Double], _ counts: [Double], sum: Double = 0) -> NativeHistogram {
        NativeHistogram(schema: NativeHistogram.customBucketsSchema, count: counts.reduce(0, +), sum: sum,
                        positiveSpans: [.init(offset: 0, length: UInt32(counts.count))],
                        positiveBuckets: counts, customValues: bounds)
    }

    /// A histogram in the test scripts' notation.
    private func histogram(_ text: String) -> NativeHistogram {
        guard let h = NativeHistogram(notation: text) else {
            Issue.record("unreadable histogram \(text)")
            return NativeHistogram()
        }
        return h
    }

    /// Equal within a relative 1e-6 (absolute 1e-12 near zero); NaN matches
    /// NaN and infinities must match exactly.
    private func expectClose(_ actual: Double, _ expected: Double, _ context: String = "",
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let ok: Bool
        if expected.isNaN {
            ok = actual.isNaN
        } else if expected.isInfinite || expected == 0 {
            ok = actual == expected || (expected == 0 && Swift.abs(actual) < 1e-12)
        } else {
            ok = Swift.abs(actual - expected) <= 1e-6 * Swift.abs(expected)
        }
        #expect(ok, "\(context): got \(actual), want \(expected)", sourceLocation: sourceLocation)
    }
}
