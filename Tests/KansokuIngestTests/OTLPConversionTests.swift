import Foundation
import KansokuModel
import KansokuWire
import Testing
@testable import KansokuIngest

@Suite struct OTLPConversionTests {
    @Test func spanEndingBeforeItStartsIsRejected() throws {
        var span = Opentelemetry_Proto_Trace_V1_Span()
        span.traceID = Data(repeating: 1, count: 16)
        span.spanID = Data(repeating: 2, count: 8)
        span.startTimeUnixNano = 200
        span.endTimeUnixNano = 100
        var request = OTLPTraces.Request()
        request.resourceSpans = [.with { $0.scopeSpans = [.with { $0.spans = [span] }] }]
        let outcome = try OTLPTraces.decode(request.serializedBytes(), encoding: .protobuf)
        #expect(outcome.rejected == 1)
        #expect(outcome.batch.isEmpty)
        #expect(outcome.errorMessage.contains("before start_time_unix_nano"))
    }

    @Test func logRecordWithoutTraceIsKeptAndBadSpanIDIsRejected() throws {
        var good = Opentelemetry_Proto_Logs_V1_LogRecord()
        good.body = .with { $0.stringValue = "hello" }
        good.severityNumber = .error
        var bad = good
        bad.spanID = Data([1, 2, 3])
        var request = OTLPLogs.Request()
        request.resourceLogs = [.with { $0.scopeLogs = [.with { $0.logRecords = [good, bad] }] }]
        let outcome = try OTLPLogs.decode(request.serializedBytes(), encoding: .protobuf)
        #expect(outcome.rejected == 1)
        let kept = outcome.batch.resources.first?.scopes.first?.items
        #expect(kept?.count == 1)
        #expect(kept?.first?.body == .string("hello"))
        #expect(kept?.first?.severityNumber == 17)
        #expect(kept?.first?.traceID == .zero)
    }

    @Test func histogramWithMismatchedBucketsRejectsThatPoint() throws {
        var ok = Opentelemetry_Proto_Metrics_V1_HistogramDataPoint()
        ok.explicitBounds = [1, 5]
        ok.bucketCounts = [1, 2, 3]
        ok.count = 6
        ok.sum = 12.5
        var broken = ok
        broken.bucketCounts = [1]
        var metric = Opentelemetry_Proto_Metrics_V1_Metric()
        metric.name = "latency"
        metric.histogram = .with { $0.dataPoints = [ok, broken]; $0.aggregationTemporality = .cumulative }
        var request = OTLPMetrics.Request()
        request.resourceMetrics = [.with { $0.scopeMetrics = [.with { $0.metrics = [metric] }] }]
        let outcome = try OTLPMetrics.decode(request.serializedBytes(), encoding: .protobuf)
        #expect(outcome.rejected == 1)
        #expect(outcome.batch.dataPointCount == 1)
        guard case .histogram(let data)? = outcome.batch.resources.first?.scopes.first?.items.first?.data else {
            Issue.record("expected a histogram")
            return
        }
        #expect(data.temporality == .cumulative)
        #expect(data.points.first?.sum == 12.5)
        #expect(data.points.first?.min == nil)
    }

    @Test func unnamedMetricIsRejectedWithItsPoints() throws {
        var metric = Opentelemetry_Proto_Metrics_V1_Metric()
        metric.gauge = .with { $0.dataPoints = [.with { $0.asDouble = 1 }, .with { $0.asInt = 2 }] }
        var request = OTLPMetrics.Request()
        request.resourceMetrics = [.with { $0.scopeMetrics = [.with { $0.metrics = [metric] }] }]
        let outcome = try OTLPMetrics.decode(request.serializedBytes(), encoding: .protobuf)
        #expect(outcome.rejected == 2)
        #expect(outcome.errorMessage.contains("name is empty"))
    }
}
