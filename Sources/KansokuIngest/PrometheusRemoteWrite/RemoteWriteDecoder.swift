import KansokuModel

/// Decodes a Prometheus remote-write 1.0 `prometheus.WriteRequest` (the
/// snappy-decompressed body) straight from protobuf wire bytes into the model.
///
/// Field numbers (prompb/remote.proto, types.proto):
/// `WriteRequest { timeseries = 1; metadata = 3 }`,
/// `TimeSeries { labels = 1; samples = 2; exemplars = 3; histograms = 4 }`,
/// `Label { name = 1; value = 2 }`, `Sample { value = 1 (double); timestamp = 2 (int64) }`,
/// `Exemplar { labels = 1; value = 2; timestamp = 3 }`,
/// `MetricMetadata { type = 1; metric_family_name = 2; help = 4; unit = 5 }`.
///
/// Malformed protobuf, a known field with the wrong wire type, or a string
/// that is not UTF-8 fails the whole request. A series whose labels are not a
/// valid identity is rejected alone, as Prometheus's handler does: no labels,
/// no (or an empty) `__name__`, an empty label name, or a repeated label name.
/// Metric and label names may be any UTF-8 (Prometheus 3 validation).
/// Labels are sorted by name (byte order); labels with empty values are
/// dropped. Native histograms are counted and skipped.
enum RemoteWriteDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(RemoteWriteDecodingError) -> RemoteWriteRequest {
        var state = RemoteWriteDecodingState()
        do throws(ProtobufWireError) {
            try state.decodeRequest(bytes)
        } catch {
            throw RemoteWriteDecodingError(offset: error.offset, context: state.context.description, reason: error.reason)
        }
        return RemoteWriteRequest(
            batch: SampleBatch(series: state.series, metadata: state.metadata),
            rejected: state.rejected,
            histogramSeriesCount: state.histogramSeriesCount,
            histogramCount: state.histogramCount
        )
    }
}

/// A string decoded from the request, with the bytes it came from so a later
/// occurrence of the same bytes reuses it. The bytes point into the request
/// buffer, which outlives the decode.
private struct CachedString {
    var bytes: UnsafeRawBufferPointer
    var string: String
}

/// Where the decoder is, for error messages.
private enum DecodingContext: CustomStringConvertible {
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
private struct RemoteWriteDecodingState {
    var series: [SeriesSamples] = []
    var metadata: [MetricFamilyMetadata] = []
    var rejected: [RemoteWriteRejection] = []
    var histogramSeriesCount = 0
    var histogramCount = 0
    var context = DecodingContext.request
    /// The first byte of the request, to place UTF-8 errors.
    private var requestStart: UnsafeRawPointer?

    /// Label names and values of the previous series by position: consecutive
    /// series usually share most of their labels in the same places.
    private var previousNames: [CachedString] = []
    private var previousValues: [CachedString] = []
    /// Label names by a hash of their bytes, for names that moved position.
    private var nameTable = [CachedString?](repeating: nil, count: RemoteWriteDecodingState.nameTableSize)
    private static let nameTableSize = 128

    /// Unknown fields may hold groups; nesting deeper than this is refused.
    static let maxGroupDepth = 64

