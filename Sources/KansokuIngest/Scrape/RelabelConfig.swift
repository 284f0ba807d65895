/// What one relabeling step does, spelled as in Prometheus configuration.
public enum RelabelAction: String, Sendable, Hashable, CaseIterable {
    case replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase
}

/// One `relabel_configs` / `metric_relabel_configs` entry, with Prometheus's defaults.
public struct RelabelConfig: Sendable, Equatable {
    public var sourceLabels: [String]
    public var separator: String
    public var regex: RelabelRegex
    public var modulus: UInt64
    public var targetLabel: String
    public var replacement: String
    public var action: RelabelAction

    public init(
        sourceLabels: [String] = [], separator: String = ";", regex: RelabelRegex = .default,
        modulus: UInt64 = 0, targetLabel: String = "", replacement: String = "$1", action: RelabelAction = .replace
    ) {
        self.sourceLabels = sourceLabels
        self.separator = separator
        self.regex = regex
        self.modulus = modulus
        self.targetLabel = targetLabel
        self.replacement = replacement
        self.action = action
    }

    static let keys: Set<String> = ["source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action"]

    /// Decodes one entry, validating as Prometheus does (with its wording).
    public init(node: ScrapeConfigNode, path: String) throws(ScrapeConfigError) {
        let reader = try ScrapeConfigReader(node, path: path)
        try reader.checkKeys(Self.keys)
        self.init()
        if let action = try reader.string("action") {
            guard let known = RelabelAction(rawValue: action.lowercased()) else {
                throw ScrapeConfigError(path: ScrapeConfigReader.join(path, "action"), reason: "unknown relabel action \"\(action)\"")
            }
            self.action = known
        }
        sourceLabels = try reader.strings("source_labels") ?? []
        separator = try reader.string("separator") ?? ";"
        if let pattern = try reader.string("regex") {
            do { regex = try RelabelRegex(pattern) } catch {
                throw ScrapeConfigError(path: ScrapeConfigReader.join(path, "regex"), reason: error.description)
            }
        }
        modulus = try reader.integer("modulus") ?? 0
        targetLabel = try reader.string("target_label") ?? ""
        replacement = try reader.string("replacement") ?? "$1"
        try validate(path: path)
    }

    /// Refuses combinations Prometheus refuses.
    public func validate(path: String = "") throws(ScrapeConfigError) {
        func fail(_ reason: String) -> ScrapeConfigError { ScrapeConfigError(path: path, reason: reason) }
        if action == .hashmod && modulus == 0 {
            throw fail("relabel configuration for hashmod requires non-zero modulus")
        }
        let needsTarget: Set<RelabelAction> = [.replace, .hashmod, .lowercase, .uppercase, .keepequal, .dropequal]
        if needsTarget.contains(action) && targetLabel.isEmpty {
            throw fail("relabel configuration for \(action.rawValue) action requires 'target_label' value")
        }
        if [.keepequal, .dropequal].contains(action) && sourceLabels.isEmpty {
            throw fail("relabel configuration for \(action.rawValue) action requires 'source_labels' value")
        }
        if [.labeldrop, .labelkeep].contains(action)
            && (!sourceLabels.isEmpty || !targetLabel.isEmpty || modulus != 0 || separator != ";" || replacement != "$1") {
            throw fail("\(action.rawValue) action requires only 'regex', and no other fields")
        }
        if action == .labelmap && !targetLabel.isEmpty {
            throw fail("'target_label' can not be set for labelmap action")
        }
    }
}
