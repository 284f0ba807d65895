import KansokuModel

extension TraceStore {
    /// Merged from each block's catalogue section and the WAL tail's
    /// per-segment catalogues, without reading a block's spans; only blocks
    /// written before the section existed are scanned. The tail's catalogues
    /// are built on demand: only the records appended since the previous
    /// listing are decoded (``TraceTailCatalogs``). Span attribute values are
    /// capped at ``TraceAttributeCatalog/valuesPerKey`` per block and segment,
    /// so a key with more is incomplete and lists its smallest values.
    public func attributeCatalog(limitValues: Int) throws -> TraceAttributeCatalog {
        var result = TraceAttributeCatalog()
        try forEachCatalog { result.merge($0, limitValues: limitValues) }
        return result
    }

    /// The one key's entries of the catalogues ``attributeCatalog(limitValues:)`` merges.
    public func attributeValues(scope: TraceAttributeScope?, key: String, limit: Int) throws -> TraceAttributeSummary {
        var result = TraceAttributeSummary.empty
        try forEachCatalog { result = result.merged(with: $0.values(scope: scope, key: key, limit: limit), limit: limit) }
        return result
    }

    /// Calls `body` with the catalogue of every block and of every WAL segment not compacted yet.
    private func forEachCatalog(_ body: (TraceAttributeCatalog) throws -> Void) throws {
        try segmentsLock.withReadLock { () throws in
            let snapshot = withBlocks { $0 }
            for block in snapshot.values {
                try body(try block.attributeCatalog() ?? block.scanAttributeCatalog())
            }
            for catalog in try tailIndex.catalogs(of: log.records(), excluding: Set(snapshot.keys)) { try body(catalog) }
        }
    }
}

extension TraceBlockReader {
    /// The catalogue of a block written without the section, from its spans
    /// (as ``TraceStore/operations()`` does for blocks without span kinds).
    func scanAttributeCatalog() throws -> TraceAttributeCatalog {
        var builder = TraceAttributeCatalogBuilder()
        var resources = Set<Resource>()
        try forEachSpan { item in
            if resources.insert(item.resource).inserted { builder.add(resource: item.resource) }
            builder.add(span: item.span, service: item.resource.serviceName ?? "")
        }
        return builder.build()
    }
}
