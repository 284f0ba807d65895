import KansokuModel

/// The criteria of a span search that a store can check from a span's
/// service, name, kind, status, start and duration alone, without reading
/// its attributes or events. Every criterion left nil matches every span.
public struct SpanSearchFilter: Sendable, Hashable {
    /// `service.name` of the span's resource (`""` for a resource without one).
    public var services: Set<String>?
    /// Span names.
    public var spanNames: Set<String>?
    /// Span start, nanoseconds since the epoch, inclusive.
    public var startTimes: ClosedRange<UInt64>?
    /// Shortest span duration in nanoseconds, inclusive.
    public var minDurationNanos: UInt64?
    /// Longest span duration in nanoseconds, inclusive.
    public var maxDurationNanos: UInt64?
    public var kinds: Set<SpanKind>?
    public var statusCodes: Set<SpanStatus.Code>?

    public init(services: Set<String>? = nil, spanNames: Set<String>? = nil, startTimes: ClosedRange<UInt64>? = nil,
                minDurationNanos: UInt64? = nil, maxDurationNanos: UInt64? = nil,
                kinds: Set<SpanKind>? = nil, statusCodes: Set<SpanStatus.Code>? = nil) {
        self.services = services
        self.spanNames = spanNames
        self.startTimes = startTimes
        self.minDurationNanos = minDurationNanos
        self.maxDurationNanos = maxDurationNanos
        self.kinds = kinds
        self.statusCodes = statusCodes
    }

    /// Whether a duration is within the bounds.
    func admits(durationNanos duration: UInt64) -> Bool {
        if let min = minDurationNanos, duration < min { return false }
        if let max = maxDurationNanos, duration > max { return false }
        return true
    }

    /// Whether `span`, recorded by a resource of service `service`, passes every criterion.
    public func matches(_ span: Span, service: String) -> Bool {
        if let services, !services.contains(service) { return false }
        if let spanNames, !spanNames.contains(span.name) { return false }
        if let startTimes, !startTimes.contains(span.startTimeUnixNano) { return false }
        if let kinds, !kinds.contains(span.kind) { return false }
        if let statusCodes, !statusCodes.contains(span.status.code) { return false }
        return admits(durationNanos: span.durationNanos)
    }
}

/// A check on a whole span beyond ``SpanSearchFilter`` (attributes, tags, a
/// TraceQL condition), given the span with the scope and resource it was
/// recorded with. Stores call it only for spans that passed the filter.
public typealias SpanSearchPredicate = (Span, InstrumentationScope, Resource) -> Bool

/// One trace found by a search.
public struct TraceSearchHit: Sendable, Hashable {
    public var traceID: TraceID
    /// Start of the trace's most recently started matching span, in nanoseconds.
    public var latestMatchStart: UInt64

    public init(traceID: TraceID, latestMatchStart: UInt64) {
        self.traceID = traceID
        self.latestMatchStart = latestMatchStart
    }

    /// Most recent first; equal starts by descending trace id, so the order is total.
    static func isMoreRecent(_ a: TraceSearchHit, _ b: TraceSearchHit) -> Bool {
        (a.latestMatchStart, a.traceID) > (b.latestMatchStart, b.traceID)
    }
}
