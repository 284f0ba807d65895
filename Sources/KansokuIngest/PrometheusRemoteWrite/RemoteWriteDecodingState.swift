import KansokuModel

/// A string decoded from the request, with the bytes it came from so a later
/// occurrence of the same bytes reuses it. The bytes point into the request
/// buffer, which outlives the decode.
struct CachedString {
    var bytes: UnsafeRawBufferPointer
    var string: String
}

/// Where the decoder is, for error messages.
enum DecodingContext: CustomStringConvertible {
    case request
    case timeseries(Int)
    case metadata(Int)

    var description: String {
        switch self {
        case .request: ""
        case .timeseries(let index): "timeseries[\(index)]"
        case .metadata(let index): "metadata[\(index)]"
        }
    }
}

/// Everything one decode accumulates, and its per-request string caches.
struct RemoteWriteDecodingState {
    var series: [SeriesSamples] = []
    var metadata: [MetricFamilyMetadata] = []
    var rejected: [RemoteWriteRejection] = []
    var context = DecodingContext.request
    /// The first byte of the request, to place UTF-8 errors.
    var requestStart: UnsafeRawPointer?

    /// Label names and values of the previous series by position: consecutive
    /// series usually share most of their labels in the same places.
    var previousNames: [CachedString] = []
    var previousValues: [CachedString] = []
    /// Label names by a hash of their bytes, for names that moved position.
    var nameTable = [CachedString?](repeating: nil, count: RemoteWriteDecodingState.nameTableSize)
    static let nameTableSize = 128

    /// What a `TimeSeries` holds besides its labels.
    struct SeriesValues {
        var samples: [Sample] = []
        var exemplars: [SeriesExemplar] = []
        var histograms: [HistogramSample] = []
        /// The first invalid histogram refuses the series (once its labels are known good).
        var invalidHistogram: (timestamp: Int64, problem: RemoteWriteHistogramProblem)?
        var invalidHistograms = 0

        var isEmpty: Bool { samples.isEmpty && histograms.isEmpty && exemplars.isEmpty }
    }

    /// Unknown fields may hold groups; nesting deeper than this is refused.
    static let maxGroupDepth = 64

    /// - Parameter labelCache: label sets decoded by earlier requests, by
    ///   their bytes (nil: decode every series in full). A parameter, not a
    ///   stored property: reading a stored class reference retains it, once
    ///   per series, on an object every decoding thread shares.
    mutating func decodeRequest(_ bytes: UnsafeRawBufferPointer, labelCache: RemoteWriteLabelCache? = nil) throws(ProtobufWireError) {
        requestStart = bytes.baseAddress
        series.reserveCapacity(Self.countTimeSeries(bytes))
        var seriesIndex = 0
        var metadataIndex = 0
        var position = 0
        while position < bytes.count {
            // Time series are nearly the whole request: take them without the general reader when framed plainly.
            if let (field, payload, next) = Self.plainLengthDelimited(bytes, at: position), field == 1 {
                context = .timeseries(seriesIndex)
                try timeSeries(payload, labelCache: labelCache)
                seriesIndex += 1
                position = next
                continue
            }
            var reader = reader(bytes, from: position)
            guard let (field, type) = try reader.nextField() else { break }
            switch field {
            case 1:
                context = .timeseries(seriesIndex)
                try reader.expect(type, .lengthDelimited, field: "WriteRequest.timeseries")
                try timeSeries(try reader.lengthDelimited(), labelCache: labelCache)
                seriesIndex += 1
            case 3:
                context = .metadata(metadataIndex)
                try reader.expect(type, .lengthDelimited, field: "WriteRequest.metadata")
                var message = try reader.message()
                metadata.append(try metricMetadata(&message))
                metadataIndex += 1
            default:
                context = .request
                try Self.skip(&reader, field: field, type: type)
            }
            position += reader.offset
        }
        context = .request
    }

    /// How many `timeseries` fields the request holds, to size the result once.
    /// Framing errors are left to the real pass, which reports them.
    static func countTimeSeries(_ bytes: UnsafeRawBufferPointer) -> Int {
        var reader = ProtobufReader(bytes)
        var count = 0
        while let (field, type) = try? reader.nextField() {
            if field == 1 && type == .lengthDelimited { count += 1 }
            guard (try? skip(&reader, field: field, type: type)) != nil else { break }
        }
        return count
    }

