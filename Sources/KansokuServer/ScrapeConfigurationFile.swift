import Foundation
import KansokuIngest
import Yams

/// Reads a Prometheus-format scrape configuration (`global` and
/// `scrape_configs`, as in a `prometheus.yml`) with Yams and hands its
/// structure to the scrape module, which knows no YAML library.
enum ScrapeConfigurationFile {
    static func load(_ path: String) throws -> ScrapeConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError.invalidValue(key: "scrape.config_file", value: path, reason: "cannot read it: \(error.localizedDescription)")
        }
        let node: ScrapeConfigNode
        do {
            node = try parse(text)
        } catch {
            throw ConfigurationError.invalidValue(key: "scrape.config_file", value: path, reason: "not valid YAML: \(error)")
        }
        do throws(ScrapeConfigError) {
            return try ScrapeConfiguration(node: node)
        } catch {
            throw ConfigurationError.invalidValue(key: "scrape.config_file", value: path, reason: error.description)
        }
    }

    /// YAML or JSON text as a scrape-config node (file_sd files use it too).
    static func parse(_ text: String) throws -> ScrapeConfigNode {
        guard let root = try Yams.compose(yaml: text) else { return .null }
        return convert(root)
    }

    private static func convert(_ node: Node) -> ScrapeConfigNode {
        switch node {
        case .scalar(let scalar):
            let isNull = scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            return isNull ? .null : .scalar(scalar.string)
        case .sequence(let sequence):
            return .sequence(sequence.map(convert))
        case .mapping(let mapping):
            return .mapping(mapping.map { (key: $0.key.string ?? "", value: convert($0.value)) })
        case .alias:
            // compose() resolves aliases; one left here has nothing to point at.
            return .null
        }
    }

    /// Decodes file_sd files: JSON by the scrape module, YAML here.
    static let fileDecoder: ScrapeFileDecoder = { path, bytes in
        if path.hasSuffix(".json") { return try ScrapeTargetDiscovery.jsonFileDecoder(path, bytes) }
        return try parse(String(decoding: bytes, as: UTF8.self))
    }
}
