import Foundation
import KansokuModel
import Logging
import Testing
@testable import KansokuIngest

@Suite("Scrape: loop and manager against a local server", .serialized)
struct ScrapeLoopTests {
    // Scrapes that should succeed get the whole interval as their timeout: on
    // two cores busy with the rest of the suite a local scrape once took over 2 s.
    private static let logger = Logger(label: "scrape-test")

    private func target(port: Int, config: ScrapeConfig) throws -> ScrapeTarget {
        try #require(try ScrapeTarget.populate(discovered: ["__address__": "127.0.0.1:\(port)"], config: config))
    }

    private func stale(_ sample: Sample?) -> Bool { sample?.isStaleMarker ?? false }

    @Test func scrapesWritesReportSeriesAndMarksVanishedSeriesStale() async throws {
        let server = ScrapeTestServer()
        server.update {
            $0.body = "# TYPE requests counter\nrequests{path=\"/a\"} 3\nrequests{path=\"/b\"} 4\nexplicit 1 1000\n"
        }
        try await server.run { port in
            var config = ScrapeConfig(jobName: "app", scrapeInterval: .seconds(10), scrapeTimeout: .seconds(10))
            config.metricRelabelConfigs = [RelabelConfig(sourceLabels: ["path"], regex: try RelabelRegex("/b"), action: .drop)]
            let sink = RecordingSink()
            let target = try target(port: port, config: config)
            let loop = ScrapeLoop(target: target, config: config, client: URLSessionScrapeClient(), sink: sink, logger: Self.logger)

            let first = await loop.scrapeOnce(at: 5000)
            #expect(first.up, "\(first.error ?? "")")
            #expect(server.seenHeaders.withLock { $0["accept"] }?.hasPrefix("application/openmetrics-text") == true)
            let batch = try #require(sink.all.last)
            let requests = try #require(batch.series.first { $0.labels.name == "requests" })
            #expect(requests.labels == SeriesLabels([("__name__", "requests"), ("path", "/a"), ("job", "app"), ("instance", "127.0.0.1:\(port)")]))
            #expect(requests.samples == [Sample(timestamp: 5000, value: 3)])
            #expect(batch.series.first { $0.labels.name == "explicit" }?.samples.first?.timestamp == 1000)
            #expect(RecordingSink.value(batch, "up") == 1)
            #expect(RecordingSink.value(batch, "scrape_samples_scraped") == 3)
            #expect(RecordingSink.value(batch, "scrape_samples_post_metric_relabeling") == 2)
            #expect(RecordingSink.value(batch, "scrape_series_added") == 2)
            #expect((RecordingSink.value(batch, "scrape_duration_seconds") ?? -1) >= 0)
            #expect(batch.series.first { $0.labels.name == "up" }?.labels["job"] == "app")
            #expect(batch.metadata == [MetricFamilyMetadata(family: "requests", kind: .counter)])

            // The /a series disappears: it gets a staleness marker; the explicit-timestamp one does not.
            server.update { $0.body = "other 1\n" }
            let second = await loop.scrapeOnce(at: 15000)
            #expect(second.staleMarkers == 1 && second.seriesAdded == 1)
            let staleBatch = try #require(sink.all.last)
            let marker = staleBatch.series.first { $0.labels.name == "requests" }
            #expect(stale(marker?.samples.first) && marker?.samples.first?.timestamp == 15000)
            #expect(staleBatch.series.first { $0.labels.name == "explicit" } == nil)

            // Target failing: up 0, everything from the last scrape marked stale.
            server.update { $0.status = 500 }
            let third = await loop.scrapeOnce(at: 25000)
            #expect(!third.up && third.error?.contains("500") == true)
            let downBatch = try #require(sink.all.last)
            #expect(RecordingSink.value(downBatch, "up") == 0)
            #expect(stale(downBatch.series.first { $0.labels.name == "other" }?.samples.first))
            #expect(RecordingSink.value(downBatch, "scrape_samples_scraped") == 0)
        }
    }

