import KansokuModel
import Testing

@Suite("SampleBatch: series stored flat")
struct SampleBatchTests {
    private let up = SeriesLabels([("__name__", "up"), ("job", "a")])
    private let down = SeriesLabels([("__name__", "down"), ("job", "b")])
    private let empty = SeriesLabels([("__name__", "empty")])

    private func histogram(_ count: Double, at timestamp: Int64) -> HistogramSample {
        HistogramSample(timestamp: timestamp, histogram: NativeHistogram(count: count, sum: count))
    }

    @Test func wholeSeriesReadBackAsAppended() {
        let series = [
            SeriesSamples(labels: up, samples: [Sample(timestamp: 1, value: 1), Sample(timestamp: 2, value: 2)],
                          exemplars: [SeriesExemplar(labels: SeriesLabels([("trace_id", "ab")]), value: 1, timestamp: 1)]),
            SeriesSamples(labels: empty, samples: []),
            SeriesSamples(labels: down, samples: [Sample(timestamp: 3, value: 3)], histograms: [histogram(4, at: 3)]),
        ]
        let batch = SampleBatch(series: series)
        #expect(batch.seriesCount == 3)
        #expect(batch.sampleCount == 4)
        #expect(batch.series == series)
        #expect(batch.labels(ofSeries: 2) == down)
        #expect(batch.sampleRange(ofSeries: 0) == 0..<2)
        #expect(batch.sampleRange(ofSeries: 1) == 2..<2)
        #expect(batch.sampleRange(ofSeries: 2) == 2..<3)
        #expect(batch.histogramRange(ofSeries: 2) == 0..<1)
        #expect(batch.exemplarRange(ofSeries: 0) == 0..<1)
        #expect(batch.exemplarRange(ofSeries: 2) == 1..<1)
        #expect(batch[series: 1] == series[1])
    }

    @Test func openValuesBecomeASeriesWhenClosed() {
        var batch = SampleBatch()
        batch.addSample(Sample(timestamp: 1, value: 1))
        batch.addHistogram(histogram(2, at: 1))
        #expect(batch.openSampleCount == 1)
        #expect(batch.openHistogramCount == 1)
        #expect(batch.seriesCount == 0)
        #expect(batch.sampleCount == 0)  // open values are not counted until closed
        batch.closeSeries(labels: up)
        #expect(batch.openIsEmpty)
        #expect(batch.series == [SeriesSamples(labels: up, samples: [Sample(timestamp: 1, value: 1)],
                                               histograms: [histogram(2, at: 1)])])
    }

    @Test func discardedOpenValuesLeaveEarlierSeriesAlone() {
        var batch = SampleBatch(series: [SeriesSamples(labels: up, samples: [Sample(timestamp: 1, value: 1)])])
        batch.addSample(Sample(timestamp: 2, value: 2))
        batch.addExemplar(SeriesExemplar(labels: SeriesLabels([("trace_id", "ab")]), value: 2, timestamp: 2))
        batch.addHistogram(histogram(1, at: 2))
        #expect(!batch.openIsEmpty)
        batch.discardOpenValues()
        #expect(batch.openIsEmpty)
        #expect(batch == SampleBatch(series: [SeriesSamples(labels: up, samples: [Sample(timestamp: 1, value: 1)])]))

        batch.addSample(Sample(timestamp: 5, value: 5))
        batch.closeSeries(labels: down)
        #expect(batch.series.map(\.samples) == [[Sample(timestamp: 1, value: 1)], [Sample(timestamp: 5, value: 5)]])
    }

    @Test func appendingContinuesAfterAssembledSeries() {
        var batch = SampleBatch()
        batch.addSample(Sample(timestamp: 1, value: 1))
        batch.closeSeries(labels: up)
        batch.append(contentsOf: [SeriesSamples(labels: down, samples: [Sample(timestamp: 2, value: 2)])])
        #expect(batch.seriesCount == 2)
        #expect(batch.sampleRange(ofSeries: 1) == 1..<2)
        #expect(batch.series.map(\.labels) == [up, down])
    }
}
