import KansokuModel

/// What a block holds, summarised so that search can skip whole blocks
/// without reading any column.
public struct TraceBlockMetadata: Sendable, Hashable {
    /// A span name as recorded by one service.
    public struct Operation: Sendable, Hashable, Comparable {
        public var service: String
        public var name: String

        public init(service: String, name: String) {
            self.service = service
            self.name = name
        }

        public static func < (a: Operation, b: Operation) -> Bool {
            (a.service, a.name) < (b.service, b.name)
        }
    }

    public var spanCount: Int
    public var traceCount: Int
    /// Earliest and latest span start; both 0 for an empty block.
    public var minStartTimeUnixNano: UInt64
    public var maxStartTimeUnixNano: UInt64
    /// Latest span end, so a query for "active during" a range can also skip.
    public var maxEndTimeUnixNano: UInt64
    /// Distinct `service.name` values of the spans' resources, sorted; spans
    /// whose resource has none count as service `""`.
    public var services: [String]
    /// Distinct (service, span name) pairs, sorted.
    public var operations: [Operation]
    /// The span kinds seen for each of `operations`, as a bit set of
    /// `1 << SpanKind.rawValue`; nil in blocks written before it was recorded.
    public var operationKinds: [UInt8]?

    public init(spanCount: Int = 0, traceCount: Int = 0, minStartTimeUnixNano: UInt64 = 0, maxStartTimeUnixNano: UInt64 = 0,
                maxEndTimeUnixNano: UInt64 = 0, services: [String] = [], operations: [Operation] = [],
                operationKinds: [UInt8]? = nil) {
        self.spanCount = spanCount
        self.traceCount = traceCount
        self.minStartTimeUnixNano = minStartTimeUnixNano
        self.maxStartTimeUnixNano = maxStartTimeUnixNano
        self.maxEndTimeUnixNano = maxEndTimeUnixNano
        self.services = services
        self.operations = operations
        self.operationKinds = operationKinds
    }

    /// The span kinds of `operations[i]`; nil when the block did not record them.
    public func kinds(ofOperationAt i: Int) -> [SpanKind]? {
        guard let bits = operationKinds?[i] else { return nil }
        return (0..<8).compactMap { bits & (1 << $0) == 0 ? nil : SpanKind(rawValue: Int32($0)) }
    }

    /// Whether some span of the block may start inside `range`.
    public func mayHaveStarts(in range: ClosedRange<UInt64>) -> Bool {
        spanCount > 0 && range.lowerBound <= maxStartTimeUnixNano && range.upperBound >= minStartTimeUnixNano
    }

    // metadata := spanCount traceCount minStart maxStart maxEnd : uvar
    //             count service:str*  count (serviceIndex:uvar name:str)*
    //             [count kinds:u8*]   (one per operation; absent in older blocks)
    func encoded() -> [UInt8] {
        var w = WALWriter(reservingCapacity: 64 + operations.count * 24)
        w.writeCount(spanCount)
        w.writeCount(traceCount)
        w.writeVarUInt(minStartTimeUnixNano)
        w.writeVarUInt(maxStartTimeUnixNano)
        w.writeVarUInt(maxEndTimeUnixNano)
        w.writeArray(services) { s, w in w.writeString(s) }
        let serviceIndex = Dictionary(uniqueKeysWithValues: services.enumerated().map { ($1, $0) })
        w.writeArray(operations) { op, w in
            w.writeCount(serviceIndex[op.service]!)
            w.writeString(op.name)
        }
        if let operationKinds { w.writeArray(operationKinds) { bits, w in w.writeByte(bits) } }
        return w.bytes
    }

    init(decoding bytes: [UInt8], path: String) throws(TraceBlockError) {
        var r = WALReader(bytes)
        do throws(WALDecodingError) {
            spanCount = try r.readInt()
            traceCount = try r.readInt()
            minStartTimeUnixNano = try r.readVarUInt()
            maxStartTimeUnixNano = try r.readVarUInt()
            maxEndTimeUnixNano = try r.readVarUInt()
            services = try r.readArray(minimumElementSize: 1) { r throws(WALDecodingError) in try r.readString() }
            let services = services
            operations = try r.readArray(minimumElementSize: 2) { r throws(WALDecodingError) in
                let start = r.offset
                let index = try r.readInt()
                guard index < services.count else {
                    throw r.failure(.valueOutOfRange(value: UInt64(index), maximum: UInt64(services.count)), at: start)
                }
                return Operation(service: services[index], name: try r.readString())
            }
            if !r.isAtEnd {
                let start = r.offset
                let kinds = try r.readArray(minimumElementSize: 1) { r throws(WALDecodingError) in try r.readByte() }
                guard kinds.count == operations.count else {
                    throw r.failure(.valueOutOfRange(value: UInt64(kinds.count), maximum: UInt64(operations.count)), at: start)
                }
                operationKinds = kinds
            }
            guard r.isAtEnd else { throw r.failure(.trailingBytes(count: r.remaining)) }
        } catch {
            throw .malformed(path: path, section: TraceBlockSectionKind.metadata.name, detail: error.description)
        }
    }
}
