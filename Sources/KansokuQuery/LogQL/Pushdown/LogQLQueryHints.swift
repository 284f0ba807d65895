import KansokuModel

/// What a log query's pipeline lets a store skip, derived from its leading
/// filter stages: the ``LogEntryRequirement`` every kept entry satisfies.
///
/// Only the stages before the first one that rewrites the line or adds labels
/// (a parser, `line_format`, `label_format`, `drop`, `keep`, `decolorize`)
/// are read, since later filters do not see the stored line and labels:
///
/// - `|= "a" or "b"`: each alternative's ``LogQLNeedleTerms``; nothing if an
///   alternative implies nothing.
/// - `|~ "re"`: the literal runs of ``LogQLRegexLiterals`` treated as
///   needles (alternatives for top-level `|`); nothing for other patterns.
/// - `| trace_id="<32 hex>"` (and `and`/`or` of such): the trace id.
/// - `!=`, `!~`, `|>`, `!>`, `ip()` and other label filters imply nothing.
///
/// Stages combine with `all`.
public struct LogQLQueryHints: Sendable, Hashable, CustomStringConvertible {
    /// What every kept entry satisfies; nil when nothing is known.
    public var requirement: LogEntryRequirement?

    /// No hint: every stored entry may be kept.
    public static let none = LogQLQueryHints(requirement: nil)

    /// Hints with an explicit requirement.
    public init(requirement: LogEntryRequirement?) {
        self.requirement = requirement
    }

    /// Hints derived from `pipeline`'s leading filter stages.
    public init(pipeline: [LogQLPipelineStage]) {
        var parts: [LogEntryRequirement] = []
        stages: for stage in pipeline {
            switch stage {
            case .lineFilter(let filter):
                if let part = Self.requirement(of: filter) { parts.append(part) }
            case .labelFilter(let filter):
                if let part = Self.requirement(of: filter) { parts.append(part) }
            case .parser, .lineFormat, .labelFormat, .drop, .keep, .decolorize:
                break stages
            }
        }
        requirement = LogEntryRequirement.all(of: parts)
    }

    public var description: String { requirement?.description ?? "none" }

    /// The requirement of one line filter (its `or` alternatives), if any.
    static func requirement(of filter: LogQLLineFilter) -> LogEntryRequirement? {
        switch filter.op {
        case .contains:
            return LogEntryRequirement.any(of: filter.values.map { value in
                guard case .string(let needle) = value else { return nil }
                return LogQLNeedleTerms.requirement(containing: needle)
            })
        case .regexMatch:
            var alternatives: [LogEntryRequirement?] = []
            for value in filter.values {
                guard case .string(let pattern) = value, let branches = LogQLRegexLiterals.branches(pattern) else { return nil }
                for branch in branches {
                    alternatives.append(LogEntryRequirement.all(of: branch.compactMap(LogQLNeedleTerms.requirement(containing:))))
                }
            }
            return LogEntryRequirement.any(of: alternatives)
        case .notContains, .regexNoMatch, .patternMatch, .patternNoMatch:
            return nil
        }
    }

    /// The requirement of a label filter expression, if any.
    static func requirement(of filter: LogQLLabelFilter) -> LogEntryRequirement? {
        switch filter {
        case .matcher(let matcher):
            guard matcher.name == "trace_id", matcher.type == .equal,
                  let id = TraceID(hex: matcher.value), !id.isZero else { return nil }
            return .metadataTraceID(id)
        case .and(let lhs, let rhs):
            return LogEntryRequirement.all(of: [requirement(of: lhs), requirement(of: rhs)].compactMap { $0 })
        case .or(let lhs, let rhs):
            return LogEntryRequirement.any(of: [requirement(of: lhs), requirement(of: rhs)])
        case .number, .duration, .bytes, .ip:
            return nil
        }
    }
}
