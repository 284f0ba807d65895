import KansokuModel

/// The inverted index of a block: for each label name and value, the
/// indexes (into the sorted series table) of the series carrying the pair.
///
/// ```text
/// postings := nameCount:uvar (name:uvar valueCount:uvar
///             (value:uvar refCount:uvar firstRef:uvar delta:uvar*)*)*
/// ```
/// Names and values are symbol references, strictly ascending; references
/// strictly ascend (deltas ≥ 1).
struct MetricBlockPostings: Sendable {
    private(set) var postings: [String: [String: [UInt32]]] = [:]
    /// Label names, sorted.
    private(set) var names: [String] = []

    /// Postings derived from series already sorted by labels.
    init(series: [MetricBlockSeries]) {
        for (ref, s) in series.enumerated() {
            for label in s.labels.labels {
                postings[label.name, default: [:]][label.value, default: []].append(UInt32(ref))
            }
        }
        names = postings.keys.sorted()
    }

    func encoded(symbolIDs: [String: Int]) -> [UInt8] {
        var w = WALWriter(reservingCapacity: 1024)
        w.writeCount(names.count)
        for name in names {
            let values = postings[name]!
            w.writeCount(symbolIDs[name]!)
            w.writeCount(values.count)
            for value in values.keys.sorted() {
                let refs = values[value]!
                w.writeCount(symbolIDs[value]!)
                w.writeCount(refs.count)
                var previous: UInt32 = 0
                for (i, ref) in refs.enumerated() {
                    w.writeVarUInt(i == 0 ? ref : ref - previous)
                    previous = ref
                }
            }
        }
        return w.bytes
    }

    /// Decodes postings and checks them against the series table: every
    /// (name, value, ref) must be a label of series `ref`, and the number of
    /// entries must equal the number of labels, so the two agree exactly.
    init(decoding bytes: [UInt8], symbols: [String], series: [MetricBlockSeriesEntry], path: String) throws(MetricBlockError) {
        func malformed(_ detail: String) -> MetricBlockError { .malformed(path: path, section: "postings", detail: detail) }
        var r = WALReader(bytes)
        var entries = 0
        do {
            let nameCount = try r.readCount(minimumElementSize: 2)
            var previousName = -1
            for _ in 0..<nameCount {
                let nameID = try r.readInt()
                guard nameID < symbols.count, nameID > previousName else { throw malformed("label name symbol \(nameID) out of order or range") }
                previousName = nameID
                let name = symbols[nameID]
                let valueCount = try r.readCount(minimumElementSize: 2)
                var values: [String: [UInt32]] = [:]
                values.reserveCapacity(valueCount)
                var previousValue = -1
                for _ in 0..<valueCount {
                    let valueID = try r.readInt()
                    guard valueID < symbols.count, valueID > previousValue else { throw malformed("value symbol \(valueID) of \(name) out of order or range") }
                    previousValue = valueID
                    let value = symbols[valueID]
                    let refCount = try r.readCount(minimumElementSize: 1)
                    guard refCount >= 1 else { throw malformed("\(name)=\(value) has no series") }
                    var refs: [UInt32] = []
                    refs.reserveCapacity(refCount)
                    var ref: UInt64 = 0
                    for i in 0..<refCount {
                        let delta = try r.readVarUInt()
                        guard i == 0 || delta >= 1, delta < UInt64(series.count), ref + delta < UInt64(series.count) else {
                            throw malformed("\(name)=\(value) lists a series out of order or range")
                        }
                        ref += delta
                        guard series[Int(ref)].labels[name] == value else {
                            throw malformed("\(name)=\(value) lists series \(ref), which lacks the label")
                        }
                        refs.append(UInt32(ref))
                    }
                    entries += refCount
                    values[value] = refs
                }
                postings[name] = values
                names.append(name)
            }
            guard r.isAtEnd else { throw malformed("\(r.remaining) trailing bytes") }
        } catch let error as MetricBlockError {
            throw error
        } catch {
            throw malformed("\(error)")
        }
        let labelTotal = series.reduce(0) { $0 + $1.labels.labels.count }
        guard entries == labelTotal else { throw malformed("\(entries) entries for \(labelTotal) labels") }
    }

    /// Values of `name` and their postings.
    func values(of name: String) -> [String: [UInt32]] { postings[name] ?? [:] }

    /// Indexes of series satisfying every matcher, ascending, out of
    /// `seriesCount`: the head's algorithm (Prometheus's PostingsForMatchers).
    /// Matchers rejecting the empty value narrow through their postings;
    /// those accepting it subtract the postings of the values they reject,
    /// so series lacking the label match.
    func matching(_ matchers: [SeriesMatcher], seriesCount: Int) -> [UInt32] {
        var result: [UInt32]?
        var subtract: [[UInt32]] = []
        for matcher in matchers {
            let values = postings[matcher.name] ?? [:]
            if matcher.matchesEmpty {
                var excluded: [[UInt32]] = []
                for (value, refs) in values where !matcher.matches(value) { excluded.append(refs) }
                if !excluded.isEmpty { subtract.append(PostingsIndex.union(excluded)) }
            } else {
                var included: [[UInt32]] = []
                if matcher.op == .equal {
                    if let refs = values[matcher.value] { included.append(refs) }
                } else {
                    for (value, refs) in values where matcher.matches(value) { included.append(refs) }
                }
                let refs = PostingsIndex.union(included)
                let narrowed = result.map { PostingsIndex.intersect($0, refs) } ?? refs
                if narrowed.isEmpty { return [] }
                result = narrowed
            }
        }
        var refs = result ?? (0..<UInt32(seriesCount)).map { $0 }
        for excluded in subtract { refs = PostingsIndex.subtract(refs, excluded) }
        return refs
    }

    /// Union over OR-ed selectors; no selectors means every series.
    func matching(selectors: [[SeriesMatcher]], seriesCount: Int) -> [UInt32] {
        if selectors.isEmpty { return (0..<UInt32(seriesCount)).map { $0 } }
        return PostingsIndex.union(selectors.map { matching($0, seriesCount: seriesCount) })
    }
}
