/// A compiled label filter.
///
/// Loki's rules: string matchers see every label (a missing one reads as
/// `""`, `__error__` included) and always apply; numeric, duration and bytes
/// filters pass a line that already carries an error untouched, drop a line
/// missing the label, and mark a value that does not convert with
/// `__error__="LabelFilterErr"` while keeping the line.
indirect enum LogQLLabelFilterEvaluator: @unchecked Sendable {
    static let labelFilterError = "LabelFilterErr"

    case matcher(LogQLCompiledMatcher)
    case numeric(name: String, op: LogQLComparisonOperator, value: Double, kind: Kind)
    /// `name = ip("…")` / `name != ip("…")`: a missing label or one that is
    /// not an address fails both forms, as in Loki.
    case ip(name: String, negated: Bool, matcher: LogQLIPMatcher)
    case and(LogQLLabelFilterEvaluator, LogQLLabelFilterEvaluator)
    case or(LogQLLabelFilterEvaluator, LogQLLabelFilterEvaluator)

    /// How a numeric-like filter converts the label value.
    enum Kind { case number, duration, bytes }

    init(_ filter: LogQLLabelFilter) throws(LogQLEvaluationError) {
        switch filter {
        case .matcher(let m): self = .matcher(try LogQLCompiledMatcher(m))
        case .number(let name, let op, let value): self = .numeric(name: name, op: op, value: value, kind: .number)
        case .duration(let name, let op, let value):
            self = .numeric(name: name, op: op, value: value.seconds, kind: .duration)
        case .bytes(let name, let op, let value):
            self = .numeric(name: name, op: op, value: Double(value.bytes), kind: .bytes)
        case .ip(let name, let negated, let pattern):
            guard let matcher = LogQLIPMatcher(pattern: pattern) else { throw .invalidPattern("invalid ip pattern \(LogQLStringLiteral.quote(pattern))") }
            self = .ip(name: name, negated: negated, matcher: matcher)
        case .and(let l, let r): self = .and(try Self(l), try Self(r))
        case .or(let l, let r): self = .or(try Self(l), try Self(r))
        }
    }

    func keeps(_ labels: inout LogQLLabelsBuilder) -> Bool {
        switch self {
        case .matcher(let m): return m.matches(labels.get(m.name) ?? "")
        case .and(let l, let r): return l.keeps(&labels) && r.keeps(&labels)
        case .or(let l, let r):
            let left = l.keeps(&labels)
            return r.keeps(&labels) || left
        case .ip(let name, let negated, let matcher):
            guard let text = labels.get(name), let address = LogQLIPMatcher.Address(Substring(text)) else { return false }
            return matcher.matches(address) != negated
        case .numeric(let name, let op, let value, let kind):
            if labels.hasError { return true }
            guard let text = labels.get(name) else { return false }
            guard let actual = Self.convert(text, kind) else {
                labels.setError(Self.labelFilterError, details: Self.conversionMessage(text, kind))
                return true
            }
            switch op {
            case .equal: return actual == value
            case .notEqual: return actual != value
            case .greater: return actual > value
            case .greaterOrEqual: return actual >= value
            case .less: return actual < value
            case .lessOrEqual: return actual <= value
            }
        }
    }

    /// Converts a label value: Go `ParseFloat`, Go duration (seconds) or
    /// humanize bytes (bare numbers are bytes).
    static func convert(_ text: String, _ kind: Kind) -> Double? {
        switch kind {
        case .number: return logqlParseFloat(text)
        case .duration:
            if text == "0" { return 0 }
            return LogQLDuration(parsing: text).map(\.seconds)
        case .bytes:
            let compact = text.filter { $0 != " " }
            if let plain = logqlParseFloat(compact) { return plain }
            return LogQLByteSize(parsing: compact).map { Double($0.bytes) }
        }
    }

    static func conversionMessage(_ text: String, _ kind: Kind) -> String {
        switch kind {
        case .number: return "strconv.ParseFloat: parsing \(LogQLStringLiteral.quote(text)): invalid syntax"
        case .duration: return "time: invalid duration \(LogQLStringLiteral.quote(text))"
        case .bytes: return "strconv.ParseFloat: parsing \(LogQLStringLiteral.quote(text)): invalid syntax"
        }
    }
}

/// Go's `strconv.ParseFloat` for the forms that appear in logs (decimal,
/// exponent, `Inf`/`NaN`); rejects surrounding spaces like Go.
func logqlParseFloat(_ text: String) -> Double? {
    // Only ASCII spaces need refusing here: `Double` skips leading ones (as
    // `strtod` does) and fails on any other character around the number.
    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
    guard let first = text.utf8.first, let last = text.utf8.last, !isSpace(first), !isSpace(last) else { return nil }
    return Double(text)
}
