import Testing
@testable import KansokuIngest
import KansokuModel

/// Cases from the OpenTelemetry compatibility spec and from the tests of
/// github.com/prometheus/otlptranslator (`UnderscoreEscapingWithSuffixes`).
@Suite struct PrometheusNamingTests {
    struct NameCase: CustomStringConvertible, Sendable {
        var name: String
        var unit: String
        var kind: PrometheusMetricName.Kind
        var expected: String?
        var description: String { "\(name) [\(unit)] \(kind)" }
    }

    static let nameCases: [NameCase] = [
        .init(name: "http.server.request.duration", unit: "s", kind: .histogram, expected: "http_server_request_duration_seconds"),
        .init(name: "system.network.io", unit: "By", kind: .monotonicCounter, expected: "system_network_io_bytes_total"),
        .init(name: "foo.ratio", unit: "1", kind: .gauge, expected: "foo_ratio"),
        .init(name: "foo", unit: "1", kind: .nonMonotonicCounter, expected: "foo"),
        .init(name: "requests", unit: "", kind: .monotonicCounter, expected: "requests_total"),
        .init(name: "cpu_usage", unit: "1", kind: .gauge, expected: "cpu_usage_ratio"),
        .init(name: "items", unit: "1", kind: .monotonicCounter, expected: "items_total"),
        .init(name: "response_time", unit: "ms", kind: .gauge, expected: "response_time_milliseconds"),
        .init(name: "memory_usage", unit: "By", kind: .gauge, expected: "memory_usage_bytes"),
        .init(name: "requests", unit: "1/s", kind: .gauge, expected: "requests_per_second"),
        .init(name: "throughput", unit: "By/s", kind: .gauge, expected: "throughput_bytes_per_second"),
        .init(name: "custom_metric", unit: "custom_unit", kind: .gauge, expected: "custom_metric_custom_unit"),
        .init(name: "custom_metric", unit: "{custom}", kind: .gauge, expected: "custom_metric"),
        .init(name: "custom_metric", unit: "By/{custom}", kind: .gauge, expected: "custom_metric_bytes"),
        .init(name: "packets", unit: "{packet}/s", kind: .gauge, expected: "packets_per_second"),
        .init(name: "requests_total", unit: "", kind: .monotonicCounter, expected: "requests_total"),
        .init(name: "cpu_usage_ratio", unit: "1", kind: .gauge, expected: "cpu_usage_ratio"),
        .init(name: "response_time_seconds", unit: "s", kind: .gauge, expected: "response_time_seconds"),
        .init(name: "cpu_seconds_total", unit: "s", kind: .monotonicCounter, expected: "cpu_seconds_total"),
        .init(name: "otelcol_process_cpu_seconds", unit: "s", kind: .monotonicCounter, expected: "otelcol_process_cpu_seconds_total"),
        .init(name: "metric__with__multiple__underscores", unit: "unit__multiple__underscores", kind: .gauge,
              expected: "metric_with_multiple_underscores_unit_multiple_underscores"),
        .init(name: "custom_metric", unit: "unit@with#special/chars", kind: .gauge, expected: "custom_metric_unit_with_special_per_chars"),
        .init(name: "metric@with#special$chars", unit: "", kind: .gauge, expected: "metric_with_special_chars"),
        .init(name: "123_requests", unit: "", kind: .monotonicCounter, expected: "_123_requests_total"),
        .init(name: "active_connections", unit: "", kind: .nonMonotonicCounter, expected: "active_connections"),
        .init(name: "system.filesystem.usage", unit: "By", kind: .nonMonotonicCounter, expected: "system_filesystem_usage_bytes"),
        .init(name: "request_size", unit: "By", kind: .exponentialHistogram, expected: "request_size_bytes"),
        .init(name: "response_time", unit: "ms", kind: .summary, expected: "response_time_milliseconds"),
        .init(name: "uptime", unit: "d", kind: .gauge, expected: "uptime_days"),
        .init(name: "timeout", unit: "min", kind: .gauge, expected: "timeout_minutes"),
        .init(name: "latency", unit: "us", kind: .gauge, expected: "latency_microseconds"),
        .init(name: "cache_size", unit: "KiBy", kind: .gauge, expected: "cache_size_kibibytes"),
        .init(name: "temperature", unit: "Cel", kind: .gauge, expected: "temperature_celsius"),
        .init(name: "frequency", unit: "Hz", kind: .gauge, expected: "frequency_hertz"),
        .init(name: "cpu_usage", unit: "%", kind: .gauge, expected: "cpu_usage_percent"),
        .init(name: "invoices", unit: "1/mo", kind: .gauge, expected: "invoices_per_month"),
        .init(name: "custom", unit: "1/custom_unit", kind: .gauge, expected: "custom_per_custom_unit"),
        .init(name: "metric", unit: "By/", kind: .gauge, expected: "metric_bytes"),
        .init(name: "metric", unit: " By / s ", kind: .gauge, expected: "metric_bytes_per_second"),
        .init(name: "bytes.received", unit: "By", kind: .monotonicCounter, expected: "bytes_received_total"),
        .init(name: "@#$%", unit: "", kind: .gauge, expected: nil),
    ]

