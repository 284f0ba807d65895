/// A relabeling regular expression, fully anchored as Prometheus anchors it
/// (`^(?s:…)$`), with Go-style `$1`/`${1}`/`$name`/`${name}` expansion.
///
/// Swift's regex syntax accepts the RE2 constructs Prometheus configurations
/// use (classes, alternation, `(?P<name>…)`, `(?i)`); matching works on
/// Unicode scalars, close to RE2's runes.
public struct RelabelRegex: @unchecked Sendable, Equatable, CustomStringConvertible {
    // @unchecked: `Regex` is an immutable value that is safe to share for
    // matching; it only lacks the Sendable annotation.
    private let regex: Regex<AnyRegexOutput>
    /// The expression as configured, without the anchoring.
    public let pattern: String

    /// Why an expression was refused.
    public struct CompileError: Error, Sendable, Equatable, CustomStringConvertible {
        public var pattern: String
        public var reason: String
        public var description: String { "error parsing regexp \"\(pattern)\": \(reason)" }
    }

    /// Prometheus's default, `(.*)`.
    public static let `default` = try! RelabelRegex("(.*)")

    public init(_ pattern: String) throws(CompileError) {
        self.pattern = pattern
        do {
            regex = try Regex("^(?s:\(pattern))$").matchingSemantics(.unicodeScalar)
        } catch {
            throw CompileError(pattern: pattern, reason: "\(error)")
        }
    }

    public static func == (a: RelabelRegex, b: RelabelRegex) -> Bool { a.pattern == b.pattern }
    public var description: String { pattern }

    /// Whether the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        (try? regex.wholeMatch(in: text)) != nil
    }

    /// The match of the whole of `text`, with its groups, or nil.
    public func match(_ text: String) -> Match? {
        guard let found = try? regex.wholeMatch(in: text) else { return nil }
        let output = found.output
        var groups: [String?] = []
        var named: [String: String] = [:]
        for index in 0..<output.count {
            let element = output[index]
            let value = element.substring.map(String.init)
            groups.append(value)
            if let name = element.name { named[name] = value ?? "" }
        }
        return Match(groups: groups, named: named)
    }

    /// The groups of one successful match.
    public struct Match: Sendable {
        /// Group 0 is the whole text; nil for groups that did not take part.
        public var groups: [String?]
        public var named: [String: String]

        /// Expands `template` as Go's `Regexp.Expand` does: `$$` is a `$`;
        /// `$name` takes the longest run of letters, digits and `_`; unknown
        /// or out-of-range groups expand to nothing.
        public func expand(_ template: String) -> String {
            var result = ""
            var scalars = Substring(template).unicodeScalars[...]
            while let dollar = scalars.firstIndex(of: "$") {
                result.unicodeScalars.append(contentsOf: scalars[..<dollar])
                scalars = scalars[scalars.index(after: dollar)...]
                if scalars.first == "$" {
                    result += "$"
                    scalars = scalars.dropFirst()
                    continue
                }
                var name: Substring.UnicodeScalarView.SubSequence
                if scalars.first == "{" {
                    guard let close = scalars.firstIndex(of: "}") else { result += "$"; continue }
                    name = scalars[scalars.index(after: scalars.startIndex)..<close]
                    guard !name.isEmpty, name.allSatisfy(Self.isNameScalar) else { result += "$"; continue }
                    scalars = scalars[scalars.index(after: close)...]
                } else {
                    name = scalars.prefix(while: Self.isNameScalar)
                    guard !name.isEmpty else { result += "$"; continue }
                    scalars = scalars.dropFirst(name.count)
                }
                result += value(of: String(String.UnicodeScalarView(name)))
            }
            result.unicodeScalars.append(contentsOf: scalars)
            return result
        }

        private func value(of name: String) -> String {
            if let number = Int(name) {
                return number < groups.count ? groups[number] ?? "" : ""
            }
            return named[name] ?? ""
        }

        private static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
            s == "_" || ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
        }
    }
}
