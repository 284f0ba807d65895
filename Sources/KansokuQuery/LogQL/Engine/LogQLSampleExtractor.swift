/// Turns the lines of a log range into per-series samples, Loki's
/// `SampleExtractor`: `1` per line (count/rate), the byte length of the
/// processed line (bytes_*), or the `unwrap`ped label value.
///
/// The unwrapped label is removed from the series labels; `by`/`without`
/// on the range aggregation are applied here, so samples of several
/// streams can fall into one series. A sample still carrying `__error__`
/// fails the query with Loki's pipeline error.
struct LogQLSampleExtractor {
    static let sampleExtractionError = "SampleExtractionErr"

    /// Samples of one series, ascending by time.
    typealias Series = [(timestamp: Int64, value: Double)]

    static func extract(_ aggregation: LogQLRangeAggregation, engine: LogQLEngine, start: Int64,
                        end: Int64) throws(LogQLEvaluationError) -> [LogQLLabels: Series] {
        let range = aggregation.range
        let pipeline = try LogQLPipeline(range.query.pipeline)
        var postFilters: [LogQLLabelFilterEvaluator] = []
        for filter in range.unwrap?.postFilters ?? [] { postFilters.append(try LogQLLabelFilterEvaluator(filter)) }
        let offset = range.offset?.nanoseconds ?? 0
        // Windows are (t - range - offset, t - offset]; the source is [from, to).
        let from = start - offset - range.range.nanoseconds + 1
        let to = end - offset + 1
        var out: [LogQLLabels: Series] = [:]
        for stream in try engine.fetch(range.query.selector, start: from, end: to,
                                       hints: LogQLQueryHints(pipeline: range.query.pipeline)) {
            for entry in stream.entries {
                guard var (line, labels) = pipeline.process(entry, stream: stream.labels) else { continue }
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
                    value = aggregation.operation == .bytesOverTime || aggregation.operation == .bytesRate
                        ? Double(line.utf8.count) : 1
                    line = ""
                }
                var result = labels.labels
                if labels.hasError {
                    throw .pipelineError(errorType: labels.get(LogQLLabelsBuilder.errorLabel) ?? "", series: result)
                }
                result = result.removing([LogQLLabelsBuilder.errorDetailsLabel])
                if let grouping = aggregation.grouping {
                    result = grouping.without ? result.removing(Set(grouping.labels)) : result.keeping(Set(grouping.labels))
                }
                out[result, default: []].append((entry.timestamp, value))
            }
        }
        for key in Array(out.keys) {
            out[key]?.sort { $0.timestamp < $1.timestamp }
        }
        return out
    }
}
