/// Constants of the binary format in which batches are written to the
/// write-ahead log.
///
/// Version 1 layout (all integers little-endian):
///
/// ```text
/// payload   := version:u8 itemTag:u8 count resource*
/// resource  := attrs dropped:uvar schemaURL:str count scope*
/// scope     := name:str version:str attrs dropped:uvar schemaURL:str count item*
/// attrs     := count (key:str value)*
/// value     := tag:u8 payload   (0 empty, 1 string, 2 bool, 3 int, 4 double,
///                                5 bytes, 6 array, 7 kvlist)
/// str/bytes := length:uvar raw bytes (strings are UTF-8)
/// count     := uvar
/// ```
///
/// Integers that are usually small (counts, flags, lengths) are LEB128
/// varints (`uvar`; signed ones zig-zag encoded). Timestamps, ids and doubles
/// are fixed-width: they rarely have leading zero bytes, so a varint would
/// only cost more bytes and more branches. Doubles are stored by bit pattern,
/// which keeps NaN payloads and signed zeros exact.
///
/// The item layouts are documented next to their codecs (`Span+WAL.swift`,
/// `LogRecord+WAL.swift`).
public enum WALFormat {
    /// The version byte every payload starts with. A reader rejects any other
    /// value rather than guessing; a new layout gets a new version.
    public static let version: UInt8 = 1

    /// How deeply arrays and key/value lists may nest inside an attribute
    /// value. Decoding rejects deeper input so garbage cannot exhaust the
    /// stack; encoding writes containers past this depth as `.empty`, so a
    /// batch that was accepted always decodes again. (OTLP decoders' own
    /// recursion limits keep real input well below it.)
    public static let maxNestingDepth = 64
}

/// Tags for the cases of enums that are written as one byte.
enum WALTag {
    enum Value {
        static let empty: UInt8 = 0
        static let string: UInt8 = 1
        static let bool: UInt8 = 2
        static let int: UInt8 = 3
        static let double: UInt8 = 4
        static let bytes: UInt8 = 5
        static let array: UInt8 = 6
        static let keyValueList: UInt8 = 7
    }
}
