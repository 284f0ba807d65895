import Testing
@testable import KansokuModel

// Cases come from Prometheus's model/histogram/float_histogram_test.go and from
// the expected values of promql-testdata/native_histograms.test. Results are
// compared after `compacted()`, as both of those do.

fileprivate typealias H = NativeHistogram

private func S(_ offset: Int32, _ length: UInt32) -> H.Span { H.Span(offset: offset, length: length) }

/// A histogram in the `.test` notation.
private func h(_ text: String) -> H {
    guard let histogram = H(notation: text) else {
        Issue.record("unreadable histogram \(text)")
        return H()
    }
    return histogram
}

private func add(_ a: H, _ b: H) throws -> (result: H, counterResetCollision: Bool, reconciledCustomBuckets: Bool) {
    try a.adding(b)
}

@Suite struct NativeHistogramAddTests {
    @Test func sameLayoutDefinedDifferently() throws {
        let a = H(zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 2.345,
                  positiveSpans: [S(-2, 2), S(1, 1), S(0, 2)], negativeSpans: [S(3, 2), S(3, 2)],
                  positiveBuckets: [1, 0, 3, 4, 7], negativeBuckets: [3, 1, 5, 6])
        let b = H(zeroThreshold: 0.01, zeroCount: 8, count: 21, sum: 1.234,
                  positiveSpans: [S(-2, 2), S(1, 2), S(0, 1)], negativeSpans: [S(3, 7)],
                  positiveBuckets: [0, 0, 2, 3, 6], negativeBuckets: [1, 1, 0, 0, 0, 4, 4])
        let expected = H(zeroThreshold: 0.01, zeroCount: 19, count: 51, sum: 3.579,
                         positiveSpans: [S(-2, 1), S(2, 3)], negativeSpans: [S(3, 2), S(3, 2)],
                         positiveBuckets: [1, 5, 7, 13], negativeBuckets: [4, 2, 9, 10])
        for (x, y) in [(a, b), (b, a)] {
            let r = try add(x, y)
            #expect(r.result.compacted() == expected)
            #expect(!r.counterResetCollision && !r.reconciledCustomBuckets)
        }
        // Unlike Prometheus's in-place merge, the uncompacted result has canonical spans.
        #expect(try add(a, b).result.positiveSpans == [S(-2, 2), S(1, 3)])
    }

    @Test func differentSchemasReduceToTheLowerOne() throws {
        let a = H(schema: 0, zeroThreshold: 0.01, zeroCount: 8, count: 21, sum: 1.234,
                  positiveSpans: [S(-1, 4), S(0, 3)], negativeSpans: [S(4, 2), S(1, 2)],
                  positiveBuckets: [5, 4, 2, 3, 6, 2, 5], negativeBuckets: [1, 1, 4, 4])
        let b = H(schema: 1, zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 2.345,
                  positiveSpans: [S(-4, 3), S(5, 5)], negativeSpans: [S(6, 3), S(6, 4)],
                  positiveBuckets: [1, 0, 0, 3, 2, 2, 3, 4], negativeBuckets: [3, 0.5, 0.5, 2, 3, 2, 4])
        let expected = H(schema: 0, zeroThreshold: 0.01, zeroCount: 19, count: 51, sum: 3.579,
                         positiveSpans: [S(-2, 8)], negativeSpans: [S(3, 3), S(1, 3)],
                         positiveBuckets: [1, 5, 4, 2, 6, 10, 9, 5], negativeBuckets: [3, 2, 1, 4, 9, 6])
        #expect(try add(a, b).result.compacted() == expected)
        #expect(try add(b, a).result.compacted() == expected)
    }

