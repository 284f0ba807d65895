import Foundation
import Logging

/// Turns file contents into a configuration node. The default reads JSON;
/// the server passes one that also reads YAML (KansokuIngest has no YAML
/// parser), e.g. by converting Yams nodes with the same shape.
public typealias ScrapeFileDecoder = @Sendable (_ path: String, _ contents: [UInt8]) throws -> ScrapeConfigNode

/// Finds the targets of one job: `static_configs` once, and
/// `file_sd_configs` files re-read every `refresh_interval` (the shortest
/// of the job's file configs). Each target group's labels are merged with
/// its targets' `__address__` (plus `__meta_filepath` for files), then
/// `ScrapeTarget.populate` applies defaults and `relabel_configs`.
public struct ScrapeTargetDiscovery: Sendable {
    public let config: ScrapeConfig
    private let fileDecoder: ScrapeFileDecoder
    private let logger: Logger
    private let relabeler: Relabeler

    /// Decodes JSON files; `.yml`/`.yaml` files fail with a clear error.
    public static let jsonFileDecoder: ScrapeFileDecoder = { path, contents in
        guard path.hasSuffix(".json") else {
            throw ScrapeConfigError(path: path, reason: "YAML file_sd files need a YAML decoder; this build reads only JSON")
        }
        do { return ScrapeConfigNode(json: try JSONParser.parse(contents)) } catch {
            throw ScrapeConfigError(path: path, reason: "invalid JSON: \((error as? JSONParser.Failure)?.description ?? "\(error)")")
        }
    }

    public init(config: ScrapeConfig, fileDecoder: @escaping ScrapeFileDecoder = ScrapeTargetDiscovery.jsonFileDecoder, logger: Logger) {
        self.config = config
        self.fileDecoder = fileDecoder
        self.logger = logger
        self.relabeler = Relabeler(config.relabelConfigs)
    }

    /// Groups already read from each file, kept when a later read fails (as Prometheus does).
    public typealias FileGroups = [String: [StaticTargetGroup]]

    /// The targets currently discovered, deduplicated; invalid ones are logged and skipped.
    public func targets(files: inout FileGroups) -> [ScrapeTarget] {
        var groups: [(group: StaticTargetGroup, meta: [String: String])] = config.staticConfigs.map { ($0, [:]) }
        var seenFiles = Set<String>()
        for path in config.fileSDConfigs.flatMap(\.files).flatMap(Self.expand) where seenFiles.insert(path).inserted {
            do {
                files[path] = try readFile(path)
            } catch {
                logger.error("file_sd: cannot read targets", metadata: ["job": "\(config.jobName)", "file": "\(path)", "error": "\(error)"])
            }
        }
        for path in files.keys where !seenFiles.contains(path) { files[path] = nil }
        for (path, fileGroups) in files.sorted(by: { $0.key < $1.key }) {
            groups += fileGroups.map { ($0, ["__meta_filepath": path]) }
        }
        var result: [ScrapeTarget] = []
        var seen = Set<ScrapeTarget>()
        for (group, meta) in groups {
            for address in group.targets {
                var discovered = group.labels.merging(meta) { a, _ in a }
                discovered["__address__"] = address
                do {
                    if let target = try ScrapeTarget.populate(discovered: discovered, config: config, relabeler: relabeler),
                       seen.insert(target).inserted {
                        result.append(target)
                    }
                } catch {
                    logger.warning("dropping invalid scrape target", metadata: ["job": "\(config.jobName)", "error": "\(error)"])
                }
            }
        }
        return result
    }

    /// Reports the targets now and, when there are file_sd configs, after
    /// every refresh interval; returns when cancelled.
    public func run(onUpdate: @Sendable ([ScrapeTarget]) async -> Void) async {
        var files: FileGroups = [:]
        await onUpdate(targets(files: &files))
        guard let refresh = config.fileSDConfigs.map(\.refreshInterval).min() else { return }
        while true {
            do { try await Task.sleep(for: refresh.duration) } catch { return }
            await onUpdate(targets(files: &files))
        }
    }

    /// One file's target groups: a list of `{targets: […], labels: {…}}`.
    func readFile(_ path: String) throws -> [StaticTargetGroup] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let node = try fileDecoder(path, Array(data))
        guard case .sequence(let items) = node else {
            throw ScrapeConfigError(path: path, reason: "expected a list of target groups, got \(node.kindName)")
        }
        var groups: [StaticTargetGroup] = []
        for (index, item) in items.enumerated() {
            groups.append(try StaticTargetGroup(node: item, path: "\(path)[\(index)]"))
        }
        return groups
    }

    /// The files a pattern names; `*` and `?` are allowed in the last component.
    static func expand(_ pattern: String) -> [String] {
        let url = URL(fileURLWithPath: pattern)
        let name = url.lastPathComponent
        guard name.contains("*") || name.contains("?") else { return [pattern] }
        let directory = url.deletingLastPathComponent().path
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.filter { wildcardMatch(Array($0.utf8)[...], Array(name.utf8)[...]) }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    static func wildcardMatch(_ text: ArraySlice<UInt8>, _ pattern: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        if first == UInt8(ascii: "*") {
            var rest = text
            while true {
                if wildcardMatch(rest, pattern.dropFirst()) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let head = text.first, first == UInt8(ascii: "?") || first == head else { return false }
        return wildcardMatch(text.dropFirst(), pattern.dropFirst())
    }
}
