import KansokuModel

/// One value in a test script: a float or a native histogram.
enum PromQLTestScriptValue {
    case float(Double)
    case histogram(NativeHistogram)

    var float: Double? {
        if case .float(let v) = self { return v }
        return nil
    }

    var histogram: NativeHistogram? {
        if case .histogram(let h) = self { return h }
        return nil
    }
}

/// Histogram values in scripts: tokens of the notation
/// ``NativeHistogram/init(notation:)`` reads, and their expansions.
enum PromQLTestScriptHistogram {
    /// Expands one histogram token: `{{a}}`, `{{a}}xN` (N+1 copies) or
    /// `{{a}}+{{b}}xN` / `{{a}}-{{b}}xN` (a, a±b, a±2b, … computed by repeated
    /// addition, as upstream). nil if unreadable or the histograms do not combine.
    static func expand(_ token: String) -> [PromQLTestScriptValue?]? {
        guard let close = token.firstIndex(of: "}"), token[close...].hasPrefix("}}") else { return nil }
        let afterFirst = token.index(close, offsetBy: 2)
        guard let base = NativeHistogram(notation: String(token[..<afterFirst])) else { return nil }
        let rest = token[afterFirst...]
        if rest.isEmpty { return [.histogram(base)] }
        if rest.hasPrefix("x"), let times = Int(rest.dropFirst()) {
            return Array(repeating: .histogram(base), count: times + 1)
        }
        guard let sign = rest.first, sign == "+" || sign == "-", let x = rest.lastIndex(of: "x"),
              let times = Int(rest[rest.index(after: x)...]),
              let increment = NativeHistogram(notation: String(rest[rest.index(after: rest.startIndex)..<x]))
        else { return nil }
        var values: [PromQLTestScriptValue?] = [.histogram(base)]
        var current = base
        for _ in 0..<max(times, 0) {
            do {
                current = sign == "+" ? try current.adding(increment).result : try current.subtracting(increment).result
            } catch {
                return nil
            }
            values.append(.histogram(current))
        }
        return values
    }

    /// Splits a values text into tokens, keeping `{{…}}` (which contains
    /// spaces) together with what is attached to it.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var depth = 0
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{", i + 1 < chars.count, chars[i + 1] == "{" {
                depth += 1
                current += "{{"
                i += 2
                continue
            }
            if c == "}", i + 1 < chars.count, chars[i + 1] == "}", depth > 0 {
                depth -= 1
                current += "}}"
                i += 2
                continue
            }
            if depth == 0 && (c == " " || c == "\t") {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(c)
            }
            i += 1
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}