    @Test func zeroThresholdWidensIntoPopulatedBucket() throws {
        // 0.2 falls inside (0.125, 0.25], populated in `b`: the common threshold becomes 0.25.
        let a = H(zeroThreshold: 0.2, zeroCount: 17, count: 21, sum: 1.234,
                  positiveSpans: [S(1, 2), S(0, 3)], negativeSpans: [S(4, 2), S(1, 2)],
                  positiveBuckets: [2, 3, 6, 2, 5], negativeBuckets: [1, 1, 4, 4])
        let b = H(zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 2.345,
                  positiveSpans: [S(-2, 2), S(2, 3)], negativeSpans: [S(3, 2), S(3, 2)],
                  positiveBuckets: [1, 0, 3, 4, 7], negativeBuckets: [3, 1, 5, 6])
        let expected = H(zeroThreshold: 0.25, zeroCount: 29, count: 51, sum: 3.579,
                         positiveSpans: [S(1, 5)], negativeSpans: [S(3, 3), S(1, 3)],
                         positiveBuckets: [2, 6, 10, 9, 5], negativeBuckets: [3, 2, 1, 4, 9, 6])
        #expect(try add(a, b).result.compacted() == expected)
        #expect(try add(b, a).result.compacted() == expected)
    }

    @Test func schemaChangeWithLargerZeroBucket() throws {
        let a = H(schema: 0, zeroThreshold: 0.01, zeroCount: 8, count: 21, sum: 1.234,
                  positiveSpans: [S(-2, 5), S(0, 3)], negativeSpans: [S(4, 2), S(1, 2)],
                  positiveBuckets: [2, 5, 4, 2, 3, 6, 2, 5], negativeBuckets: [1, 1, 4, 4])
        let b = H(schema: 1, zeroThreshold: 0.25, zeroCount: 12, count: 30, sum: 2.345,
                  positiveSpans: [S(-3, 2), S(5, 5)], negativeSpans: [S(6, 3), S(6, 4)],
                  positiveBuckets: [1, 0, 3, 2, 2, 3, 4], negativeBuckets: [3, 0.5, 0.5, 2, 3, 2, 4])
        let expected = H(zeroThreshold: 0.25, zeroCount: 22, count: 51, sum: 3.579,
                         positiveSpans: [S(-1, 7)], negativeSpans: [S(3, 3), S(1, 3)],
                         positiveBuckets: [6, 4, 2, 6, 10, 9, 5], negativeBuckets: [3, 2, 1, 4, 9, 6])
        #expect(try add(a, b).result.compacted() == expected)
        #expect(try add(b, a).result.compacted() == expected)
    }

    @Test func promqlTestScriptSumOfDifferentSchemas() throws {
        let a = h("{{schema:0 count:25 sum:3.1 z_bucket:4 z_bucket_w:0.001 buckets:[1 2 0 1 1] n_buckets:[2 4 0 0 1 9]}}")
        let b = h("{{schema:1 count:0 sum:1.3 z_bucket:3 z_bucket_w:0.001 buckets:[2 4 2 3 2 2] n_buckets:[1 2 5 3 8 1 1 1 1 6 3]}}")
        let expected = h("{{schema:0 count:25 sum:4.4 z_bucket:7 z_bucket_w:0.001 buckets:[3 8 5 3 1] n_buckets:[3 11 11 2 3 18]}}")
        #expect(try add(a, b).result.compacted() == expected.compacted())
    }

    @Test func customBucketsWithSameBounds() throws {
        let a = h("{{schema:-53 sum:1 count:1 custom_values:[5 10] buckets:[1]}}")
        let b = h("{{schema:-53 sum:15 count:2 custom_values:[5 10] buckets:[0 2]}}")
        let r = try add(a, b)
        #expect(r.result.compacted() == h("{{schema:-53 sum:16 count:3 custom_values:[5 10] buckets:[1 2]}}"))
        #expect(!r.reconciledCustomBuckets)
    }

