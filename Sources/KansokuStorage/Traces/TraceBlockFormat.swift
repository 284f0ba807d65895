/// Constants of the trace block file format. The byte layout is described in
/// `docs/trace-block-format.md`; in short:
///
/// ```text
/// file    := header section* footer trailer
/// header  := magic:u32 version:u32                                  (8 bytes, LE)
/// section := bytes, zstd-compressed or raw, located by the footer
/// footer  := WAL-primitive encoded directory of row groups and sections
/// trailer := footerLength:u32 footerCRC32C:u32 version:u32 magic:u32 (16 bytes, LE)
/// ```
///
/// A reader starts from the trailer, so a block is only valid once it was
/// written completely; the writer's rename makes that atomic.
public enum TraceBlockFormat {
    /// `"KTB1"` read as a little-endian `UInt32`, at both ends of the file.
    public static let magic: UInt32 = 0x3142_544B
    /// The layout version. A reader refuses any other; a new layout gets a new number.
    public static let version: UInt32 = 1
    /// File name extension of finished blocks.
    public static let fileExtension = "ktb"

    static let headerSize = 8
    static let trailerSize = 16
    /// Bound on a section's decompressed size, so that a forged footer cannot
    /// make a reader allocate unbounded memory.
    static let maxSectionSize = 1 << 31
}

/// How a section's bytes are stored.
enum TraceBlockCodec: UInt8, Sendable {
    case raw = 0
    case zstd = 1
}

/// What a section holds. Block-wide sections use row group 0 in the footer;
/// column sections exist once per row group.
enum TraceBlockSectionKind: UInt8, Sendable, CaseIterable {
    case metadata = 1
    case bloom = 2
    case traceIndex = 3
    case names = 4
    case resources = 5
    case scopes = 6
    /// Optional (absent in older blocks): attribute keys, value kinds and capped values.
    case attributeCatalog = 7
    /// Optional (absent in older blocks): per row group and resource, the span duration range.
    case durationStats = 8

    case spanIDs = 16
    case parentSpanIDs = 17
    case startTimes = 18
    case durations = 19
    case nameIDs = 20
    case kinds = 21
    case statusCodes = 22
    case statusMessages = 23
    case resourceIDs = 24
    case scopeIDs = 25
    case traceStates = 26
    case flags = 27
    case droppedCounts = 28
    case attributes = 29
    case events = 30
    case links = 31

    /// Whether the section belongs to one row group rather than the block.
    var isColumn: Bool { rawValue >= 16 }

    /// The kinds every row group has, in the order they are written.
    static let columns: [TraceBlockSectionKind] = allCases.filter(\.isColumn)

    var name: String {
        switch self {
        case .metadata: "metadata"
        case .bloom: "bloom"
        case .traceIndex: "trace index"
        case .names: "names"
        case .resources: "resources"
        case .scopes: "scopes"
        case .attributeCatalog: "attribute catalog"
        case .durationStats: "duration stats"
        case .spanIDs: "span ids"
        case .parentSpanIDs: "parent span ids"
        case .startTimes: "start times"
        case .durations: "durations"
        case .nameIDs: "name ids"
        case .kinds: "kinds"
        case .statusCodes: "status codes"
        case .statusMessages: "status messages"
        case .resourceIDs: "resource ids"
        case .scopeIDs: "scope ids"
        case .traceStates: "trace states"
        case .flags: "flags"
        case .droppedCounts: "dropped counts"
        case .attributes: "attributes"
        case .events: "events"
        case .links: "links"
        }
    }

    /// The name used in errors, e.g. `"row group 2 attributes"`.
    func label(group: Int) -> String {
        isColumn ? "row group \(group) \(name)" : name
    }
}

extension WALReader {
    /// A varint that is a row number, count or size rather than an element
    /// count (`readCount` would bound it by the bytes that follow); bounded by
    /// `Int32.max` so arithmetic on it cannot overflow.
    mutating func readInt() throws(WALDecodingError) -> Int {
        let start = offset
        let value = try readVarUInt()
        guard value <= UInt64(Int32.max) else {
            throw failure(.valueOutOfRange(value: value, maximum: UInt64(Int32.max)), at: start)
        }
        return Int(value)
    }
}
