import KansokuModel
import Testing
@testable import KansokuIngest

@Suite("Scrape: exposition parser")
struct PrometheusTextParserTests {
    private func parse(_ text: String, _ format: ExpositionFormat = .prometheusText) throws -> ExpositionParseResult {
        try PrometheusTextParser(format: format).parse(Array(text.utf8))
    }

    private func labels(_ pairs: [String: String]) -> SeriesLabels { SeriesLabels(pairs.map { ($0.key, $0.value) }) }

    @Test func textFormatSamplesMetadataAndEscapes() throws {
        let text = """
        # HELP http_requests_total The total number of HTTP requests.\\nSecond line \\\\ done
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{ method = "post" , code="400", } 3   1395066363000
        # A plain comment
        msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9

        metric_without_timestamp_and_labels 12.47
        something_weird{problem="division by zero"} +Inf -3982045
        minus_inf -Inf
        not_a_number NaN
        """
        let result = try parse(text)
        #expect(result.samples.count == 7)
        #expect(result.samples[0] == ScrapedSample(
            labels: labels(["__name__": "http_requests_total", "method": "post", "code": "200"]), value: 1027, timestamp: 1_395_066_363_000))
        #expect(result.samples[1].labels["code"] == "400")
        #expect(result.samples[2].labels["path"] == #"C:\DIR\FILE.TXT"#)
        #expect(result.samples[2].labels["error"] == "Cannot find file:\n\"FILE.TXT\"")
        #expect(result.samples[3].timestamp == nil)
        #expect(result.samples[4].value == .infinity && result.samples[4].timestamp == -3_982_045)
        #expect(result.samples[5].value == -.infinity)
        #expect(result.samples[6].value.isNaN)
        #expect(result.metadata == [MetricFamilyMetadata(
            family: "http_requests_total", kind: .counter, help: "The total number of HTTP requests.\nSecond line \\ done")])
    }

    @Test func textFormatHistogramAndUntyped() throws {
        let text = """
        # TYPE rpc histogram
        rpc_bucket{le="0.05"} 24054
        rpc_bucket{le="+Inf"} 144320
        rpc_sum 53423
        rpc_count 144320
        # TYPE other untyped
        other 1
        """
        let result = try parse(text)
        #expect(result.samples.map { $0.labels.name } == ["rpc_bucket", "rpc_bucket", "rpc_sum", "rpc_count", "other"])
        #expect(result.metadata.map(\.kind) == [.histogram, .unknown])
    }

    @Test func quotedUTF8Names() throws {
        let result = try parse(#"{"my.metric", "some.label"="x", b="y"} 2"#)
        #expect(result.samples[0].labels == labels(["__name__": "my.metric", "some.label": "x", "b": "y"]))
    }

    @Test(arguments: [
        ("metric{,} 1", 1, #"expected label name, got ",""#),
        ("ok 1\nmetric{a=\"b\" 1", 2, "expected comma or closing brace"),
        ("metric{a=b} 1", 1, #"expected label value, got "b""#),
        ("metric 1 2 3", 1, "expected next entry after timestamp"),
        ("metric abc", 1, #"strconv.ParseFloat: parsing "abc": invalid syntax"#),
        ("metric", 1, "expected value after metric"),
        ("# TYPE metric bogus", 1, #"invalid metric type "bogus""#),
        ("metric{a=\"1\",a=\"2\"} 1", 1, #"label name "a" is not unique"#),
        ("metric 1 1.5", 1, #"invalid timestamp "1.5""#),
    ])
    func textFormatErrors(input: String, line: Int, reason: String) {
        #expect {
            try parse(input)
        } throws: { error in
            guard let error = error as? ExpositionParseError else { return false }
            return error.line == line && error.reason.contains(reason)
        }
    }

    @Test func openMetricsFull() throws {
        let text = """
        # TYPE foo counter
        # HELP foo A counter with \\"quotes\\"
        # UNIT foo seconds
        foo_total{a="b"} 17.0 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67
        foo_created{a="b"} 1520430000.123
        # TYPE hist histogram
        hist_bucket{le="1"} 2 # {trace_id="x"} 0.5 123.456
        hist_bucket{le="+Inf"} 3
        hist_count 3
        hist_sum 2.5
        hist_created 1520430000
        # TYPE g gauge
        g_created 5
        # EOF
        """
        let result = try parse(text + "\n", .openMetrics)
        #expect(result.samples.map { $0.labels.name! } == ["foo_total", "hist_bucket", "hist_bucket", "hist_count", "hist_sum", "g_created"])
        #expect(result.samples[0].timestamp == 1_520_879_607_789)
        #expect(result.samples[0].exemplar == ScrapedExemplar(labels: labels(["trace_id": "KOO5S4vxi0o"]), value: 0.67))
        #expect(result.samples[1].exemplar?.timestamp == 123_456)
        #expect(result.metadata[0] == MetricFamilyMetadata(family: "foo", kind: .counter, help: "A counter with \"quotes\"", unit: "seconds"))
        #expect(result.metadata.map(\.kind) == [.counter, .histogram, .gauge])
    }

    @Test func openMetricsRequiresEOF() {
        #expect(throws: ExpositionParseError(line: 1, text: "", reason: "data does not end with # EOF")) {
            try parse("a 1\n", .openMetrics)
        }
        #expect(throws: ExpositionParseError.self) { try parse("# EOF\na 1\n", .openMetrics) }
        #expect(throws: ExpositionParseError.self) { try parse("a  1\n# EOF\n", .openMetrics) }
        #expect(throws: ExpositionParseError.self) { try parse("# TYPE a untyped\n# EOF\n", .openMetrics) }
    }

    @Test func contentTypeSelectsFormat() {
        #expect(ExpositionFormat(contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8") == .openMetrics)
        #expect(ExpositionFormat(contentType: "text/plain; version=0.0.4") == .prometheusText)
        #expect(ExpositionFormat(contentType: nil) == .prometheusText)
    }
}