    @Test(arguments: [
        // Prometheus test "different custom bucket layout - intersection and rollup".
        ("{{schema:-53 count:6 sum:2 custom_values:[2 4] buckets:[1 0 5]}}",
         "{{schema:-53 count:220 sum:1 custom_values:[1 2 3 4 5] buckets:[10 20 0 40 50 100]}}",
         "{{schema:-53 count:226 sum:3 custom_values:[2 4] buckets:[31 40 155]}}"),
        // Only +Inf in common: everything ends up in one bucket.
        ("{{schema:-53 count:3 sum:50 custom_values:[1.5] buckets:[1 2]}}",
         "{{schema:-53 count:30 sum:40 custom_values:[2.5] buckets:[10 20]}}",
         "{{schema:-53 count:33 sum:90 buckets:[33]}}"),
        // native_histograms.test: metric{series="2"} + metric{series="3"}.
        ("{{schema:-53 sum:1 count:1 custom_values:[10] buckets:[1]}}",
         "{{schema:-53 sum:1 count:1 custom_values:[2 10] buckets:[1]}}",
         "{{schema:-53 count:2 sum:2 custom_values:[10] buckets:[2]}}"),
        ("{{schema:-53 sum:1 count:1 custom_values:[5] buckets:[1]}}",
         "{{schema:-53 sum:1 count:1 custom_values:[5 10] buckets:[1]}}",
         "{{schema:-53 count:2 sum:2 custom_values:[5] buckets:[2]}}"),
    ])
    func customBucketsWithDifferentBoundsAreReconciled(a: String, b: String, expected: String) throws {
        for (x, y) in [(h(a), h(b)), (h(b), h(a))] {
            let r = try add(x, y)
            #expect(r.reconciledCustomBuckets)
            #expect(r.result.compacted() == h(expected))
        }
    }

    @Test func mixingExponentialAndCustomBucketsThrows() {
        let exponential = h("{{sum:2 count:3 buckets:[1 1 1]}}")
        let custom = h("{{schema:-53 sum:1 count:1 custom_values:[5 10] buckets:[1]}}")
        #expect(throws: NativeHistogramError.mixedExponentialAndCustomBuckets) { try exponential.adding(custom) }
        #expect(throws: NativeHistogramError.mixedExponentialAndCustomBuckets) { try custom.subtracting(exponential) }
    }

    typealias Hint = NativeHistogram.CounterResetHint
    @Test(arguments: [
        (Hint.unknown, Hint.unknown, Hint.unknown, false), (.unknown, .counterReset, .unknown, false),
        (.unknown, .notCounterReset, .unknown, false), (.unknown, .gauge, .gauge, false),
        (.counterReset, .unknown, .unknown, false), (.counterReset, .counterReset, .counterReset, false),
        (.counterReset, .notCounterReset, .unknown, true), (.counterReset, .gauge, .gauge, false),
        (.notCounterReset, .unknown, .unknown, false), (.notCounterReset, .counterReset, .unknown, true),
        (.notCounterReset, .notCounterReset, .notCounterReset, false), (.notCounterReset, .gauge, .gauge, false),
        (.gauge, .unknown, .gauge, false), (.gauge, .counterReset, .gauge, false),
        (.gauge, .notCounterReset, .gauge, false), (.gauge, .gauge, .gauge, false),
    ])
    func counterResetHints(own: Hint, other: Hint, expected: Hint, collision: Bool) throws {
        for schema in [Int32(0), H.customBucketsSchema] {
            for subtract in [false, true] {
                let a = H(counterResetHint: own, schema: schema)
                let b = H(counterResetHint: other, schema: schema)
                let r = subtract ? try a.subtracting(b) : try a.adding(b)
                #expect(r.result.counterResetHint == expected)
                #expect(r.counterResetCollision == collision)
            }
        }
    }
}

