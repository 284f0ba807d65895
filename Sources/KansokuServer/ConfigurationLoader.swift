import Foundation
import Yams

/// Resolves a ``ServerConfiguration`` from, in rising precedence: defaults, a YAML
/// file, `KANSOKU_*` environment variables, and command-line flags.
public enum ConfigurationLoader {
    /// - Parameters:
    ///   - file: path of a YAML file, or nil for none.
    ///   - environment: usually `ProcessInfo.processInfo.environment`.
    ///   - flags: values given on the command line, keyed by flag name (`--data-dir`).
    public static func load(file: String?, environment: [String: String], flags: [String: String]) throws(ConfigurationError) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        let fileValues = try file.map { path throws(ConfigurationError) in try yamlValues(at: path) } ?? [:]
        for key in ConfigurationKey.all {
            if let value = flags[key.flag] ?? environment[key.environmentVariable] ?? fileValues[key.yamlPath] {
                try key.apply(&configuration, value)
            }
        }
        return configuration
    }

    /// The flags ``load(file:environment:flags:)`` understands.
    public static var flagNames: [String] { ConfigurationKey.all.map(\.flag) }

    /// Reads a YAML file into dotted paths (`otlp.grpc_address`) with scalar values, refusing unknown keys.
    static func yamlValues(at path: String) throws(ConfigurationError) -> [String: String] {
        let text: String
        let root: Any?
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableFile(path, reason: "\(error.localizedDescription)")
        }
        do {
            root = try Yams.load(yaml: text)
        } catch {
            throw .unreadableFile(path, reason: "invalid YAML: \(error)")
        }
        guard let root else { return [:] }
        guard let mapping = root as? [String: Any] else { throw .unreadableFile(path, reason: "the top level must be a mapping") }
        let known = Set(ConfigurationKey.all.map(\.yamlPath))
        var values = [String: String]()
        try flatten(mapping, prefix: "", into: &values, known: known, file: path)
        return values
    }

    private static func flatten(_ mapping: [String: Any], prefix: String, into values: inout [String: String],
                                known: Set<String>, file: String) throws(ConfigurationError) {
        for (key, value) in mapping {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            if let nested = value as? [String: Any] {
                try flatten(nested, prefix: path, into: &values, known: known, file: file)
            } else {
                guard known.contains(path) else { throw .unknownKey(path, file: file) }
                // A list (of attribute names, say) arrives as the comma-separated form flags and variables use.
                values[path] = (value as? [Any]).map { $0.map { "\($0)" }.joined(separator: ",") } ?? "\(value)"
            }
        }
    }
}
