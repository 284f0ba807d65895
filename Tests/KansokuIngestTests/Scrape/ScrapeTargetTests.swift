import Foundation
import KansokuModel
import Logging
import Testing
@testable import KansokuIngest

@Suite("Scrape: configuration and targets")
struct ScrapeTargetTests {
    private func s(_ text: String) -> ScrapeConfigNode { .scalar(text) }

    @Test func durations() throws {
        #expect(try ScrapeDuration(parsing: "1h30m").milliseconds == 5_400_000)
        #expect(try ScrapeDuration(parsing: "500ms").milliseconds == 500)
        #expect(try ScrapeDuration(parsing: "1m500ms").description == "1m500ms")
        #expect(ScrapeDuration.seconds(90).description == "1m30s")
        #expect(ScrapeDuration.seconds(15).description == "15s")
        #expect(ScrapeDuration.seconds(86_400 * 14).description == "2w")
        #expect(throws: ScrapeDuration.ParseError(text: "5x")) { try ScrapeDuration(parsing: "5x") }
        #expect(throws: ScrapeDuration.ParseError.self) { try ScrapeDuration(parsing: "1s1m") }
    }

    private func configNode() -> ScrapeConfigNode {
        .mapping([
            ("global", .mapping([("scrape_interval", s("15s"))])),
            ("scrape_configs", .sequence([
                .mapping([
                    ("job_name", s("node")),
                    ("params", .mapping([("module", .sequence([s("if_mib"), s("x")]))])),
                    ("basic_auth", .mapping([("username", s("u")), ("password", s("p"))])),
                    ("static_configs", .sequence([.mapping([
                        ("targets", .sequence([s("a:9100"), s("b:9100")])),
                        ("labels", .mapping([("env", s("prod"))])),
                    ])])),
                    ("relabel_configs", .sequence([
                        .mapping([("source_labels", .sequence([s("__address__")])), ("regex", s("b:.*")), ("action", s("drop"))]),
                        .mapping([("target_label", s("__param_target")), ("replacement", s("t 1"))]),
                    ])),
                ]),
            ])),
        ])
    }

    @Test func decodesConfigurationWithDefaults() throws {
        let configuration = try ScrapeConfiguration(node: configNode())
        let job = try #require(configuration.scrapeConfigs.first)
        #expect(job.jobName == "node")
        #expect(job.scrapeInterval == .seconds(15))
        #expect(job.scrapeTimeout == .seconds(10))
        #expect(job.metricsPath == "/metrics" && job.scheme == "http" && job.honorTimestamps && !job.honorLabels)
        #expect(job.authorization == .basic(username: "u", password: .inline("p")))
        #expect(try job.authorization?.headerValue() == "Basic dTpw")
    }

