import KansokuModel

/// Builds a ``TraceAttributeCatalog`` from spans and resources: the one code
/// path behind a block's catalogue section, the WAL tail's per-segment
/// catalogues, the scan of a block written without the section and the
/// protocol's scanning default, so they all agree.
struct TraceAttributeCatalogBuilder: Sendable {
    /// Distinct values kept per span attribute key and for status messages.
    let valuesPerKey: Int
    /// Distinct values kept per resource attribute key.
    let resourceValuesPerKey: Int
    /// When set, only attributes with one of these keys are collected
    /// (intrinsics always are); for a lookup of one key.
    let keys: Set<String>?

    private var resourceKeys: [String: CappedValues] = [:]
    private var spanKeys: [String: CappedValues] = [:]
    private var statusCodes: Set<SpanStatus.Code> = []
    private var statusMessages: CappedValues
    private var rootOperations: Set<TraceBlockMetadata.Operation> = []

    init(valuesPerKey: Int = TraceAttributeCatalog.valuesPerKey, resourceValuesPerKey: Int = .max, keys: Set<String>? = nil) {
        self.valuesPerKey = max(0, valuesPerKey)
        self.resourceValuesPerKey = max(0, resourceValuesPerKey)
        self.keys = keys
        statusMessages = CappedValues(cap: self.valuesPerKey)
    }

    /// Adds a resource's attributes.
    mutating func add(resource: Resource) {
        for attribute in resource.attributes where keys?.contains(attribute.key) ?? true {
            resourceKeys[attribute.key, default: CappedValues(cap: resourceValuesPerKey)].add(attribute.value)
        }
    }

    /// Adds a span's attributes and intrinsics; `service` is its resource's
    /// `service.name` (`""` when it has none).
    mutating func add(span item: Span, service: String) {
        for attribute in item.attributes where keys?.contains(attribute.key) ?? true {
            spanKeys[attribute.key, default: CappedValues(cap: valuesPerKey)].add(attribute.value)
        }
        statusCodes.insert(item.status.code)
        if !item.status.message.isEmpty { statusMessages.insert(.string(item.status.message)) }
        if item.parentSpanID.isZero { rootOperations.insert(.init(service: service, name: item.name)) }
    }

    /// Adds every span of `batch` and the resources that have spans.
    mutating func add(_ batch: SpanBatch) {
        for group in batch.resources where group.scopes.contains(where: { !$0.items.isEmpty }) {
            add(resource: group.resource)
            let service = group.resource.serviceName ?? ""
            for scoped in group.scopes {
                for item in scoped.items { add(span: item, service: service) }
            }
        }
    }

    func build() -> TraceAttributeCatalog {
        TraceAttributeCatalog(resourceAttributes: resourceKeys.mapValues { $0.summary() }, spanAttributes: spanKeys.mapValues { $0.summary() },
                              statusCodes: statusCodes, statusMessages: statusMessages.summary(), rootOperations: rootOperations)
    }
}

/// The distinct values of one key, keeping the `cap` smallest: once more
/// than twice the cap are held, all but the smallest `cap` are dropped and
/// anything above the largest kept is refused from then on, so memory stays
/// bounded whatever the cardinality and each value costs a comparison.
struct CappedValues: Sendable {
    let cap: Int
    private(set) var types: TraceAttributeTypes = []
    private var values: Set<TraceAttributeValue> = []
    /// Set once values were dropped: the largest value kept.
    private var ceiling: TraceAttributeValue?
    private var isComplete = true

    init(cap: Int) {
        self.cap = max(0, cap)
    }

    mutating func add(_ value: AttributeValue) {
        types.insert(TraceAttributeTypes(of: value))
        if let listable = TraceAttributeValue(value) { insert(listable) }
    }

    mutating func insert(_ value: TraceAttributeValue) {
        types.insert(value.type)
        guard cap > 0 else {
            isComplete = false
            return
        }
        if let ceiling, ceiling < value { return }
        values.insert(value)
        if values.count > (cap > Int.max / 2 ? Int.max : cap * 2) { trim() }
    }

    private mutating func trim() {
        let kept = values.sorted().prefix(cap)
        ceiling = kept.last
        values = Set(kept)
        isComplete = false
    }

    /// The values kept, ascending, at most `cap`.
    func summary() -> TraceAttributeSummary {
        let sorted = values.sorted()
        return TraceAttributeSummary(types: types, values: Array(sorted.prefix(cap)), isComplete: isComplete && sorted.count <= cap)
    }
}
