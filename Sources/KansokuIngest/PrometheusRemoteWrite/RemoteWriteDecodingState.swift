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
    /// The valid series decoded so far, and the metadata.
    var batch = SampleBatch()
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

    /// Unknown fields may hold groups; nesting deeper than this is refused.
    static let maxGroupDepth = 64

    /// - Parameter labelCache: label sets decoded by earlier requests, by
    ///   their bytes (nil: decode every series in full). A parameter, not a
    ///   stored property: reading a stored class reference retains it, once
    ///   per series, on an object every decoding thread shares.
    mutating func decodeRequest(_ bytes: UnsafeRawBufferPointer, labelCache: RemoteWriteLabelCache? = nil) throws(ProtobufWireError) {
        requestStart = bytes.baseAddress
        let timeSeriesCount = Self.countTimeSeries(bytes)
        batch.reserveCapacity(series: timeSeriesCount, samples: timeSeriesCount)
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
                batch.metadata.append(try metricMetadata(&message))
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

    // MARK: Labels and samples (TimeSeries itself: RemoteWriteDecodingState+TimeSeries.swift)

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
