import KansokuModel

/// Where a catalogue entry belongs.
public enum TraceAttributeScope: String, Sendable, Hashable, CaseIterable {
    /// Attributes of the resource that recorded the span.
    case resource
    /// Attributes of the span itself.
    case span
    /// Span fields that tag listings offer values of; the keys are
    /// ``TraceAttributeCatalog/Intrinsic`` raw values.
    case intrinsic
}

/// The attribute keys a part of the trace store holds, each with the kinds of
/// value seen and its distinct values (capped), plus the span intrinsics tag
/// listings need: status codes, status messages and root span operations.
/// Span names and kinds are not repeated here: the operations list
/// (``TraceSignalStore/operations()``) has them complete.
///
/// Each block stores one (section 7, `docs/trace-block-format.md`) and the
/// store keeps one per WAL segment not compacted yet, so tag names and values
/// are answered without reading any span. Events' and links' attributes are
/// not catalogued.
public struct TraceAttributeCatalog: Sendable, Hashable {
    /// The intrinsics kept, by their TraceQL name.
    public enum Intrinsic: String, Sendable, Hashable, CaseIterable {
        /// Status codes seen, as `.int` OTLP codes (0 unset, 1 ok, 2 error).
        case status
        /// Non-empty status messages (capped like attribute values).
        case statusMessage
        /// Names of spans without a parent.
        case rootName
        /// `service.name` of the resources of spans without a parent (resources without one do not count).
        case rootServiceName
    }

    /// How many distinct values a block or a WAL segment keeps per span
    /// attribute key and for status messages: enough to offer completions of
    /// low-cardinality keys (methods, routes, status codes, services) whole,
    /// while a key with unique values (`url.full`, user ids) costs at most 64
    /// values per block. Resource attributes are not capped: a block's
    /// resources table holds them all anyway.
    public static let valuesPerKey = 64

    public var resourceAttributes: [String: TraceAttributeSummary]
    public var spanAttributes: [String: TraceAttributeSummary]
    public var statusCodes: Set<SpanStatus.Code>
    public var statusMessages: TraceAttributeSummary
    /// (service, name) of every span without a parent; service `""` when its resource has no `service.name`.
    public var rootOperations: Set<TraceBlockMetadata.Operation>

    public init(resourceAttributes: [String: TraceAttributeSummary] = [:], spanAttributes: [String: TraceAttributeSummary] = [:],
                statusCodes: Set<SpanStatus.Code> = [], statusMessages: TraceAttributeSummary = .empty,
                rootOperations: Set<TraceBlockMetadata.Operation> = []) {
        self.resourceAttributes = resourceAttributes
        self.spanAttributes = spanAttributes
        self.statusCodes = statusCodes
        self.statusMessages = statusMessages
        self.rootOperations = rootOperations
    }

    /// The entries of one scope, by key.
    public func entries(in scope: TraceAttributeScope) -> [String: TraceAttributeSummary] {
        switch scope {
        case .resource: resourceAttributes
        case .span: spanAttributes
        case .intrinsic: Dictionary(uniqueKeysWithValues: Intrinsic.allCases.map { ($0.rawValue, intrinsic($0)) })
        }
    }

    /// What is known of one intrinsic.
    public func intrinsic(_ intrinsic: Intrinsic) -> TraceAttributeSummary {
        func strings(_ values: some Sequence<String>) -> TraceAttributeSummary {
            let sorted = Set(values).sorted().map(TraceAttributeValue.string)
            return TraceAttributeSummary(types: sorted.isEmpty ? [] : .string, values: sorted)
        }
        switch intrinsic {
        case .status:
            let codes = statusCodes.map(\.rawValue).sorted().map { TraceAttributeValue.int(Int64($0)) }
            return TraceAttributeSummary(types: codes.isEmpty ? [] : .int, values: codes)
        case .statusMessage: return statusMessages
        case .rootName: return strings(rootOperations.lazy.map(\.name))
        case .rootServiceName: return strings(rootOperations.lazy.map(\.service).filter { !$0.isEmpty })
        }
    }

    /// What is known of `key` in `scope` (nil: resource and span attributes
    /// together), at most `limit` values; empty when the key is absent.
    public func values(scope: TraceAttributeScope?, key: String, limit: Int = .max) -> TraceAttributeSummary {
        switch scope {
        case nil:
            (resourceAttributes[key] ?? .empty).merged(with: spanAttributes[key] ?? .empty, limit: limit)
        case .intrinsic?:
            Intrinsic(rawValue: key).map { intrinsic($0).limited(to: limit) } ?? .empty
        case let scope?:
            (entries(in: scope)[key] ?? .empty).limited(to: limit)
        }
    }

    /// Adds what `other` knows, keeping at most `limitValues` values per key.
    public mutating func merge(_ other: TraceAttributeCatalog, limitValues: Int = .max) {
        Self.merge(&resourceAttributes, other.resourceAttributes, limit: limitValues)
        Self.merge(&spanAttributes, other.spanAttributes, limit: limitValues)
        statusCodes.formUnion(other.statusCodes)
        statusMessages = statusMessages.merged(with: other.statusMessages, limit: limitValues)
        rootOperations.formUnion(other.rootOperations)
    }

    private static func merge(_ mine: inout [String: TraceAttributeSummary], _ theirs: [String: TraceAttributeSummary], limit: Int) {
        for (key, summary) in theirs {
            mine[key] = (mine[key] ?? .empty).merged(with: summary, limit: limit)
        }
        for (key, summary) in mine where theirs[key] == nil && summary.values.count > limit {
            mine[key] = summary.limited(to: limit)
        }
    }
}