    // MARK: TimeSeries

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
        var values = SeriesValues()
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
                try value(field, payload, into: &values)
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
        } else if let invalidHistogram = values.invalidHistogram {
            // Label problems come first, as in Prometheus, where they stop the series before its samples are appended.
            reason = .invalidHistogram(timestamp: invalidHistogram.timestamp, problem: invalidHistogram.problem)
        }
        if let reason {
            rejected.append(RemoteWriteRejection(
                series: SeriesLabels(sorted: labels).description, reason: reason,
                sampleCount: values.samples.count + values.histograms.count + values.invalidHistograms))
            return
        }

        if hasEmptyValue { labels.removeAll { $0.value.isEmpty } }
        let identity = SeriesLabels(sorted: labels)
        if let labelCache, !leadingLabels.isEmpty, !labelsElsewhere { labelCache.insert(identity, for: leadingLabels) }
        guard !values.isEmpty else { return }
        series.append(SeriesSamples(labels: identity, samples: values.samples, histograms: values.histograms,
                                    exemplars: values.exemplars))
    }

    /// A series whose leading label bytes were decoded (and found valid)
    /// before: only its samples, histograms and exemplars are read. False,
    /// with nothing appended, when it must be decoded in full after all (a
    /// label field after the values, or an invalid histogram to report).
    private mutating func knownSeries(_ body: UnsafeRawBufferPointer, labels: consuming SeriesLabels,
                                      valuesFrom start: Int) throws(ProtobufWireError) -> Bool {
        var values = SeriesValues()
        var position = start
        while let (field, payload) = try nextField(body, &position) {
            guard field != 1 else { return false }
            try value(field, payload, into: &values)
        }
        guard values.invalidHistogram == nil else { return false }
        if !values.isEmpty {
            series.append(SeriesSamples(labels: labels, samples: values.samples, histograms: values.histograms,
                                        exemplars: values.exemplars))
        }
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

    /// Decodes a `samples`, `exemplars` or `histograms` field into `values`;
    /// other fields (unknown ones, already skipped) are ignored.
    private mutating func value(_ field: UInt64, _ payload: UnsafeRawBufferPointer,
                                into values: inout SeriesValues) throws(ProtobufWireError) {
        switch field {
        case 2:
            values.samples.append(try sample(payload))
        case 3:
            var message = reader(payload)
            values.exemplars.append(try exemplar(&message))
        case 4:
            let histogram = try histogram(payload)
            do throws(RemoteWriteHistogramProblem) {
                values.histograms.append(try histogram.sample())
            } catch {
                if values.invalidHistogram == nil { values.invalidHistogram = (histogram.timestamp, error) }
                values.invalidHistograms += 1
            }
        default:
            break
        }
    }

    /// A `Label` message's bytes: the raw bytes of its name and value, checked
    /// when turned into strings.
    @inline(__always)
    func label(_ bytes: UnsafeRawBufferPointer) throws(ProtobufWireError)
        -> (name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        // Fast path for what every encoder writes: `0a <len> name 12 <len> value`, short lengths.
        let count = bytes.count
        if count >= 4, bytes[0] == 0x0a {
            let nameLength = Int(bytes[1])
            let valueTag = 2 &+ nameLength
            if nameLength < 0x80, valueTag &+ 2 <= count, bytes[valueTag] == 0x12 {
                let valueLength = Int(bytes[valueTag &+ 1])
                if valueLength < 0x80, valueTag &+ 2 &+ valueLength == count {
                    return (UnsafeRawBufferPointer(rebasing: bytes[2..<valueTag]),
                            UnsafeRawBufferPointer(rebasing: bytes[(valueTag &+ 2)...]))
                }
            }
        }
        var message = reader(bytes)
        return try Self.labelFields(&message)
    }

    static func labelFields(_ reader: inout ProtobufReader) throws(ProtobufWireError)
        -> (name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        var name = UnsafeRawBufferPointer(start: nil, count: 0)
        var value = UnsafeRawBufferPointer(start: nil, count: 0)
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(type, .lengthDelimited, field: "Label.name"); name = try reader.lengthDelimited()
            case 2: try reader.expect(type, .lengthDelimited, field: "Label.value"); value = try reader.lengthDelimited()
            default: try skip(&reader, field: field, type: type)
            }
        }
        return (name, value)
    }

    /// `Sample`: a double and a millisecond timestamp; the value's bits are kept
    /// exactly (NaNs, the staleness marker).
    @inline(__always)
    func sample(_ bytes: UnsafeRawBufferPointer) throws(ProtobufWireError) -> Sample {
        // Fast path for `09 <8 bytes> 10 <varint>`, as every encoder writes it.
        let count = bytes.count
        if count >= 11, bytes[0] == 0x09, bytes[9] == 0x10 {
            var timestamp: UInt64 = 0
            var shift: UInt64 = 0
            var index = 10
            while index < count && shift < 63 {
                let byte = bytes[index]
                timestamp |= UInt64(byte & 0x7f) << shift
                index &+= 1
                if byte < 0x80 {
                    if index == count {
                        let value = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt64.self))
                        return Sample(timestamp: Int64(bitPattern: timestamp), value: Double(bitPattern: value))
                    }
                    break
                }
                shift &+= 7
            }
        }
        var message = reader(bytes)
        return try Self.sampleFields(&message)
    }

    static func sampleFields(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> Sample {
        var value: UInt64 = 0
        var timestamp: Int64 = 0
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(type, .fixed64, field: "Sample.value"); value = try reader.fixed64()
            case 2: try reader.expect(type, .varint, field: "Sample.timestamp"); timestamp = Int64(bitPattern: try reader.varint())
            default: try skip(&reader, field: field, type: type)
            }
        }
        return Sample(timestamp: timestamp, value: Double(bitPattern: value))
    }

    /// `Exemplar`: its labels are not validated (as in Prometheus), only
    /// normalised like any label set: sorted, empty values dropped, the last
    /// value of a repeated name kept.
    mutating func exemplar(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> SeriesExemplar {
        var labels: [SeriesLabel] = []
        var value: UInt64 = 0
        var timestamp: Int64 = 0
        var previousName = UnsafeRawBufferPointer(start: nil, count: 0)
        var ascending = true
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(type, .lengthDelimited, field: "Exemplar.labels")
                let (nameBytes, valueBytes) = try label(try reader.lengthDelimited())
                let name = try hashedName(nameBytes)
                let labelValue = try string(valueBytes, field: "Label.value")
                guard !valueBytes.isEmpty else { continue }
                if !labels.isEmpty && Self.compare(previousName, nameBytes) >= 0 { ascending = false }
                previousName = nameBytes
                labels.append(SeriesLabel(name: name, value: labelValue))
            case 2: try reader.expect(type, .fixed64, field: "Exemplar.value"); value = try reader.fixed64()
            case 3: try reader.expect(type, .varint, field: "Exemplar.timestamp"); timestamp = Int64(bitPattern: try reader.varint())
            default: try Self.skip(&reader, field: field, type: type)
            }
        }
        if !ascending {
            Self.sortByName(&labels)
            var unique: [SeriesLabel] = []
            unique.reserveCapacity(labels.count)
            for label in labels {
                if let last = unique.last, last.name.utf8.elementsEqual(label.name.utf8) {
                    unique[unique.count - 1] = label
                } else {
                    unique.append(label)
                }
            }
            labels = unique
        }
        return SeriesExemplar(labels: SeriesLabels(sorted: labels), value: Double(bitPattern: value), timestamp: timestamp)
    }

    // MARK: MetricMetadata

    func metricMetadata(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> MetricFamilyMetadata {
        var metadata = MetricFamilyMetadata(family: "", kind: .unknown)
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(type, .varint, field: "MetricMetadata.type")
                metadata.kind = Self.kind(try reader.varint())
            case 2:
                try reader.expect(type, .lengthDelimited, field: "MetricMetadata.metric_family_name")
                metadata.family = try string(try reader.lengthDelimited(), field: "MetricMetadata.metric_family_name")
            case 4:
                try reader.expect(type, .lengthDelimited, field: "MetricMetadata.help")
                metadata.help = try string(try reader.lengthDelimited(), field: "MetricMetadata.help")
            case 5:
                try reader.expect(type, .lengthDelimited, field: "MetricMetadata.unit")
                metadata.unit = try string(try reader.lengthDelimited(), field: "MetricMetadata.unit")
            default:
                try Self.skip(&reader, field: field, type: type)
            }
        }
        return metadata
    }

    /// `MetricMetadata.MetricType`; values this schema does not know read as unknown.
    static func kind(_ raw: UInt64) -> MetricFamilyMetadata.Kind {
        switch raw {
        case 1: .counter
        case 2: .gauge
        case 3: .histogram
        case 4: .gaugehistogram
        case 5: .summary
        case 6: .info
        case 7: .stateset
        default: .unknown
        }
    }
}
