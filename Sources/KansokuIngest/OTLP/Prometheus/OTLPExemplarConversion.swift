import KansokuModel

/// OTLP exemplars → Prometheus exemplars (spec "Exemplar Conversion"):
/// `trace_id`/`span_id` as lower-case hex labels when set, taking precedence
/// over filtered attributes with the same name; filtered attributes as labels
/// unless the labels would pass OpenMetrics' 128-character limit, in which
/// case only the ids are kept (as Prometheus does).
enum OTLPExemplarConversion {
    static let maxLabelCharacters = 128

    static func convert(_ exemplar: Exemplar) -> SeriesExemplar {
        var ids: [(String, String)] = []
        var characters = 0
        if !exemplar.traceID.isZero {
            let hex = exemplar.traceID.hex
            ids.append(("trace_id", hex))
            characters += "trace_id".utf8.count + hex.utf8.count
        }
        if !exemplar.spanID.isZero {
            let hex = exemplar.spanID.hex
            ids.append(("span_id", hex))
            characters += "span_id".utf8.count + hex.utf8.count
        }

        var pairs: [(String, String)] = []
        for attribute in exemplar.filteredAttributes {
            let value = OTLPAttributeText.string(attribute.value)
            characters += attribute.key.unicodeScalars.count + value.unicodeScalars.count
            if let name = PrometheusLabelName.sanitize(attribute.key) { pairs.append((name, value)) }
        }
        if characters > maxLabelCharacters { pairs.removeAll() }
        // Ids last: for a repeated name SeriesLabels keeps the last value.
        pairs += ids

        return SeriesExemplar(labels: SeriesLabels(pairs), value: exemplar.value.doubleValue,
                              timestamp: OTLPPrometheusTranslator.milliseconds(exemplar.timeUnixNano))
    }
}
