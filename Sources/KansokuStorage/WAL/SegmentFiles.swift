/// Naming of segment files: the sequence number zero-padded to eight digits
/// plus `.wal` (`00000001.wal`), so a plain directory listing reads in log
/// order. Numbers past 99 999 999 simply grow wider; the log orders segments
/// by parsed number, never by name.
enum SegmentFiles {
    static let suffix = ".wal"
    static let lockFileName = "LOCK"

    static func fileName(_ segment: UInt64) -> String {
        let digits = String(segment)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits + suffix
    }

    static func path(_ directory: String, _ segment: UInt64) -> String {
        directory + "/" + fileName(segment)
    }

    /// The sequence number of a segment file name, or `nil` for any other file.
    static func segmentNumber(fromFileName name: String) -> UInt64? {
        guard name.hasSuffix(suffix) else { return nil }
        let stem = name.dropLast(suffix.count)
        guard !stem.isEmpty, stem.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return UInt64(stem)
    }

    /// Sequence numbers of the segments in `directory`, ascending.
    static func list(_ directory: String) throws -> [UInt64] {
        try POSIXFile.listDirectory(directory).compactMap(segmentNumber(fromFileName:)).sorted()
    }
}
