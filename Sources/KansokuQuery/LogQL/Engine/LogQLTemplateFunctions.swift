import KansokuRegex

/// The function table of `LogQLTemplate` (a subset of Loki's, which is
/// Go's `strings` plus Sprig helpers).
enum LogQLTemplateFunctions {
    static func call(_ name: String, _ args: [String], line: String,
                     timestamp: Int64) throws(LogQLEvaluationError) -> String {
        func arity(_ n: Int) throws(LogQLEvaluationError) {
            guard args.count == n else {
                throw .invalidTemplate("wrong number of args for \(name): want \(n) got \(args.count)")
            }
        }
        switch name {
        case "__line__": try arity(0); return line
        case "__timestamp__": try arity(0); return LogQLTime.goString(timestamp)
        case "ToUpper", "upper", "toUpper": try arity(1); return args[0].uppercased()
        case "ToLower", "lower", "toLower": try arity(1); return args[0].lowercased()
        case "title":
            try arity(1)
            // Sprig's `title` is Go's `strings.Title`: a letter after any separator
            // (not an ASCII letter, digit or `_`, nor a Unicode letter or digit) is upper-cased.
            var out = ""
            var afterSeparator = true
            for c in args[0] {
                out += afterSeparator ? c.uppercased() : String(c)
                afterSeparator = Self.isTitleSeparator(c)
            }
            return out
        case "TrimSpace", "trimSpace", "trim": try arity(1); return args[0].trimmingWhitespace()
        case "trimAll":
            try arity(2)
            let set = Set(args[0])
            return String(String(args[1].drop { set.contains($0) }).reversed().drop { set.contains($0) }.reversed())
        case "trimPrefix", "TrimPrefix":
            try arity(2)
            let (prefix, s) = name == "trimPrefix" ? (args[0], args[1]) : (args[1], args[0])
            return s.hasPrefix(prefix) ? String(s.dropFirst(prefix.count)) : s
        case "trimSuffix", "TrimSuffix":
            try arity(2)
            let (suffix, s) = name == "trimSuffix" ? (args[0], args[1]) : (args[1], args[0])
            return s.hasSuffix(suffix) ? String(s.dropLast(suffix.count)) : s
        case "replace": try arity(3); return replace(args[2], args[0], args[1], count: -1)
        case "Replace": try arity(4); return replace(args[0], args[1], args[2], count: Int(args[3]) ?? -1)
        case "substr":
            try arity(3)
            let chars = Array(args[2])
            let start = max(0, Int(args[0]) ?? 0)
            var end = Int(args[1]) ?? chars.count
            if end < 0 || end > chars.count { end = chars.count }
            return start >= end ? "" : String(chars[start..<end])
        case "trunc":
            try arity(2)
            let n = Int(args[0]) ?? 0
            return n >= 0 ? String(args[1].prefix(n)) : String(args[1].suffix(-n))
        case "contains": try arity(2); return String(args[1].contains(args[0]))
        case "hasPrefix": try arity(2); return String(args[1].hasPrefix(args[0]))
        case "hasSuffix": try arity(2); return String(args[1].hasSuffix(args[0]))
        case "default": try arity(2); return args[1].isEmpty ? args[0] : args[1]
        case "len": try arity(1); return String(args[0].utf8.count)
        case "printf": return try printf(args)
        case "regexReplaceAll", "regexReplaceAllLiteral":
            try arity(3)
            let literal = name == "regexReplaceAllLiteral"
            // Go's ReplaceAllString on Go's engine where it takes the pattern; Swift's engine for the rest.
            if let re2 = RE2Regex(args[0]),
               let replaced = re2.replacingAll(in: args[1], with: { literal ? args[2] : $0.expand(args[2]) }) {
                return replaced
            }
            let regex = try LogQLRegexCompiler.compile(args[0])
            return args[1].replacing(regex) { match in
                literal ? args[2] : RegexGroups(match.output).expand(args[2])
            }
        default:
            throw .invalidTemplate("function \"\(name)\" not defined")
        }
    }

    /// Go's `isSeparator` of `strings.Title`.
    static func isTitleSeparator(_ c: Character) -> Bool {
        if c.isASCII {
            return !(c.isLetter || c.isNumber || c == "_")
        }
        if c.isLetter || c.isNumber { return false }
        return c.isWhitespace
    }

    private static func replace(_ s: String, _ old: String, _ new: String, count: Int) -> String {
        guard !old.isEmpty, count != 0 else { return s }
        var out = ""
        var rest = Substring(s)
        var done = 0
        while count < 0 || done < count, let range = rest.firstRange(of: old) {
            out += rest[..<range.lowerBound] + new
            rest = rest[range.upperBound...]
            done += 1
        }
        return out + rest
    }

    private static func printf(_ args: [String]) throws(LogQLEvaluationError) -> String {
        guard let format = args.first else { throw .invalidTemplate("wrong number of args for printf") }
        var values = args.dropFirst()[...]
        var out = ""
        var chars = Array(format)[...]
        while let c = chars.popFirst() {
            guard c == "%", let verb = chars.popFirst() else { out.append(c); continue }
            if verb == "%" { out.append("%"); continue }
            guard let value = values.popFirst() else { out += "%!\(verb)(MISSING)"; continue }
            switch verb {
            case "s", "v": out += value
            case "q": out += LogQLStringLiteral.quote(value)
            case "d": out += Int(value).map(String.init) ?? "%!d(string=\(value))"
            default: throw .invalidTemplate("printf verb %\(verb) not supported")
            }
        }
        return out
    }
}
