import Foundation
import Testing
@testable import KansokuServer

@Suite struct ConfigurationLoaderTests {
    func writeYAML(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kansoku-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaults() throws {
        let config = try ConfigurationLoader.load(file: nil, environment: [:], flags: [:])
        #expect(config == ServerConfiguration())
        #expect(config.httpAddress.port == 9494)
        #expect(config.otlpGRPCAddress.port == 4317)
        #expect(config.otlpHTTPAddress.port == 4318)
        #expect(config.maxRequestBytes == 16 << 20)
        #expect(config.dataDirectory == "./data")
    }

    @Test func flagBeatsEnvironmentBeatsFileBeatsDefault() throws {
        let path = try writeYAML("""
            data_dir: /from/file
            http:
              address: 127.0.0.1:1000
            otlp:
              grpc_address: 127.0.0.1:2000
              max_request_bytes: 1024
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try ConfigurationLoader.load(
            file: path,
            environment: ["KANSOKU_DATA_DIR": "/from/env", "KANSOKU_HTTP_ADDRESS": "127.0.0.1:1001"],
            flags: ["--data-dir": "/from/flag"])
        #expect(config.dataDirectory == "/from/flag")
        #expect(config.httpAddress == ListenAddress(host: "127.0.0.1", port: 1001))
        #expect(config.otlpGRPCAddress == ListenAddress(host: "127.0.0.1", port: 2000))
        #expect(config.maxRequestBytes == 1024)
        #expect(config.otlpHTTPAddress.port == 4318)
    }

    @Test func unknownYAMLKeyIsNamed() throws {
        let path = try writeYAML("otlp:\n  grpc_adress: 1.2.3.4:5\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try ConfigurationLoader.load(file: path, environment: [:], flags: [:])
        } throws: { error in
            (error as? ConfigurationError)?.description.contains("otlp.grpc_adress") == true
        }
    }

    @Test func badValuesAreNamed() {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(file: nil, environment: ["KANSOKU_MAX_REQUEST_BYTES": "-1"], flags: [:])
        }
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(file: nil, environment: [:], flags: ["--http-address": "nowhere"])
        }
    }

    @Test func addressForms() throws {
        #expect(try ListenAddress(parsing: ":4317") == ListenAddress(host: "0.0.0.0", port: 4317))
        #expect(try ListenAddress(parsing: "localhost:9") == ListenAddress(host: "127.0.0.1", port: 9))
        let v6 = try ListenAddress(parsing: "[::1]:4318")
        #expect(v6.host == "::1" && v6.isIPv6 && v6.description == "[::1]:4318")
        #expect(throws: ConfigurationError.self) { try ListenAddress(parsing: "1.2.3.4:70000") }
    }

    @Test func traceRetentionDefaultsAndZeroMeansUnlimited() throws {
        let defaults = try ConfigurationLoader.load(file: nil, environment: [:], flags: [:]).traceRetention
        #expect(defaults.maxAge == .seconds(336 * 3600) && defaults.maxBytes == nil)
        let unlimited = try ConfigurationLoader.load(
            file: nil, environment: ["KANSOKU_TRACES_RETENTION_BYTES": "1000"], flags: ["--traces-retention-hours": "0"]).traceRetention
        #expect(unlimited.maxAge == nil && unlimited.maxBytes == 1000)
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(file: nil, environment: [:], flags: ["--traces-retention-hours": "-1"])
        }
    }

    @Test func logStreamLabelAttributesFromAListACommaStringOrNothing() throws {
        let defaults = try ConfigurationLoader.load(file: nil, environment: [:], flags: [:]).logLabelMapping
        #expect(defaults.resourceAttributeLabels.contains("k8s.pod.name") && defaults.defaultServiceName == "unknown_service")

        let path = try writeYAML("logs:\n  stream_label_attributes: [service.name, team]\n  default_service_name: none\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try ConfigurationLoader.load(file: path, environment: [:], flags: [:]).logLabelMapping
        #expect(fromFile.resourceAttributeLabels == ["service.name", "team"] && fromFile.defaultServiceName == "none")

        let fromFlags = try ConfigurationLoader.load(
            file: nil, environment: [:],
            flags: ["--logs-stream-label-attributes": " team , k8s.namespace.name", "--logs-default-service-name": ""]).logLabelMapping
        #expect(fromFlags.resourceAttributeLabels == ["team", "k8s.namespace.name"] && fromFlags.defaultServiceName == nil)

        let none = try ConfigurationLoader.load(file: nil, environment: ["KANSOKU_LOGS_STREAM_LABEL_ATTRIBUTES": ""], flags: [:])
        #expect(none.logLabelMapping.resourceAttributeLabels.isEmpty)

        #expect {
            try ConfigurationLoader.load(file: nil, environment: [:], flags: ["--logs-stream-label-attributes": "team,,service.name"])
        } throws: { error in
            (error as? ConfigurationError)?.description.contains("logs.stream_label_attributes") == true
        }
    }
}
