/// The groups of one match, and Go's `Regexp.Expand` of a replacement
/// template over them (`label_replace`, relabeling, `regexReplaceAll`).
public struct RegexGroups: Sendable, Equatable {
    /// Group 0 is the whole match; nil for a group that took no part.
    public var groups: [String?]
    /// Group names by group index.
    public var names: [Int: String]

    public init(groups: [String?], names: [Int: String] = [:]) {
        self.groups = groups
        self.names = names
    }

    /// The groups of a match by ``RE2Regex`` in `text`, from its capture slots.
    public init(slots: UnsafeBufferPointer<Int>, in text: UnsafeRawBufferPointer, of regex: RE2Regex) {
        groups = (0...regex.groupCount).map { group in
            let start = slots[2 * group], end = slots[2 * group + 1]
            guard start >= 0 else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: text[start..<end]), as: UTF8.self)
        }
        names = regex.groupNames
    }

    /// The groups of a match by Swift's engine.
    public init(_ output: AnyRegexOutput) {
        groups = []
        names = [:]
        for index in 0..<output.count {
            groups.append(output[index].substring.map(String.init))
            if let name = output[index].name { names[index] = name }
        }
    }

    /// Expands `template` as Go's `Regexp.Expand` does: `$$` is a `$`; `$name`
    /// takes the longest run of letters, digits and `_`, `${name}` what the
    /// braces hold; a name of digits without a leading zero is a group
    /// number; an unknown group or one that took no part expands to nothing;
    /// a `$` that starts no reference stays as it is.
    public func expand(_ template: String) -> String {
        var result = ""
        var rest = Substring(template).unicodeScalars[...]
        while let dollar = rest.firstIndex(of: "$") {
            result.unicodeScalars.append(contentsOf: rest[..<dollar])
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                result += "$"
                rest = rest.dropFirst()
                continue
            }
            let braced = rest.first == "{"
            let afterBrace = braced ? rest.dropFirst() : rest
            let name = afterBrace.prefix(while: Self.isNameScalar)
            let closed = !braced || name.endIndex < afterBrace.endIndex && afterBrace[name.endIndex] == "}"
            guard !name.isEmpty, closed else {
                result += "$"  // malformed: the `$` is text
                continue
            }
            rest = braced ? afterBrace[afterBrace.index(after: name.endIndex)...] : afterBrace[name.endIndex...]
            result += value(of: String(String.UnicodeScalarView(name))) ?? ""
        }
        result.unicodeScalars.append(contentsOf: rest)
        return result
    }

    private func value(of name: String) -> String? {
        if let number = Self.groupNumber(name) {
            return number < groups.count ? groups[number] : nil
        }
        // The first group of that name that took part, as Go looks it up.
        for (index, group) in groups.enumerated() where names[index] == name && group != nil { return group }
        return nil
    }

    /// Go's rule: digits only, no leading zero, below 10⁸.
    private static func groupNumber(_ name: String) -> Int? {
        guard name.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              name.utf8.count <= 9, name == "0" || name.first != "0" else { return nil }
        return Int(name)
    }

    /// Go's `unicode.IsLetter`, `unicode.IsDigit` or `_`.
    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber: true
        default: scalar == "_"
        }
    }
}
