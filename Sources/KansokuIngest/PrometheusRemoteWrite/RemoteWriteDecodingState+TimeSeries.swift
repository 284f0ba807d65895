import KansokuModel

/// `TimeSeries` messages: labels (from the label cache when their bytes were
/// seen before), then samples, exemplars and native histograms, and the
/// checks that refuse a series alone.
extension RemoteWriteDecodingState {
    /// Histograms of the series being decoded that failed validation. Its
    /// valid values go straight into the batch, as the open series.
    struct InvalidHistograms {
        /// The first one refuses the series (once its labels are known good).
        var first: (timestamp: Int64, problem: RemoteWriteHistogramProblem)?
        var count = 0
    }

    /// A `TimeSeries` message's bytes. Plain length-delimited fields (one-byte
    /// tag, short length) are taken directly; anything else goes through `ProtobufReader`.
    mutating func timeSeries(_ body: UnsafeRawBufferPointer, labelCache: RemoteWriteLabelCache?) throws(ProtobufWireError) {
        // Labels first, as every sender writes them: their bytes may name a label set decoded before.
        let leadingLabels = labelCache == nil ? UnsafeRawBufferPointer(start: nil, count: 0) : Self.leadingLabels(body)
        if let labelCache, !leadingLabels.isEmpty, let known = labelCache.labels(for: leadingLabels),
           try knownSeries(body, labels: known, valuesFrom: leadingLabels.count) {
            return
        }
        var labels: [SeriesLabel] = []
        labels.reserveCapacity(previousNames.count)
        var invalid = InvalidHistograms()
        var labelsElsewhere = false  // a label outside the leading run: not cacheable by those bytes

        var previousName = UnsafeRawBufferPointer(start: nil, count: 0)
        var ascending = true        // strictly ascending names, so also no duplicates
        var hasEmptyName = false
        var hasEmptyValue = false
        var hasMetricName = false   // a `__name__` with a non-empty value

        var position = 0
        while true {
            let fieldStart = position
            guard let (field, payload) = try nextField(body, &position) else { break }
            guard field == 1 else {
                try value(field, payload, invalid: &invalid)
                continue
            }
            if fieldStart >= leadingLabels.count { labelsElsewhere = true }
            let (nameBytes, valueBytes) = try label(payload)
            let index = labels.count
            let name = try positionalName(nameBytes, index: index)
            let value = try positionalValue(valueBytes, index: index)
            if nameBytes.isEmpty { hasEmptyName = true }
            if valueBytes.isEmpty {
                hasEmptyValue = true
            } else if Self.isMetricNameLabel(nameBytes) {
                hasMetricName = true
            }
            if index > 0 && Self.compare(previousName, nameBytes) >= 0 { ascending = false }
            previousName = nameBytes
            labels.append(SeriesLabel(name: name, value: value))
        }

        if !ascending { Self.sortByName(&labels) }

        // Prometheus checks the name and label validity first, then duplicates.
        var reason: RemoteWriteRejection.Reason?
        if labels.isEmpty {
            reason = .noLabels
        } else if hasEmptyName {
            reason = .emptyLabelName
        } else if !hasMetricName {
            reason = .missingMetricName
        } else if !ascending, let duplicate = Self.duplicateName(labels) {
            reason = .duplicateLabelName(duplicate)
        } else if let invalidHistogram = invalid.first {
            // Label problems come first, as in Prometheus, where they stop the series before its samples are appended.
            reason = .invalidHistogram(timestamp: invalidHistogram.timestamp, problem: invalidHistogram.problem)
        }
        if let reason {
            rejected.append(RemoteWriteRejection(
                series: SeriesLabels(sorted: labels).description, reason: reason,
                sampleCount: batch.openSampleCount + batch.openHistogramCount + invalid.count))
            batch.discardOpenValues()
            return
        }

        if hasEmptyValue { labels.removeAll { $0.value.isEmpty } }
        let identity = SeriesLabels(sorted: labels)
        if let labelCache, !leadingLabels.isEmpty, !labelsElsewhere { labelCache.insert(identity, for: leadingLabels) }
        closeSeries(identity)
    }