    @Test func configErrorsNameTheKeyPath() {
        let bad = ScrapeConfigNode.mapping([("scrape_configs", .sequence([
            .mapping([("job_name", s("a")), ("scrape_interval", s("5s")), ("scrape_timeout", s("10s"))]),
        ]))])
        #expect(throws: ScrapeConfigError(path: "scrape_configs[0]",
                                          reason: "scrape timeout greater than scrape interval for scrape config with job name \"a\"")) {
            try ScrapeConfiguration(node: bad)
        }
        let unknown = ScrapeConfigNode.mapping([("scrape_configs", .sequence([
            .mapping([("job_name", s("a")), ("static_configs", .sequence([.mapping([("target", .sequence([]))])]))]),
        ]))])
        #expect(throws: ScrapeConfigError.self) { try ScrapeConfiguration(node: unknown) }
        do {
            _ = try ScrapeConfiguration(node: unknown)
        } catch {
            #expect(error.path == "scrape_configs[0].static_configs[0].target")
        }
        let badDuration = ScrapeConfigNode.mapping([("global", .mapping([("scrape_interval", s("soon"))]))])
        #expect(throws: ScrapeConfigError(path: "global.scrape_interval", reason: "not a valid duration string: \"soon\"")) {
            try ScrapeConfiguration(node: badDuration)
        }
        let duplicate = ScrapeConfigNode.mapping([("scrape_configs", .sequence([
            .mapping([("job_name", s("a"))]), .mapping([("job_name", s("a"))]),
        ]))])
        #expect(throws: ScrapeConfigError(path: "scrape_configs[1]", reason: "found multiple scrape configs with job name \"a\"")) {
            try ScrapeConfiguration(node: duplicate)
        }
        let shortInterval = ScrapeConfigNode.mapping([("scrape_configs", .sequence([
            .mapping([("job_name", s("a")), ("scrape_interval", s("2s"))]),
        ]))])
        #expect((try? ScrapeConfiguration(node: shortInterval))?.scrapeConfigs[0].scrapeTimeout == .seconds(2))
    }

    @Test func staticTargetsAreRelabeledAndPopulated() throws {
        let configuration = try ScrapeConfiguration(node: configNode())
        let discovery = ScrapeTargetDiscovery(config: configuration.scrapeConfigs[0], logger: Logger(label: "test"))
        var files: ScrapeTargetDiscovery.FileGroups = [:]
        let targets = discovery.targets(files: &files)
        #expect(targets.count == 1)
        let target = try #require(targets.first)
        #expect(target.labels == SeriesLabels([("job", "node"), ("instance", "a:9100"), ("env", "prod")]))
        #expect(target.url == "http://a:9100/metrics?module=if_mib&module=x&target=t+1")
        #expect(target.interval == .seconds(15) && target.timeout == .seconds(10))
    }

    @Test func relabelingCanChangeAddressSchemePathAndInterval() throws {
        var config = ScrapeConfig(jobName: "j", scrapeInterval: .seconds(30))
        config.relabelConfigs = [
            RelabelConfig(sourceLabels: ["__address__"], regex: try RelabelRegex("(.*):80"), targetLabel: "__address__", replacement: "$1:8080"),
            RelabelConfig(targetLabel: "__scheme__", replacement: "https"),
            RelabelConfig(targetLabel: "__metrics_path__", replacement: "/probe"),
            RelabelConfig(targetLabel: "__scrape_interval__", replacement: "1m"),
            RelabelConfig(targetLabel: "instance", replacement: "named"),
            RelabelConfig(sourceLabels: ["__meta_x"], targetLabel: "x"),
        ]
        let target = try #require(try ScrapeTarget.populate(discovered: ["__address__": "h:80", "__meta_x": "m"], config: config))
        #expect(target.url == "https://h:8080/probe")
        #expect(target.interval == .seconds(60))
        #expect(target.labels == SeriesLabels([("job", "j"), ("instance", "named"), ("x", "m")]))

        config.relabelConfigs = [RelabelConfig(targetLabel: "__scrape_timeout__", replacement: "2m")]
        #expect(throws: ScrapeTargetError.self) { try ScrapeTarget.populate(discovered: ["__address__": "h:80"], config: config) }
        #expect(throws: ScrapeTargetError.self) { try ScrapeTarget.populate(discovered: ["__address__": "h/x"], config: ScrapeConfig(jobName: "j")) }
    }

    @Test func fileSDReadsJSONWithGlobsAndKeepsLastGoodContents() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scrape-sd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("targets.json")
        try #"[{"targets": ["x:1", "y:2"], "labels": {"team": "a"}}]"#.write(to: file, atomically: true, encoding: .utf8)

        var config = ScrapeConfig(jobName: "files")
        config.fileSDConfigs = [FileSDConfig(files: [directory.path + "/*.json"])]
        config.relabelConfigs = [RelabelConfig(sourceLabels: ["__meta_filepath"], targetLabel: "from")]
        let discovery = ScrapeTargetDiscovery(config: config, logger: Logger(label: "test"))
        var files: ScrapeTargetDiscovery.FileGroups = [:]
        var targets = discovery.targets(files: &files)
        #expect(targets.map { $0.labels["instance"] } == ["x:1", "y:2"])
        #expect(targets[0].labels["team"] == "a" && targets[0].labels["from"] == file.path)

        try "not json".write(to: file, atomically: true, encoding: .utf8)
        targets = discovery.targets(files: &files)
        #expect(targets.count == 2)

        try FileManager.default.removeItem(at: file)
        targets = discovery.targets(files: &files)
        #expect(targets.isEmpty)
    }

    @Test func offsetIsDeterministicAndWithinInterval() {
        let interval = ScrapeDuration.seconds(10)
        let a = ScrapeLoop.offset(interval: interval, hash: 12345, nowMilliseconds: 1_000_000)
        #expect(a == ScrapeLoop.offset(interval: interval, hash: 12345, nowMilliseconds: 1_000_000))
        #expect(a > 0 && a <= 10_000)
        // The phase is pinned to absolute time: one second later, one second less to wait.
        let b = ScrapeLoop.offset(interval: interval, hash: 12345, nowMilliseconds: 1_001_000)
        #expect((a - b + 10_000) % 10_000 == 1000)
    }
}