    @Test func honorLabelsFalseRenamesConflictsAndTrueKeepsScraped() async throws {
        let server = ScrapeTestServer()
        server.update { $0.body = "m{job=\"inner\",exported_job=\"x\",instance=\"\"} 1\n" }
        try await server.run { port in
            for honor in [false, true] {
                var config = ScrapeConfig(jobName: "outer", scrapeInterval: .seconds(10), scrapeTimeout: .seconds(10))
                config.honorLabels = honor
                let sink = RecordingSink()
                let loop = ScrapeLoop(target: try target(port: port, config: config), config: config,
                                      client: URLSessionScrapeClient(), sink: sink, logger: Self.logger)
                await loop.scrapeOnce()
                let labels = try #require(sink.all.last?.series.first { $0.labels.name == "m" }?.labels)
                if honor {
                    #expect(labels == SeriesLabels([("__name__", "m"), ("job", "inner"), ("exported_job", "x"), ("instance", "127.0.0.1:\(port)")]))
                } else {
                    #expect(labels == SeriesLabels([("__name__", "m"), ("job", "outer"), ("exported_job", "x"),
                                                    ("exported_exported_job", "inner"), ("instance", "127.0.0.1:\(port)")]))
                }
            }
        }
    }

    @Test func openMetricsBodyAndAuthHeaders() async throws {
        let server = ScrapeTestServer()
        server.update {
            $0.contentType = "application/openmetrics-text; version=1.0.0; charset=utf-8"
            $0.body = "# TYPE c counter\nc_total 5 # {trace_id=\"abc\"} 1\nc_created 123\n# EOF\n"
            $0.requiredAuthorization = "Bearer s3cret"
        }
        try await server.run { port in
            var config = ScrapeConfig(jobName: "om", scrapeInterval: .seconds(10), scrapeTimeout: .seconds(10))
            let sink = RecordingSink()
            let noAuth = ScrapeLoop(target: try target(port: port, config: config), config: config,
                                    client: URLSessionScrapeClient(), sink: sink, logger: Self.logger)
            #expect(await !noAuth.scrapeOnce().up)

            config.authorization = .header(type: "Bearer", credentials: .inline("s3cret"))
            let loop = ScrapeLoop(target: try target(port: port, config: config), config: config,
                                  client: URLSessionScrapeClient(), sink: sink, logger: Self.logger)
            let report = await loop.scrapeOnce(at: 1000)
            #expect(report.up, "\(report.error ?? "")")
            #expect(report.samplesScraped == 1)
            let series = try #require(sink.all.last?.series.first { $0.labels.name == "c_total" })
            #expect(series.exemplars.first?.labels == SeriesLabels([("trace_id", "abc")]))

            server.update { $0.requiredAuthorization = "Basic dTpw"; $0.body = "# EOF\n" }
            config.authorization = .basic(username: "u", password: .inline("p"))
            let basic = ScrapeLoop(target: try target(port: port, config: config), config: config,
                                   client: URLSessionScrapeClient(), sink: sink, logger: Self.logger)
            let basicReport = await basic.scrapeOnce()
            #expect(basicReport.up, "\(basicReport.error ?? "")")
        }
    }

    @Test func timeoutMeansDown() async throws {
        let server = ScrapeTestServer()
        // Far longer than the bound below, so that a loaded machine (tests run in parallel) cannot make
        // "waited for the response" and "gave up at the timeout" look alike.
        server.update { $0.delay = .seconds(30) }
        try await server.run { port in
            let config = ScrapeConfig(jobName: "slow", scrapeInterval: .seconds(1), scrapeTimeout: ScrapeDuration(milliseconds: 300))
            let sink = RecordingSink()
            let loop = ScrapeLoop(target: try target(port: port, config: config), config: config,
                                  client: URLSessionScrapeClient(), sink: sink, logger: Self.logger)
            let started = ContinuousClock.now
            let report = await loop.scrapeOnce()
            #expect(!report.up)
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(RecordingSink.value(try #require(sink.all.last), "up") == 0)
        }
    }

    @Test func managerScrapesFileTargetsAndWritesEndOfRunStaleness() async throws {
        let server = ScrapeTestServer()
        server.update { $0.body = "thing 1\n" }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scrape-mgr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("t.json")
        try await server.run { port in
            try #"[{"targets": ["127.0.0.1:\#(port)"]}]"#.write(to: file, atomically: true, encoding: .utf8)
            // A generous timeout: with tests running in parallel on two cores a 150 ms scrape of a local server can miss.
            var config = ScrapeConfig(jobName: "mgr", scrapeInterval: ScrapeDuration(milliseconds: 1000), scrapeTimeout: ScrapeDuration(milliseconds: 1000))
            config.fileSDConfigs = [FileSDConfig(files: [file.path], refreshInterval: ScrapeDuration(milliseconds: 100))]
            let sink = RecordingSink()
            let manager = ScrapeManager(configuration: ScrapeConfiguration(scrapeConfigs: [config]), sink: sink, logger: Self.logger)
            let run = Task { await manager.run() }
            defer { run.cancel() }

            try await waitUntil { sink.all.contains { RecordingSink.value($0, "up") == 1 } }
            let loops = manager.activeLoops
            #expect(loops.count == 1)

            try "[]".write(to: file, atomically: true, encoding: .utf8)
            // A scrape that times out on a loaded machine also marks `thing` stale, but writes a live `up 0`
            // beside it; the end-of-run batch is the one where every series, `up` included, is stale.
            let endOfRun: @Sendable (SampleBatch) -> Bool = { batch in
                RecordingSink.value(batch, "up").map { $0.bitPattern == Sample.staleMarkerBits } ?? false
            }
            try await waitUntil { sink.all.contains(where: endOfRun) }
            let batches = sink.all
            let last = try #require(batches.last(where: endOfRun))
            // Every report series is marked stale at the end of the run; `thing` is too, or was already by a
            // scrape that timed out (a series already stale is not marked again, as in Prometheus).
            #expect(Set(last.series.map { $0.labels.name! }).isSuperset(of: ScrapeReport.seriesNames))
            #expect(last.series.allSatisfy { $0.samples.allSatisfy(\.isStaleMarker) })
            let thing = batches.compactMap { RecordingSink.value($0, "thing") }
            #expect(thing.first.map { !$0.isNaN } == true, "a live sample first")
            #expect(thing.last?.bitPattern == Sample.staleMarkerBits, "stale at the end")
            #expect(manager.activeLoops.isEmpty)
            run.cancel()
            await run.value
        }
    }

    /// Polls `condition`; the deadline is long because it only matters when something is broken.
    private func waitUntil(timeout: Duration = .seconds(30), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw ScrapeHTTPError.transport(url: "", reason: "condition not met in time") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