    /// Makes the values decoded into the batch a series, unless there are none.
    private mutating func closeSeries(_ labels: consuming SeriesLabels) {
        guard !batch.openIsEmpty else { return }
        batch.closeSeries(labels: labels)
    }

    /// A series whose leading label bytes were decoded (and found valid)
    /// before: only its samples, histograms and exemplars are read. False,
    /// with nothing appended, when it must be decoded in full after all (a
    /// label field after the values, or an invalid histogram to report).
    private mutating func knownSeries(_ body: UnsafeRawBufferPointer, labels: consuming SeriesLabels,
                                      valuesFrom start: Int) throws(ProtobufWireError) -> Bool {
        var invalid = InvalidHistograms()
        var position = start
        while let (field, payload) = try nextField(body, &position) {
            guard field != 1 else {
                batch.discardOpenValues()
                return false
            }
            try value(field, payload, invalid: &invalid)
        }
        guard invalid.first == nil else {
            batch.discardOpenValues()
            return false
        }
        closeSeries(labels)
        return true
    }

    /// The leading run of plainly framed `labels` fields of a `TimeSeries`.
    static func leadingLabels(_ body: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var end = 0
        while let (field, _, next) = plainLengthDelimited(body, at: end), field == 1 { end = next }
        return UnsafeRawBufferPointer(rebasing: body[..<end])
    }

    /// The next field of a `TimeSeries` at `position` (moved past it), with
    /// its payload when length-delimited; nil at the end. Plain
    /// length-delimited fields (one-byte tag, short length) are taken
    /// directly; anything else goes through `ProtobufReader`.
    private func nextField(_ body: UnsafeRawBufferPointer, _ position: inout Int) throws(ProtobufWireError)
        -> (field: UInt64, payload: UnsafeRawBufferPointer)? {
        guard position < body.count else { return nil }
        if let (field, payload, next) = Self.plainLengthDelimited(body, at: position) {
            position = next
            return (field, payload)
        }
        var reader = reader(body, from: position)
        guard let (number, type) = try reader.nextField() else { return nil }
        switch number {
        case 1: try reader.expect(type, .lengthDelimited, field: "TimeSeries.labels")
        case 2: try reader.expect(type, .lengthDelimited, field: "TimeSeries.samples")
        case 3: try reader.expect(type, .lengthDelimited, field: "TimeSeries.exemplars")
        case 4: try reader.expect(type, .lengthDelimited, field: "TimeSeries.histograms")
        default: break
        }
        let payload: UnsafeRawBufferPointer
        if type == .lengthDelimited {
            payload = try reader.lengthDelimited()
        } else {
            try Self.skip(&reader, field: number, type: type)
            payload = UnsafeRawBufferPointer(start: nil, count: 0)
        }
        position += reader.offset
        return (number, payload)
    }

    /// Decodes a `samples`, `exemplars` or `histograms` field into the
    /// batch's open series, noting histograms that fail validation; other
    /// fields (unknown ones, already skipped) are ignored.
    private mutating func value(_ field: UInt64, _ payload: UnsafeRawBufferPointer,
                                invalid: inout InvalidHistograms) throws(ProtobufWireError) {
        switch field {
        case 2:
            batch.addSample(try sample(payload))
        case 3:
            var message = reader(payload)
            batch.addExemplar(try exemplar(&message))
        case 4:
            let histogram = try histogram(payload)
            do throws(RemoteWriteHistogramProblem) {
                batch.addHistogram(try histogram.sample())
            } catch {
                if invalid.first == nil { invalid.first = (histogram.timestamp, error) }
                invalid.count += 1
            }
        default:
            break
        }
    }
}
