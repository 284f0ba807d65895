import KansokuModel
import KansokuQuery
import KansokuStorage
import Testing
@testable import KansokuAPI

@Suite("PrometheusResponse")
struct PrometheusResponseTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private func data(_ body: (inout JSONWriter) -> Void) -> String {
        text(PrometheusResponse.success(body))
    }

    private func result(_ value: PromQLValue, at time: Int64 = 1_435_781_451_781) -> String {
        data { PrometheusResponse.queryResult(value, at: time, into: &$0) }
    }

    private let up = PromQLLabels([("__name__", "up"), ("job", "api"), ("instance", "h:9090")])

    @Test("vector results carry each sample's labels and its own timestamp")
    func vector() {
        let value = PromQLValue.vector([
            PromQLVectorSample(labels: up, value: 1, timestamp: 1_435_781_451_781),
            PromQLVectorSample(labels: PromQLLabels([("job", "db")]), value: .nan, timestamp: 1_435_781_451_000),
        ])
        #expect(result(value) == #"{"status":"success","data":{"resultType":"vector","result":["#
            + #"{"metric":{"__name__":"up","instance":"h:9090","job":"api"},"value":[1435781451.781,"1"]},"#
            + #"{"metric":{"job":"db"},"value":[1435781451,"NaN"]}]}}"#)
    }

    @Test("an empty vector is an empty result array, and an empty label set an empty object")
    func emptyVector() {
        #expect(result(.vector([])) == #"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
        #expect(result(.vector([PromQLVectorSample(labels: .empty, value: -0.5, timestamp: 0)]))
            == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[0,"-0.5"]}]}}"#)
    }

    @Test("matrix results list each series' values")
    func matrix() {
        let value = PromQLValue.matrix([
            PromQLSeries(labels: up, samples: [PromQLSample(timestamp: 1_000, value: 1), PromQLSample(timestamp: 16_500, value: 1e21)]),
            PromQLSeries(labels: PromQLLabels([("job", "db")]), samples: [PromQLSample(timestamp: -1_000, value: .infinity)]),
        ])
        #expect(result(value) == #"{"status":"success","data":{"resultType":"matrix","result":["#
            + #"{"metric":{"__name__":"up","instance":"h:9090","job":"api"},"values":[[1,"1"],[16.500,"1000000000000000000000"]]},"#
            + #"{"metric":{"job":"db"},"values":[[-1,"+Inf"]]}]}}"#)
        #expect(result(.matrix([])) == #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#)
    }

    @Test("scalar results are one point at the evaluation time")
    func scalar() {
        #expect(result(.scalar(0.1), at: 1_000) == #"{"status":"success","data":{"resultType":"scalar","result":[1,"0.1"]}}"#)
        #expect(result(.scalar(-.infinity), at: 1_435_781_451_781)
            == #"{"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"-Inf"]}}"#)
    }

    @Test("string results are one point holding the string, escaped")
    func string() {
        #expect(result(.string("hello"), at: 2_000) == #"{"status":"success","data":{"resultType":"string","result":[2,"hello"]}}"#)
        #expect(result(.string("a \"b\"\n"), at: 2_000)
            == #"{"status":"success","data":{"resultType":"string","result":[2,"a \"b\"\n"]}}"#)
    }

    @Test("warnings follow the data; none means no warnings member")
    func warnings() {
        let withWarnings = PrometheusResponse.success(warnings: ["first", "second"]) { PrometheusResponse.strings([], into: &$0) }
        #expect(text(withWarnings) == #"{"status":"success","data":[],"warnings":["first","second"]}"#)
        #expect(data { PrometheusResponse.strings(["a", "b"], into: &$0) } == #"{"status":"success","data":["a","b"]}"#)
    }

    @Test("errors carry the error type and message")
    func errors() {
        let bad = PrometheusResponse.error(.invalidParameter("start", "cannot parse \"x\" to a valid timestamp"))
        #expect(text(bad) == #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"start\": cannot parse \"x\" to a valid timestamp"}"#)
        #expect(text(PrometheusResponse.error(PrometheusAPIError(.execution, "boom")))
            == #"{"status":"error","errorType":"execution","error":"boom"}"#)
        #expect(text(PrometheusResponse.error(PrometheusAPIError(.notFound, "")))
            == #"{"status":"error","errorType":"not_found","error":""}"#)
    }

    @Test("series and label data use store label sets")
    func seriesLabels() {
        let labels = SeriesLabels([("job", "api"), ("__name__", "up")])
        let body = data { json in
            json.beginArray()
            PrometheusResponse.labels(labels, into: &json)
            PrometheusResponse.labels(SeriesLabels([]), into: &json)
            json.endArray()
        }
        #expect(body == #"{"status":"success","data":[{"__name__":"up","job":"api"},{}]}"#)
    }

    @Test("metadata lists each family with its type, help and unit")
    func metadata() {
        let families = [
            MetricFamilyMetadata(family: "http_requests", kind: .counter, help: "Requests \"served\".", unit: ""),
            MetricFamilyMetadata(family: "latency", kind: .gaugehistogram, help: "", unit: "seconds"),
        ]
        #expect(data { PrometheusResponse.metadata(families, into: &$0) } == #"{"status":"success","data":{"#
            + #""http_requests":[{"type":"counter","help":"Requests \"served\".","unit":""}],"#
            + #""latency":[{"type":"gaugehistogram","help":"","unit":"seconds"}]}}"#)
        #expect(data { PrometheusResponse.metadata([], into: &$0) } == #"{"status":"success","data":{}}"#)
    }

    @Test("exemplars list, per series, each exemplar's labels, value and timestamp")
    func exemplars() {
        let found = [
            SeriesExemplars(labels: SeriesLabels([("__name__", "http_duration_bucket"), ("le", "0.5")]), exemplars: [
                SeriesExemplar(labels: SeriesLabels([("trace_id", "abc")]), value: 0.25, timestamp: 1_600_096_945_479),
                SeriesExemplar(labels: SeriesLabels([("trace_id", "def"), ("span_id", "01")]), value: 1, timestamp: 1_600_096_946_000),
            ]),
            SeriesExemplars(labels: SeriesLabels([("__name__", "x")]), exemplars: []),
        ]
        #expect(data { PrometheusResponse.exemplars(found, into: &$0) } == #"{"status":"success","data":["#
            + #"{"seriesLabels":{"__name__":"http_duration_bucket","le":"0.5"},"exemplars":["#
            + #"{"labels":{"trace_id":"abc"},"value":"0.25","timestamp":1600096945.479},"#
            + #"{"labels":{"span_id":"01","trace_id":"def"},"value":"1","timestamp":1600096946}]},"#
            + #"{"seriesLabels":{"__name__":"x"},"exemplars":[]}]}"#)
    }

    @Test("a point is [seconds, \"value\"]")
    func point() {
        var json = JSONWriter()
        PrometheusResponse.point(-1_001, "7", into: &json)
        #expect(text(json.bytes) == #"[-1.001,"7"]"#)
    }
}
