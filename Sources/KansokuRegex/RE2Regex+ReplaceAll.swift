import KansokuModel

extension RE2Regex {
    /// `text` with every match replaced by `replacement(groups)`, as Go's
    /// `ReplaceAllString` and `ReplaceAllLiteralString` replace: successive
    /// matches that do not overlap, the search moving on by at least one
    /// scalar, and no empty match taken right after another match (so `a*`
    /// turns `baaac` into `XbXcX`). Nil for a text past ``handles(length:)``.
    public func replacingAll(in text: String, with replacement: (RegexGroups) -> String) -> String? {
        text.withUTF8Bytes { bytes -> String? in
            guard handles(length: bytes.count) else { return nil }
            func string(_ range: Range<Int>) -> String {
                String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            var result = ""
            var lastMatchEnd = 0
            var searchFrom = 0
            while searchFrom <= bytes.count {
                let found = firstMatch(in: bytes, from: searchFrom) { slots in
                    (slots[0]..<slots[1], RegexGroups(slots: slots, in: bytes, of: self))
                }
                guard let (match, groups) = found else { break }
                result += string(lastMatchEnd..<match.lowerBound)
                if match.upperBound > lastMatchEnd || match.lowerBound == 0 { result += replacement(groups) }
                lastMatchEnd = match.upperBound
                let width = searchFrom < bytes.count ? RE2UTF8.scalar(in: bytes, at: searchFrom).width : 1
                searchFrom = searchFrom + width > match.upperBound ? searchFrom + width : match.upperBound
            }
            return result + string(lastMatchEnd..<bytes.count)
        }
    }
}