@Suite struct NativeHistogramSubtractTests {
    @Test(arguments: [
        ("{{schema:0 count:41 sum:2345.6 z_bucket:5 z_bucket_w:0.001 buckets:[1 3 1 2 1 1 1] n_buckets:[0 1 4 2 7 0 0 0 0 5 5 2]}}",
         "{{schema:0 count:11 sum:1234.5 z_bucket:3 z_bucket_w:0.001 buckets:[0 2 1] n_buckets:[0 0 3 2]}}",
         "{{schema:0 count:30 sum:1111.1 z_bucket:2 z_bucket_w:0.001 buckets:[1 1 0 2 1 1 1] n_buckets:[0 1 1 0 7 0 0 0 0 5 5 2]}}"),
        ("{{schema:0 count:41 sum:2345.6 z_bucket:5 z_bucket_w:0.001 buckets:[1 3 1 2 1 1 1] n_buckets:[0 1 4 2 7 0 0 0 0 5 5 2]}}",
         "{{schema:1 count:11 sum:1234.5 z_bucket:3 z_bucket_w:0.001 buckets:[0 2 1] n_buckets:[0 0 3 2]}}",
         "{{schema:0 count:30 sum:1111.1 z_bucket:2 z_bucket_w:0.001 buckets:[1 0 1 2 1 1 1] n_buckets:[0 -2 2 2 7 0 0 0 0 5 5 2]}}"),
        ("{{schema:1 count:11 sum:1234.5 z_bucket:3 z_bucket_w:0.001 buckets:[0 2 1] n_buckets:[0 0 3 2]}}",
         "{{schema:0 count:41 sum:2345.6 z_bucket:5 z_bucket_w:0.001 buckets:[1 3 1 2 1 1 1] n_buckets:[0 1 4 2 7 0 0 0 0 5 5 2]}}",
         "{{schema:0 count:-30 sum:-1111.1 z_bucket:-2 z_bucket_w:0.001 buckets:[-1 0 -1 -2 -1 -1 -1] n_buckets:[0 2 -2 -2 -7 0 0 0 0 -5 -5 -2]}}"),
    ])
    func promqlTestScriptSubtraction(a: String, b: String, expected: String) throws {
        let r = try h(a).subtracting(h(b))
        #expect(r.result.compacted() == h(expected).compacted())
    }

    @Test func mismatchedCustomBucketsCancelToNoBuckets() throws {
        let r = try h("{{schema:-53 sum:1 count:1 custom_values:[10] buckets:[1]}}")
            .subtracting(h("{{schema:-53 sum:1 count:1 custom_values:[2 10] buckets:[1]}}"))
        #expect(r.reconciledCustomBuckets)
        // Empty target buckets are not listed at all.
        #expect(r.result == h("{{schema:-53 custom_values:[10]}}"))
    }

    @Test func bucketsOnlyInOtherBecomeNegative() throws {
        let a = H(schema: 0, count: 1, positiveSpans: [S(0, 1)], positiveBuckets: [1])
        let b = H(schema: 0, count: 2, positiveSpans: [S(2, 1)], positiveBuckets: [2])
        let r = try a.subtracting(b).result
        #expect(r == H(schema: 0, count: -1, positiveSpans: [S(0, 1), S(1, 1)], positiveBuckets: [1, -2]))
    }
}

@Suite struct NativeHistogramScalingTests {
    private let counter = h("{{schema:0 sum:4 count:4 z_bucket:1 buckets:[1 2 1] n_buckets:[1]}}")

    @Test func negativeFactorMakesAGauge() {
        let r = counter.multiplied(by: -1)
        #expect(r == h("{{count:-4 sum:-4 z_bucket:-1 counter_reset_hint:gauge buckets:[-1 -2 -1] n_buckets:[-1]}}"))
        #expect(counter.multiplied(by: 0.5).counterResetHint == .unknown)
        #expect(counter.divided(by: -2) == counter.multiplied(by: -0.5))
    }

