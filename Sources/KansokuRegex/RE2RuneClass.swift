/// A set of Unicode scalars that one step of a regex may consume: a
/// character class, `.`, `\d`, or a letter under `(?i)`.
///
/// Kept as sorted, non-overlapping closed ranges, with the ASCII members
/// also as a 128-bit mask so that the common case is one bit test.
struct RE2RuneClass: Sendable {
    private(set) var ranges: [ClosedRange<UInt32>]
    /// Bit `b` set when ASCII byte `b` is a member (`low` 0–63, `high` 64–127).
    private(set) var low: UInt64 = 0
    private(set) var high: UInt64 = 0

    static let maxScalar: UInt32 = 0x10FFFF

    init(_ ranges: [ClosedRange<UInt32>]) {
        self.ranges = Self.normalized(ranges)
        for range in self.ranges where range.lowerBound < 0x80 {
            for scalar in range.lowerBound...min(range.upperBound, 0x7F) {
                if scalar < 64 { low |= 1 << UInt64(scalar) } else { high |= 1 << UInt64(scalar - 64) }
            }
        }
    }

    /// Whether the class holds some scalar above ASCII.
    var hasNonASCII: Bool { ranges.last.map { $0.upperBound >= 0x80 } ?? false }

    /// Whether `byte`, as an ASCII scalar, is a member (false for any byte from 0x80).
    @inline(__always)
    func containsASCII(_ byte: UInt8) -> Bool { Self.masks((low, high), contain: byte) }

    /// The ASCII members as bits (scalars 0–63, 64–127).
    var asciiMask: (UInt64, UInt64) { (low, high) }

    @inline(__always)
    static func masks(_ mask: (UInt64, UInt64), contain byte: UInt8) -> Bool {
        byte < 64 ? mask.0 & (1 << UInt64(byte)) != 0 : byte < 128 && mask.1 & (1 << UInt64(byte &- 64)) != 0
    }

    func contains(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return containsASCII(UInt8(scalar)) }
        var lower = 0, upper = ranges.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if ranges[middle].upperBound < scalar { lower = middle + 1 } else { upper = middle }
        }
        return lower < ranges.count && ranges[lower].contains(scalar)
    }

    /// Every scalar not in this class.
    func inverted() -> RE2RuneClass {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound + 1
        }
        if next <= Self.maxScalar { result.append(next...Self.maxScalar) }
        return RE2RuneClass(result)
    }

    /// This class with every ASCII letter's other case added, and the two
    /// non-ASCII scalars Go's `(?i)` folds with ASCII letters: KELVIN SIGN
    /// with `k` and LATIN SMALL LETTER LONG S with `s`.
    func addingASCIIFolds() -> RE2RuneClass {
        var extra: [ClosedRange<UInt32>] = []
        for range in ranges where range.lowerBound < 0x80 {
            for scalar in range.lowerBound...min(range.upperBound, 0x7F) {
                extra.append(contentsOf: Self.asciiFolds(of: scalar).map { $0...$0 })
            }
        }
        if contains(0x212A) { extra += [0x4B...0x4B, 0x6B...0x6B] }
        if contains(0x17F) { extra += [0x53...0x53, 0x73...0x73] }
        return RE2RuneClass(ranges + extra)
    }

    /// The scalars Go's simple case folding ties to an ASCII scalar (none for a non-letter).
    static func asciiFolds(of scalar: UInt32) -> [UInt32] {
        switch scalar {
        case 0x41...0x5A, 0x61...0x7A:
            let other = scalar ^ 0x20
            let lower = scalar | 0x20
            if lower == 0x6B { return [other, 0x212A] }
            if lower == 0x73 { return [other, 0x17F] }
            return [other]
        default: return []
        }
    }

    private static func normalized(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in sorted {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}

extension RE2RuneClass {
    static let digits = RE2RuneClass([0x30...0x39])
    /// `\s` in Go: `[\t\n\f\r ]` (no vertical tab).
    static let spaces = RE2RuneClass([0x09...0x0A, 0x0C...0x0D, 0x20...0x20])
    static let wordCharacters = RE2RuneClass([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let anyScalar = RE2RuneClass([0...maxScalar])
    static let anyButNewline = RE2RuneClass([0...0x09, 0x0B...maxScalar])

    /// The ASCII classes `[[:name:]]` of Go's syntax.
    static func posix(_ name: String) -> RE2RuneClass? {
        switch name {
        case "alnum": RE2RuneClass([0x30...0x39, 0x41...0x5A, 0x61...0x7A])
        case "alpha": RE2RuneClass([0x41...0x5A, 0x61...0x7A])
        case "ascii": RE2RuneClass([0...0x7F])
        case "blank": RE2RuneClass([0x09...0x09, 0x20...0x20])
        case "cntrl": RE2RuneClass([0...0x1F, 0x7F...0x7F])
        case "digit": digits
        case "graph": RE2RuneClass([0x21...0x7E])
        case "lower": RE2RuneClass([0x61...0x7A])
        case "print": RE2RuneClass([0x20...0x7E])
        case "punct": RE2RuneClass([0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E])
        case "space": RE2RuneClass([0x09...0x0D, 0x20...0x20])
        case "upper": RE2RuneClass([0x41...0x5A])
        case "word": wordCharacters
        case "xdigit": RE2RuneClass([0x30...0x39, 0x41...0x46, 0x61...0x66])
        default: nil
        }
    }
}
