import KansokuModel
import Testing
@testable import KansokuAPI

@Suite struct JaegerQueryTests {
    static let now: UInt64 = 1_700_000_000_000_000

    private func parse(_ parameters: [String: String]) throws(JaegerQueryError) -> JaegerQuery {
        try JaegerQuery(parameters: parameters, nowMicros: Self.now)
    }

    @Test func everyParameter() throws {
        let query = try parse([
            "service": "checkout", "operation": "GET /cart",
            "tags": #"{"http.status_code":"500","error":"true"}"#,
            "minDuration": "1.2s", "maxDuration": "1m",
            "start": "1699999000000000", "end": "1699999999000000",
            "lookback": "custom", "limit": "5",
        ])
        #expect(query.service == "checkout")
        #expect(query.operation == "GET /cart")
        #expect(query.tags == ["http.status_code": "500", "error": "true"])
        #expect(query.minDurationNanos == 1_200_000_000)
        #expect(query.maxDurationNanos == 60_000_000_000)
        #expect(query.startTimeMicros == 1_699_999_000_000_000)
        #expect(query.endTimeMicros == 1_699_999_999_000_000)
        #expect(query.limit == 5)
        #expect(query.traceIDs.isEmpty)
    }

    @Test func defaults() throws {
        let query = try parse(["service": "checkout", "operation": "", "tags": "", "limit": "0", "lookback": "custom"])
        #expect(query.operation == nil)
        #expect(query.tags.isEmpty)
        #expect(query.minDurationNanos == nil && query.maxDurationNanos == nil)
        #expect(query.endTimeMicros == Self.now)
        #expect(query.startTimeMicros == Self.now - 2 * 86_400 * 1_000_000)
        #expect(query.limit == 20)
        #expect(try parse(["service": "s"]).limit == JaegerQuery.defaultLimit)
    }

    @Test func lookbackSetsStartWhenAbsent() throws {
        #expect(try parse(["service": "s", "lookback": "1h"]).startTimeMicros == Self.now - 3_600_000_000)
        #expect(try parse(["service": "s", "lookback": "2d", "end": "1000000000000"]).startTimeMicros
            == 1_000_000_000_000 - 2 * 86_400_000_000)
        #expect(try parse(["service": "s", "lookback": "1h", "start": "7"]).startTimeMicros == 7)
        #expect(try parse(["service": "s", "lookback": "nonsense"]).startTimeMicros == Self.now - 2 * 86_400_000_000)
    }

    @Test(arguments: [
        ("0", 0), ("1.2s", 1_200_000_000), ("100ms", 100_000_000), ("500us", 500_000), ("500µs", 500_000),
        ("500μs", 500_000), ("7ns", 7), ("1m", 60_000_000_000), ("1h30m", 5_400_000_000_000), (".5s", 500_000_000),
        ("+2s", 2_000_000_000), ("1.5h", 5_400_000_000_000),
    ] as [(String, UInt64)])
    func goDurations(text: String, nanos: UInt64) {
        #expect(JaegerDuration.nanoseconds(text) == nanos)
    }

    @Test(arguments: ["", "abc", "10", "-1s", "1x", "1.2.3s", "s", ".s", "1d", "1e3s", "999999999h"])
    func invalidGoDurations(text: String) {
        #expect(JaegerDuration.nanoseconds(text) == nil)
    }

    @Test func daysOnlyForLookback() {
        #expect(JaegerDuration.nanoseconds("2d", allowingDays: true) == 172_800_000_000_000)
        #expect(JaegerDuration.nanoseconds("1w", allowingDays: true) == 604_800_000_000_000)
    }

    @Test func serviceIsRequired() {
        #expect(throws: JaegerQueryError.missingParameter("service")) { try parse([:]) }
        #expect(throws: JaegerQueryError.missingParameter("service")) { try parse(["service": ""]) }
        #expect(JaegerQueryError.missingParameter("service").description == "parameter 'service' is required")
    }

    @Test func badValuesNameTheParameter() {
        let cases: [(String, String)] = [
            ("minDuration", "abc"), ("maxDuration", "5 s"), ("start", "yesterday"), ("end", "-1"),
            ("limit", "-1"), ("limit", "ten"), ("tags", "{bad"), ("tags", #"{"a":{"b":"c"}}"#), ("tags", #"["a"]"#),
        ]
        for (name, value) in cases {
            do {
                _ = try parse(["service": "s", name: value])
                Issue.record("\(name)=\(value) was accepted")
            } catch {
                #expect(error.parameter == name)
                #expect(error.value == value)
                #expect(error.description.hasPrefix("unable to parse param '\(name)': \"\(value)\""))
            }
        }
    }

    @Test func maxDurationBelowMinDuration() {
        #expect(throws: JaegerQueryError.maxDurationBelowMinDuration(minDuration: "2s", maxDuration: "1s")) {
            try parse(["service": "s", "minDuration": "2s", "maxDuration": "1s"])
        }
        #expect(JaegerQueryError.maxDurationBelowMinDuration(minDuration: "2s", maxDuration: "1s").parameter == "maxDuration")
    }

    @Test func tagsJSONIsLenientAboutScalars() throws {
        let query = try parse(["service": "s",
                               "tags": #" { "a" : "x\"y\u00e9\ud83d\ude00" , "b":500, "c":true, "d":null, "e":-1.5e3 } "#])
        #expect(query.tags == ["a": "x\"yé😀", "b": "500", "c": "true", "d": "null", "e": "-1.5e3"])
        #expect(try parse(["service": "s", "tags": "{}"]).tags.isEmpty)
    }

    @Test func repeatedTagAndTraceIDForms() throws {
        let query = try JaegerQuery(parameterList: [
            ("service", "s"), ("tag", "error:true"), ("tag", "http.url:http://x:80/"),
            ("tags", #"{"error":"false"}"#),
        ], nowMicros: Self.now)
        #expect(query.tags == ["error": "false", "http.url": "http://x:80/"])
        #expect(throws: JaegerQueryError.invalidValue(parameter: "tag", value: "novalue", expected: "of the form key:value")) {
            try JaegerQuery(parameterList: [("service", "s"), ("tag", "novalue")], nowMicros: Self.now)
        }

        let byID = try JaegerQuery(parameterList: [("traceID", "42"), ("traceID", "0af7651916cd43dd8448eb211c80319c")],
                                   nowMicros: Self.now)
        #expect(byID.service == nil)
        #expect(byID.traceIDs == [TraceID(high: 0, low: 0x42), TraceID(high: 0x0AF7_6519_16CD_43DD, low: 0x8448_EB21_1C80_319C)])
        #expect(throws: JaegerQueryError.self) {
            try JaegerQuery(parameterList: [("traceID", "xyz")], nowMicros: Self.now)
        }
    }
}