    @Test func multiplyingByZeroKeepsBuckets() {
        let r = counter.multiplied(by: 0)
        #expect(r.positiveSpans == counter.positiveSpans && r.positiveBuckets == [0, 0, 0])
        #expect(r.compacted().positiveBuckets.isEmpty)
    }

    @Test func nanAndInfinityPropagate() {
        let nan = counter.multiplied(by: .nan)
        #expect(nan.count.isNaN && nan.positiveBuckets.allSatisfy(\.isNaN) && nan.counterResetHint == .unknown)
        let inf = counter.multiplied(by: -.infinity)
        #expect(inf.count == -.infinity && inf.counterResetHint == .gauge)
        #expect(counter.divided(by: .infinity).positiveBuckets == [0, 0, 0])
    }

    @Test func dividingByZeroDropsBuckets() {
        let r = counter.divided(by: 0)
        #expect(r.count == .infinity && r.sum == .infinity && r.zeroCount == .infinity)
        #expect(r.positiveSpans.isEmpty && r.positiveBuckets.isEmpty && r.negativeBuckets.isEmpty)
        #expect(r.counterResetHint == .unknown)
        #expect(H().divided(by: 0).count.isNaN)
    }
}

@Suite struct NativeHistogramLayoutTests {
    @Test func compactDropsEmptyEdgesAndSplitsSpans() {
        let input = H(positiveSpans: [S(-4, 6), S(3, 6)], negativeSpans: [S(0, 0), S(3, 2)],
                      positiveBuckets: [0, 0, 1, 3.3, 0, 0, 4.2, 0.1, 3.3, 0, 0, 0], negativeBuckets: [0, 0])
        #expect(input.compacted() == H(positiveSpans: [S(-2, 2), S(5, 3)], positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3]))
        // Gaps of at most maxEmptyBuckets (listed or not) become explicit zeros.
        #expect(input.compacted(maxEmptyBuckets: 5)
            == H(positiveSpans: [S(-2, 10)], positiveBuckets: [1, 3.3, 0, 0, 0, 0, 0, 4.2, 0.1, 3.3]))
        #expect(input.compacted(maxEmptyBuckets: 4) == input.compacted())
    }

    @Test func compactKeepsNaNBucketsAndCustomBounds() {
        let input = H(schema: -53, positiveSpans: [S(0, 3)], positiveBuckets: [0, .nan, 0], customValues: [1, 2, 3])
        let r = input.compacted()
        #expect(r.positiveSpans == [S(1, 1)] && r.positiveBuckets[0].isNaN && r.customValues == [1, 2, 3])
    }

    @Test func reduceResolution() {
        let input = H(schema: 0, zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 2.345,
                      positiveSpans: [S(-2, 4), S(0, 0), S(3, 2)], negativeSpans: [S(-3, 2), S(1, 2)],
                      positiveBuckets: [1, 2, 3, 1, 3, 0], negativeBuckets: [1, 3, 1, 2])
        // Index i goes to ((i − 1) >> 1) + 1: −2 → −1; −1, 0 → 0; 1 → 1; 5, 6 → 3.
        // A listed empty bucket stays listed.
        #expect(input.reducedResolution(to: -1) == H(
            schema: -1, zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 2.345,
            positiveSpans: [S(-1, 3), S(1, 1)], negativeSpans: [S(-1, 3)],
            positiveBuckets: [1, 5, 1, 3], negativeBuckets: [4, 1, 2]))
        #expect(input.reducedResolution(to: 0) == input)
        #expect(input.reducedResolution(to: 1) == input)
        #expect(h("{{schema:-53 custom_values:[1] buckets:[1 2]}}").reducedResolution(to: -1).schema == -53)
    }

    @Test func widenZeroBucket() {
        let input = H(zeroThreshold: 0.01, zeroCount: 5, count: 20,
                      positiveSpans: [S(-2, 3)], negativeSpans: [S(-1, 2)],
                      positiveBuckets: [1, 2, 3], negativeBuckets: [4, 5])
        // 0.3 is inside the populated (0.25, 0.5]: raised to 0.5 and the bucket merged.
        let r = input.widenedZeroBucket(to: 0.3)
        #expect(r == H(zeroThreshold: 0.5, zeroCount: 12, count: 20, positiveSpans: [S(0, 1)],
                       negativeSpans: [S(0, 1)], positiveBuckets: [3], negativeBuckets: [5]))
        #expect(input.widenedZeroBucket(to: 0.001) == input)
        // The populated negative (0.25, 0.5] pushes the threshold to 0.5 after the
        // positive side was examined with 0.3 (its straddling bucket is empty).
        let restart = H(positiveSpans: [S(-1, 2)], negativeSpans: [S(-1, 1)],
                        positiveBuckets: [0, 1], negativeBuckets: [1])
        #expect(restart.widenedZeroBucket(to: 0.3)
            == H(zeroThreshold: 0.5, zeroCount: 1, positiveSpans: [S(0, 1)], positiveBuckets: [1]))
        // An empty bucket around the new threshold does not move it.
        let empty = H(positiveSpans: [S(0, 2)], positiveBuckets: [0, 1])
        #expect(empty.widenedZeroBucket(to: 0.75) == H(zeroThreshold: 0.75, positiveSpans: [S(1, 1)], positiveBuckets: [1]))
    }
}

