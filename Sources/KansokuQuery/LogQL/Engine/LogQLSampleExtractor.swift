import KansokuModel

/// Turns the lines of a log range into per-series samples, Loki's
/// `SampleExtractor`: `1` per line (count/rate), the byte length of the
/// processed line (bytes_*), or the `unwrap`ped label value.
///
/// The unwrapped label is removed from the series labels; `by`/`without`
/// on the range aggregation are applied here, so samples of several
/// streams can fall into one series. A sample still carrying `__error__`
/// fails the query with Loki's pipeline error. Runs are read one at a time
/// and only samples are kept, never lines.
struct LogQLSampleExtractor {
    static let sampleExtractionError = "SampleExtractionErr"

    /// Runs are read by one thread per core at most, each taking at least
    /// this many consecutive runs.
    static let minimumRunsPerPart = 16

    /// Extracts the samples of `aggregation` for steps in `[start, end]`.
    /// `folding` is the grouping of an enclosing `sum` that may be applied to
    /// each sample's labels right away (``LogQLMetricEvaluator`` decides when
    /// that gives the same answer), so that a `sum by (level)` over millions of
    /// parsed label sets keeps one series per level.
    ///
    /// Consecutive runs are split among the cores; each part is extracted on
    /// its own and the parts are joined in run order, so the answer (ties in
    /// time included, and which pipeline error is reported) is the one a
    /// single pass gives.
    static func extract(_ aggregation: LogQLRangeAggregation, folding: LogQLGrouping?, engine: LogQLEngine, start: Int64,
                        end: Int64) throws(LogQLEvaluationError) -> [LogQLLabels: LogQLSeriesSamples] {
        let range = aggregation.range
        let offset = range.offset?.nanoseconds ?? 0
        // Windows are (t - range - offset, t - offset]; the source is [from, to).
        let from = start - offset - range.range.nanoseconds + 1
        let to = end - offset + 1
        let runs = try engine.runs(range.query.selector, start: from, end: to, hints: LogQLQueryHints(pipeline: range.query.pipeline))
        let parts = try ParallelParts.map(count: runs.count, minimumPerPart: minimumRunsPerPart) {
            range throws(LogQLEvaluationError) in
            try extract(aggregation, folding: folding, engine: engine, runs: runs[range])
        }
        var out = parts[0]
        for part in parts.dropFirst() {
            for (labels, samples) in part { out[labels, default: LogQLSeriesSamples()].append(contentsOf: samples) }
        }
        for key in Array(out.keys) { out[key]!.seal() }
        return out
    }

    /// The samples of `runs`, in run order (not sealed).
    private static func extract(_ aggregation: LogQLRangeAggregation, folding: LogQLGrouping?, engine: LogQLEngine,
                                runs: ArraySlice<LogQLStreamRun>) throws(LogQLEvaluationError) -> [LogQLLabels: LogQLSeriesSamples] {
        let range = aggregation.range
        // When only `by` groupings apply, a series' labels are a few named
        // labels, read without building each line's whole label set, and
        // (without unwrap, which reads another) the only ones parsed.
        let projection = Self.projection(aggregation.grouping, folding)
        let projectionNames = projection?.sorted()
        // Besides the series' labels, an unwrap reads its label and its filters theirs.
        let labelsRead = projection.map { names in
            guard let unwrap = range.unwrap else { return names }
            return unwrap.postFilters.reduce(names.union([unwrap.label])) { $0.union($1.labelNames) }
        }
        let pipeline = try LogQLPipeline(range.query.pipeline, labelsRead: labelsRead)
        var postFilters: [LogQLLabelFilterEvaluator] = []
        for filter in range.unwrap?.postFilters ?? [] { postFilters.append(try LogQLLabelFilterEvaluator(filter)) }
        let countsBytes = aggregation.operation == .bytesOverTime || aggregation.operation == .bytesRate
        var out: [LogQLLabels: LogQLSeriesSamples] = [:]
        var grouped: [LogQLLabels: LogQLLabels] = [:]  // labels after the pipeline → series labels
        for run in runs {
            let stream = pipeline.base(run.labels)
            for entry in try engine.read(run) {
                guard var (line, labels) = pipeline.process(entry, stream: stream) else { continue }
                let value: Double
                if let unwrap = range.unwrap {
                    let text = labels.get(unwrap.label) ?? ""
                    let kind: LogQLLabelFilterEvaluator.Kind = switch unwrap.conversion {
                    case nil: .number
                    case .bytes: .bytes
                    case .duration, .durationSeconds: .duration
                    }
                    if let converted = LogQLLabelFilterEvaluator.convert(text, kind) {
                        value = converted
                    } else {
                        value = 0
                        labels.setError(sampleExtractionError, details: LogQLLabelFilterEvaluator.conversionMessage(text, kind))
                    }
                    labels.delete(unwrap.label)
                    if !postFilters.allSatisfy({ $0.keeps(&labels) }) { continue }
                } else {
                    value = countsBytes ? Double(line.utf8.count) : 1
                    line = ""
                }
                if labels.hasError {
                    throw .pipelineError(errorType: labels.get(LogQLLabelsBuilder.errorLabel) ?? "", series: labels.labels)
                }
                if let projectionNames {
                    out[labels.labels(keepingSorted: projectionNames), default: LogQLSeriesSamples()].append(entry.timestamp, value)
                    continue
                }
                let result = labels.labels
                let series: LogQLLabels
                if let known = grouped[result] {
                    series = known
                } else {
                    var labels = result.removing([LogQLLabelsBuilder.errorDetailsLabel])
                    if let grouping = aggregation.grouping { labels = LogQLVectorAggregator.groupLabels(labels, grouping) }
                    if let folding { labels = LogQLVectorAggregator.groupLabels(labels, folding) }
                    grouped[result] = labels
                    series = labels
                }
                out[series, default: LogQLSeriesSamples()].append(entry.timestamp, value)
            }
            // Parsed label sets are often unique per line; forget them once they stop paying off.
            if grouped.count > 100_000 { grouped.removeAll(keepingCapacity: true) }
        }
        return out
    }

    /// The label names a series keeps when every grouping that applies is a
    /// `by` (and at least one applies); nil otherwise.
    private static func projection(_ groupings: LogQLGrouping?...) -> Set<String>? {
        var names: Set<String>?
        for case let grouping? in groupings {
            guard !grouping.without else { return nil }
            names = names.map { $0.intersection(grouping.labels) } ?? Set(grouping.labels)
        }
        return names
    }
}