    @Test(arguments: nameCases)
    func metricName(_ c: NameCase) {
        #expect(PrometheusMetricName.build(name: c.name, unit: c.unit, kind: c.kind) == c.expected)
    }

    @Test(arguments: [
        ("s", "seconds"), ("By/s", "bytes_per_second"), ("1", ""), ("{requests}", ""), ("1/s", "per_second"),
        ("custom_unit", "custom_unit"), ("By/{custom}", "bytes"), ("", ""), ("unit@with#special/chars", "unit_with_special_per_chars"),
    ])
    func unitWord(_ unit: String, _ expected: String) {
        #expect(PrometheusMetricName.unit(unit) == expected)
    }

    @Test(arguments: [
        ("label:with:colons", "label_with_colons"),
        ("LabelWithCapitalLetters", "LabelWithCapitalLetters"),
        ("label!with&special$chars)", "label_with_special_chars_"),
        ("label_with_foreign_characters_字符", "label_with_foreign_characters_"),
        ("label.with.dots", "label_with_dots"),
        (".foo", "_foo"),
        ("123label", "key_123label"),
        ("_label_starting_with_underscore", "_label_starting_with_underscore"),
        ("__label_starting_with_2underscores", "_label_starting_with_2underscores"),
        ("label__with__double__underscores", "label_with_double_underscores"),
        ("label.name__with&&special##chars", "label_name_with_special_chars"),
        ("__reserved__label__name__", "__reserved_label_name__"),
        ("__name__", "__name__"),
        ("trailing_underscores___", "trailing_underscores_"),
        ("http.request.method", "http_request_method"),
    ])
    func labelName(_ key: String, _ expected: String) {
        #expect(PrometheusLabelName.sanitize(key) == expected)
    }

    @Test(arguments: ["", "__", "ようこそ", "..."])
    func unusableLabelNames(_ key: String) {
        #expect(PrometheusLabelName.sanitize(key) == nil)
    }

    @Test(arguments: [
        (0.005, "0.005"), (1.0, "1"), (2.5, "2.5"), (1000.0, "1000"), (1e-9, "0.000000001"), (0.1, "0.1"),
        (1e21, "1000000000000000000000"), (-0.25, "-0.25"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
        (0.0, "0"), (123456.789, "123456.789"), (0.99, "0.99"), (1.5e20, "150000000000000000000"),
    ])
    func floatAsGoFormatsIt(_ value: Double, _ expected: String) {
        #expect(GoFloatFormat.fixed(value) == expected)
    }

    @Test func attributeValuesAsText() {
        #expect(OTLPAttributeText.string(.bool(true)) == "true")
        #expect(OTLPAttributeText.string(.int(-42)) == "-42")
        #expect(OTLPAttributeText.string(.double(3.5)) == "3.5")
        #expect(OTLPAttributeText.string(.double(1e-7)) == "1e-7")
        #expect(OTLPAttributeText.string(.double(1.5e21)) == "1.5e+21")
        #expect(OTLPAttributeText.string(.bytes(Array("hello world".utf8))) == "aGVsbG8gd29ybGQ=")
        #expect(OTLPAttributeText.string(.array([.int(1), .double(-.infinity), .string("a"), .bool(true), .empty])) == #"[1,"-Infinity","a",true,null]"#)
        #expect(OTLPAttributeText.string(.keyValueList([Attribute(key: "k", value: .string("v\""))])) == #"{"k":"v\""}"#)
    }
}