@Suite struct NativeHistogramResetTests {
    private let base = H(zeroThreshold: 0.01, zeroCount: 5.5, count: 3493.3, sum: 2349209.324,
                 positiveSpans: [S(-2, 2), S(1, 3)], negativeSpans: [S(3, 2), S(3, 2)],
                 positiveBuckets: [1, 0, 3.3, 4.2, 0.1], negativeBuckets: [3.1, 3, 1.234e5, 1000])

    private func with(_ change: (inout H) -> Void) -> H {
        var copy = base
        change(&copy)
        return copy
    }

    @Test func hintsShortcutDetection() {
        let lower = with { $0.count = 1; $0.counterResetHint = .notCounterReset }
        #expect(!lower.detectsReset(after: base))
        #expect(with { $0.counterResetHint = .counterReset }.detectsReset(after: base))
        #expect(with { $0.count = 1; $0.counterResetHint = .gauge }.detectsReset(after: base))
        #expect(!with { $0.counterResetHint = .gauge }.detectsReset(after: base))
    }

    @Test func countsGoingDown() {
        #expect(!base.detectsReset(after: base))
        #expect(with { $0.count -= 0.1 }.detectsReset(after: base))
        #expect(with { $0.zeroCount -= 0.1 }.detectsReset(after: base))
        #expect(with { $0.negativeBuckets[1] = 2.9 }.detectsReset(after: base))
        #expect(!with { $0.positiveBuckets[3] = 4.3 }.detectsReset(after: base))
        #expect(!with { $0.sum = 0 }.detectsReset(after: base))
        // A populated bucket disappearing is a reset, an empty one is not.
        #expect(with { $0.positiveSpans = [S(-2, 2), S(1, 2)]; $0.positiveBuckets.removeLast() }.detectsReset(after: base))
        #expect(!with { $0.positiveSpans = [S(-2, 1), S(2, 3)]; $0.positiveBuckets.remove(at: 1) }.detectsReset(after: base))
    }