    mutating func decodeRequest(_ bytes: UnsafeRawBufferPointer) throws(ProtobufWireError) {
        requestStart = bytes.baseAddress
        series.reserveCapacity(Self.countTimeSeries(bytes))
        var seriesIndex = 0
        var metadataIndex = 0
        var position = 0
        while position < bytes.count {
            // Time series are nearly the whole request: take them without the general reader when framed plainly.
            if let (field, payload, next) = Self.plainLengthDelimited(bytes, at: position), field == 1 {
                context = .timeseries(seriesIndex)
                try timeSeries(payload)
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
                try timeSeries(try reader.lengthDelimited())
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
    private static func countTimeSeries(_ bytes: UnsafeRawBufferPointer) -> Int {
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
    private mutating func timeSeries(_ body: UnsafeRawBufferPointer) throws(ProtobufWireError) {
        var labels: [SeriesLabel] = []
        labels.reserveCapacity(previousNames.count)
        var samples: [Sample] = []
        var exemplars: [SeriesExemplar] = []
        var histograms = 0

        var previousName = UnsafeRawBufferPointer(start: nil, count: 0)
        var ascending = true        // strictly ascending names, so also no duplicates
        var hasEmptyName = false
        var hasEmptyValue = false
        var hasMetricName = false   // a `__name__` with a non-empty value

        var position = 0
        while position < body.count {
            let field: UInt64
            let payload: UnsafeRawBufferPointer
            if let plain = Self.plainLengthDelimited(body, at: position) {
                (field, payload, position) = plain
            } else {
                var reader = reader(body, from: position)
                guard let (number, type) = try reader.nextField() else { break }
                switch number {
                case 1: try reader.expect(type, .lengthDelimited, field: "TimeSeries.labels")
                case 2: try reader.expect(type, .lengthDelimited, field: "TimeSeries.samples")
                case 3: try reader.expect(type, .lengthDelimited, field: "TimeSeries.exemplars")
                case 4: try reader.expect(type, .lengthDelimited, field: "TimeSeries.histograms")
                default: break
                }
                if type == .lengthDelimited {
                    payload = try reader.lengthDelimited()
                } else {
                    try Self.skip(&reader, field: number, type: type)
                    payload = UnsafeRawBufferPointer(start: nil, count: 0)
                }
                field = number
                position += reader.offset
            }
            switch field {
            case 1:
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
            case 2:
                samples.append(try sample(payload))
            case 3:
                var message = reader(payload)
                exemplars.append(try exemplar(&message))
            case 4:
                // Native histograms are not supported yet: check the framing, count, skip.
                var message = reader(payload)
                while let (inner, innerType) = try message.nextField() {
                    try Self.skip(&message, field: inner, type: innerType)
                }
                histograms += 1
            default:
                break  // an unknown field, already skipped
            }
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
        }
        if let reason {
            rejected.append(RemoteWriteRejection(
                series: SeriesLabels(sorted: labels).description, reason: reason, sampleCount: samples.count))
            return
        }

        if hasEmptyValue { labels.removeAll { $0.value.isEmpty } }
        if histograms > 0 {
            histogramSeriesCount += 1
            histogramCount += histograms
        }
        guard !samples.isEmpty || !exemplars.isEmpty else { return }
        series.append(SeriesSamples(labels: SeriesLabels(sorted: labels), samples: samples, exemplars: exemplars))
    }

    /// A `Label` message's bytes: the raw bytes of its name and value, checked
    /// when turned into strings.
    @inline(__always)
    private func label(_ bytes: UnsafeRawBufferPointer) throws(ProtobufWireError)
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

    private static func labelFields(_ reader: inout ProtobufReader) throws(ProtobufWireError)
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
    private func sample(_ bytes: UnsafeRawBufferPointer) throws(ProtobufWireError) -> Sample {
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

    private static func sampleFields(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> Sample {
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
    private mutating func exemplar(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> SeriesExemplar {
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

    private func metricMetadata(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> MetricFamilyMetadata {
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
    private static func kind(_ raw: UInt64) -> MetricFamilyMetadata.Kind {
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

    // MARK: Strings

    /// The name of the label at `index`: the previous series' name in that
    /// place, the name table, or a new string.
    @inline(__always)
    private mutating func positionalName(_ bytes: UnsafeRawBufferPointer, index: Int) throws(ProtobufWireError) -> String {
        if index < previousNames.count, Self.equal(previousNames[index].bytes, bytes) {
            return previousNames[index].string
        }
        let name = try hashedName(bytes)
        let entry = CachedString(bytes: bytes, string: name)
        if index < previousNames.count { previousNames[index] = entry } else { previousNames.append(entry) }
        return name
    }

    /// The value of the label at `index`: the previous series' value in that place, or a new string.
    @inline(__always)
    private mutating func positionalValue(_ bytes: UnsafeRawBufferPointer, index: Int) throws(ProtobufWireError) -> String {
        if index < previousValues.count, Self.equal(previousValues[index].bytes, bytes) {
            return previousValues[index].string
        }
        let value = try string(bytes, field: "Label.value")
        let entry = CachedString(bytes: bytes, string: value)
        if index < previousValues.count { previousValues[index] = entry } else { previousValues.append(entry) }
        return value
    }

    /// A label name from the per-request name table, added on a miss.
    private mutating func hashedName(_ bytes: UnsafeRawBufferPointer) throws(ProtobufWireError) -> String {
        let slot = Self.hash(bytes) & (Self.nameTableSize - 1)
        if let cached = nameTable[slot], Self.equal(cached.bytes, bytes) { return cached.string }
        let name = try string(bytes, field: "Label.name")
        nameTable[slot] = CachedString(bytes: bytes, string: name)
        return name
    }

    /// A string field that must be UTF-8, as Prometheus's protobuf decoding requires.
    @inline(__always)
    private func string(_ bytes: UnsafeRawBufferPointer, field: StaticString) throws(ProtobufWireError) -> String {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return "" }
        // `String(validating:as:)` goes through unspecialised generic code; decoding
        // with repair is specialised for contiguous bytes, and a repair shows as a
        // difference from the input (valid input comes back byte for byte).
        let string = String(decoding: bytes, as: UTF8.self)
        guard Self.isASCII(bytes) || Self.sameBytes(string, bytes) else {
            let offset = requestStart.map { start - $0 } ?? 0
            throw ProtobufWireError(offset: offset, reason: "\(field) is not valid UTF-8")
        }
        return string
    }

    @inline(__always)
    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var bits: UInt64 = 0
        while index + 8 <= bytes.count {
            bits |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            bits |= UInt64(bytes[index])
            index += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    private static func sameBytes(_ string: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var string = string
        return string.withUTF8 { equal(UnsafeRawBufferPointer($0), bytes) }
    }

    // MARK: Bytes

    /// Where `bytes` (a part of the request) start within the request.
    @inline(__always)
    private func offset(of bytes: UnsafeRawBufferPointer) -> Int {
        guard let start = bytes.baseAddress, let requestStart else { return 0 }
        return start - requestStart
    }

    /// A reader over `bytes` (a part of the request) from `position` on, reporting request offsets.
    private func reader(_ bytes: UnsafeRawBufferPointer, from position: Int = 0) -> ProtobufReader {
        ProtobufReader(UnsafeRawBufferPointer(rebasing: bytes[position...]), base: offset(of: bytes) + position)
    }

    /// The length-delimited field at `position` when it is framed the plain way:
    /// a one-byte tag (field 1–15) and a length of at most two bytes that fits.
    /// Anything else (including every malformed case) is nil, for `ProtobufReader`.
    @inline(__always)
    private static func plainLengthDelimited(_ bytes: UnsafeRawBufferPointer, at position: Int)
        -> (field: UInt64, payload: UnsafeRawBufferPointer, next: Int)? {
        let count = bytes.count
        guard position &+ 2 <= count else { return nil }
        let tag = bytes[position]
        guard tag & 0x87 == 0x02, tag >= 0x08 else { return nil }
        var length = Int(bytes[position &+ 1])
        var start = position &+ 2
        if length >= 0x80 {
            guard start < count else { return nil }
            let high = bytes[start]
            guard high < 0x80 else { return nil }
            length = (length & 0x7f) | Int(high) << 7
            start &+= 1
        }
        guard length <= count &- start else { return nil }
        let end = start &+ length
        return (UInt64(tag >> 3), UnsafeRawBufferPointer(rebasing: bytes[start..<end]), end)
    }

    @inline(__always)
    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let count = a.count
        guard count == b.count else { return false }
        // Label names and values are short: compare eight bytes at a time inline,
        // the tail as an overlapping last word.
        if count >= 8 {
            var index = 0
            while index &+ 8 <= count {
                guard a.loadUnaligned(fromByteOffset: index, as: UInt64.self) == b.loadUnaligned(fromByteOffset: index, as: UInt64.self) else {
                    return false
                }
                index &+= 8
            }
            return a.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        if count >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        }
        var index = 0
        while index < count {
            guard a[index] == b[index] else { return false }
            index &+= 1
        }
        return true
    }

    /// Byte-wise order, as Prometheus orders label names (which for UTF-8 is code point order).
    @inline(__always)
    private static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        var index = 0
        while index + 8 <= common {
            let x = UInt64(bigEndian: a.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            index += 8
        }
        while index < common {
            let x = a[index], y = b[index]
            if x != y { return x < y ? -1 : 1 }
            index += 1
        }
        return a.count - b.count
    }

    @inline(__always)
    private static func isMetricNameLabel(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // "__name__", little-endian.
        bytes.count == 8 && bytes.loadUnaligned(as: UInt64.self) == UInt64(littleEndian: 0x5F5F_656D_616E_5F5F)
    }

    /// FNV-1a, for the name table.
    @inline(__always)
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }

    /// Sorts by name bytes, keeping arrival order among equal names.
    private static func sortByName(_ labels: inout [SeriesLabel]) {
        let order = labels.indices.sorted { a, b in
            let x = labels[a].name.utf8, y = labels[b].name.utf8
            if x.elementsEqual(y) { return a < b }
            return x.lexicographicallyPrecedes(y)
        }
        labels = order.map { labels[$0] }
    }

    /// The first name that appears twice in name-sorted labels.
    private static func duplicateName(_ labels: [SeriesLabel]) -> String? {
        for index in labels.indices.dropFirst() where labels[index - 1].name.utf8.elementsEqual(labels[index].name.utf8) {
            return labels[index].name
        }
        return nil
    }

    // MARK: Unknown fields

    /// Skips a field this decoder does not use, groups included (protobuf requires unknown fields be skipped).
    static func skip(_ reader: inout ProtobufReader, field: UInt64, type: ProtobufReader.WireType) throws(ProtobufWireError) {
        switch type {
        case .startGroup: try skipGroup(&reader, field: field, depth: 1)
        case .endGroup: throw reader.error("end-group tag for field \(field) without a matching start")
        default: try reader.skip(type)
        }
    }

    private static func skipGroup(_ reader: inout ProtobufReader, field: UInt64, depth: Int) throws(ProtobufWireError) {
        guard depth <= maxGroupDepth else { throw reader.error("groups nested deeper than \(maxGroupDepth)") }
        while let (inner, type) = try reader.nextField() {
            switch type {
            case .endGroup:
                guard inner == field else { throw reader.error("end-group tag for field \(inner) inside group \(field)") }
                return
            case .startGroup: try skipGroup(&reader, field: inner, depth: depth + 1)
            default: try reader.skip(type)
            }
        }
        throw reader.error("group \(field) is not closed")
    }
}
