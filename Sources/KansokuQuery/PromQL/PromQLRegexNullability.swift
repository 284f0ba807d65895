/// Decides whether an RE2 pattern (anchored, as Prometheus anchors label
/// regexes) can match the empty string.
///
/// Only this one property is needed at parse time, so instead of compiling
/// the regex we walk its structure: an alternation is nullable if any branch
/// is, a concatenation if every piece is, a piece if its quantifier allows
/// zero repetitions or its atom is nullable. Anchors and `\b`-style
/// assertions are nullable; literals, `.`, classes and escapes are not.
enum PromQLRegexNullability {
    static func matchesEmpty(_ pattern: String) -> Bool {
        var scanner = Scanner(scalars: Array(pattern.unicodeScalars))
        return scanner.alternation()
    }

    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0

        mutating func alternation() -> Bool {
            var nullable = concatenation()
            while index < scalars.count, scalars[index] == "|" {
                index += 1
                if concatenation() { nullable = true }
            }
            return nullable
        }

        mutating func concatenation() -> Bool {
            var nullable = true
            while index < scalars.count, scalars[index] != "|", scalars[index] != ")" {
                let atom = atomNullable()
                let quantified = quantifierAllowsZero()
                if !(atom || quantified) { nullable = false }
            }
            return nullable
        }

        mutating func quantifierAllowsZero() -> Bool {
            var allowsZero = false
            while index < scalars.count {
                switch scalars[index] {
                case "*", "?":
                    allowsZero = true
                    index += 1
                case "+":
                    index += 1
                case "{":
                    // {n}, {n,}, {n,m}: zero allowed when n == 0.
                    var j = index + 1
                    var digits = ""
                    while j < scalars.count, ("0"..."9").contains(scalars[j]) { digits.unicodeScalars.append(scalars[j]); j += 1 }
                    guard !digits.isEmpty else { return allowsZero }
                    while j < scalars.count, scalars[j] != "}" { j += 1 }
                    index = min(j + 1, scalars.count)
                    if Int(digits) == 0 { allowsZero = true }
                default:
                    return allowsZero
                }
            }
            return allowsZero
        }

        mutating func atomNullable() -> Bool {
            let c = scalars[index]
            index += 1
            switch c {
            case "^", "$":
                return true
            case "(":
                // Skip group flags such as (?:, (?i), (?P<name>.
                if index < scalars.count, scalars[index] == "?" {
                    while index < scalars.count, scalars[index] != ":" && scalars[index] != ")" && scalars[index] != ">" { index += 1 }
                    if index < scalars.count, scalars[index] == ")" {
                        index += 1
                        return true
                    }
                    index += 1
                }
                let nullable = alternation()
                if index < scalars.count { index += 1 }
                return nullable
            case "[":
                // Character classes always consume one character.
                if index < scalars.count, scalars[index] == "^" { index += 1 }
                if index < scalars.count, scalars[index] == "]" { index += 1 }
                while index < scalars.count, scalars[index] != "]" {
                    if scalars[index] == "\\" { index += 1 }
                    index += 1
                }
                index += 1
                return false
            case "\\":
                guard index < scalars.count else { return false }
                let e = scalars[index]
                index += 1
                if e == "b" || e == "B" || e == "A" || e == "z" { return true }
                if e == "p" || e == "P", index < scalars.count, scalars[index] == "{" {
                    while index < scalars.count, scalars[index] != "}" { index += 1 }
                    index += 1
                }
                return false
            default:
                return false
            }
        }
    }
}