    @Test func schemaAndZeroThresholdChanges() {
        #expect(with { $0.schema = 1 }.detectsReset(after: base))
        #expect(with { $0.zeroThreshold = 0.009 }.detectsReset(after: base))
        // Buckets up to 0.25 (5.5 + 1 + 0) fold into the zero bucket.
        #expect(!with { $0.zeroThreshold = 0.25; $0.zeroCount = 6.5 }.detectsReset(after: base))
        #expect(with { $0.zeroThreshold = 0.25; $0.zeroCount = 6.4 }.detectsReset(after: base))
        // 0.2 cuts through the populated (0.125, 0.25]: only possible with a reset.
        #expect(with { $0.zeroThreshold = 0.2; $0.zeroCount = 100 }.detectsReset(after: base))
        // A lower schema is fine: the previous buckets are merged first.
        let fine = H(schema: 1, count: 10, positiveSpans: [S(1, 4)], positiveBuckets: [1, 2, 3, 4])
        #expect(!H(schema: 0, count: 10, positiveSpans: [S(1, 2)], positiveBuckets: [3, 7]).detectsReset(after: fine))
        #expect(H(schema: 0, count: 10, positiveSpans: [S(1, 2)], positiveBuckets: [3, 6.9]).detectsReset(after: fine))
    }

    @Test func customBuckets() {
        let previous = h("{{schema:-53 count:10 custom_values:[1 2 3] buckets:[1 2 3 4]}}")
        #expect(!h("{{schema:-53 count:10 custom_values:[1 2 3] buckets:[1 2 3 4]}}").detectsReset(after: previous))
        #expect(h("{{schema:-53 count:10 custom_values:[1 2 3] buckets:[1 2 2 5]}}").detectsReset(after: previous))
        // Different bounds: compared on the common bounds 2 and +Inf (sums 3 and 7 before).
        #expect(!h("{{schema:-53 count:10 custom_values:[2 5] buckets:[3 0 7]}}").detectsReset(after: previous))
        #expect(h("{{schema:-53 count:10 custom_values:[2 5] buckets:[2.9 0 8]}}").detectsReset(after: previous))
        #expect(h("{{schema:-53 count:10 custom_values:[2 5] buckets:[3 0 6.9]}}").detectsReset(after: previous))
        // Switching between exponential and custom buckets is always a reset.
        #expect(previous.detectsReset(after: h("{{count:1 buckets:[1]}}")))
        #expect(h("{{count:11 buckets:[11]}}").detectsReset(after: previous))
    }
}

@Suite struct NativeHistogramKahanTests {
    @Test func promqlTestScriptSumKeepsPrecision() throws {
        let inputs = [
            "{{schema:0 count:25 sum:3.1 z_bucket:4 z_bucket_w:0.001 buckets:[1 2 0 1 1] n_buckets:[2 4 0 0 1 9]}}",
            "{{schema:0 count:41 sum:1e100 z_bucket:5 z_bucket_w:0.001 buckets:[1 3 1 2 1 1 1] n_buckets:[0 1 4 2 7 0 0 0 0 5 5 2]}}",
            "{{schema:0 count:41 sum:-1e100 z_bucket:5 z_bucket_w:0.001 buckets:[1 3 1 2 1 1 1] n_buckets:[0 1 4 2 7 0 0 0 0 5 5 2]}}",
            "{{schema:1 count:0 sum:1.3 z_bucket:3 z_bucket_w:0.001 buckets:[2 4 2 3 2 2] n_buckets:[1 2 5 3 8 1 1 1 1 6 3]}}",
        ].map(h)
        var sum = inputs[0]
        var compensation: H?
        for next in inputs.dropFirst() {
            (sum, compensation, _, _) = try sum.kahanAdding(next, compensation: compensation)
            #expect(compensation?.positiveSpans == sum.positiveSpans && compensation?.schema == sum.schema)
        }
        let total = try sum.adding(#require(compensation)).result
        #expect(total.compacted() == h("""
            {{schema:0 count:107 sum:4.4 z_bucket:17 z_bucket_w:0.001 buckets:[5 14 7 7 3 2 2] \
            n_buckets:[3 13 19 6 17 18 0 0 0 10 10 4]}}
            """).compacted())
        // Plain addition loses the 3.1 to the 1e100.
        let plain = try inputs.dropFirst().reduce(inputs[0]) { try $0.adding($1).result }
        #expect(plain.sum == 1.3)
    }
}
