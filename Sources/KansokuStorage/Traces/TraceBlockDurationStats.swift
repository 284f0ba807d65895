/// For every row group, the shortest and longest span duration of each
/// resource that has spans in it: lets a search with a duration bound skip
/// a row group without decompressing any of its columns. (Rows are in trace
/// order, so every group holds nearly every service and time; durations are
/// what tells groups apart for a "slower than" search.)
///
/// ```text
/// duration stats := count(groups) ( count (resource:uvar min:uvar spread:uvar)* )*
///                   spread = max − min; resources ascending within a group
/// ```
///
/// Optional: blocks written before it have none and are searched without it.
struct TraceBlockDurationStats: Sendable, Hashable {
    /// The durations of one resource's spans within one row group.
    struct Range: Sendable, Hashable {
        var resource: Int
        var min: UInt64
        var max: UInt64
    }

    /// Per row group, in group order.
    var groups: [[Range]]

    /// The ranges of one row group's rows.
    static func ranges(of rows: ArraySlice<TraceBlockInputRow>) -> [Range] {
        var byResource: [Int: Range] = [:]
        for row in rows {
            let duration = row.span.endTimeUnixNano &- row.span.startTimeUnixNano
            if var range = byResource[row.resourceID] {
                range.min = Swift.min(range.min, duration)
                range.max = Swift.max(range.max, duration)
                byResource[row.resourceID] = range
            } else {
                byResource[row.resourceID] = Range(resource: row.resourceID, min: duration, max: duration)
            }
        }
        return byResource.values.sorted { $0.resource < $1.resource }
    }

    /// Whether row group `group` may hold a span of an allowed resource (all
    /// when `allowedResources` is nil) lasting within `[minimum, maximum]`.
    func mayHold(group: Int, allowedResources: [Bool]?, minimum: UInt64, maximum: UInt64) -> Bool {
        groups[group].contains { range in
            (allowedResources?[range.resource] ?? true) && range.max >= minimum && range.min <= maximum
        }
    }

    func encoded() -> [UInt8] {
        var w = WALWriter(reservingCapacity: groups.count * 64)
        w.writeArray(groups) { ranges, w in
            w.writeArray(ranges) { range, w in
                w.writeCount(range.resource)
                w.writeVarUInt(range.min)
                w.writeVarUInt(range.max - range.min)
            }
        }
        return w.bytes
    }

    /// Decodes and checks the section against the block's shape.
    init(decoding bytes: [UInt8], groupCount: Int, resourceCount: Int, path: String) throws(TraceBlockError) {
        var r = WALReader(bytes)
        do throws(WALDecodingError) {
            groups = try r.readArray(minimumElementSize: 1) { r throws(WALDecodingError) in
                var previous = -1
                return try r.readArray(minimumElementSize: 3) { r throws(WALDecodingError) -> Range in
                    let start = r.offset
                    let resource = try r.readInt()
                    guard resource > previous, resource < resourceCount else {
                        throw r.failure(.valueOutOfRange(value: UInt64(resource), maximum: UInt64(resourceCount)), at: start)
                    }
                    previous = resource
                    let min = try r.readVarUInt()
                    let (max, overflow) = min.addingReportingOverflow(try r.readVarUInt())
                    guard !overflow else { throw r.failure(.valueOutOfRange(value: min, maximum: UInt64.max), at: start) }
                    return Range(resource: resource, min: min, max: max)
                }
            }
            guard r.isAtEnd else { throw r.failure(.trailingBytes(count: r.remaining)) }
        } catch {
            throw .malformed(path: path, section: TraceBlockSectionKind.durationStats.name, detail: error.description)
        }
        guard groups.count == groupCount else {
            throw .malformed(path: path, section: TraceBlockSectionKind.durationStats.name,
                             detail: "\(groups.count) row groups, the footer has \(groupCount)")
        }
    }

    init(groups: [[Range]]) {
        self.groups = groups
    }
}
