import KansokuModel

/// The labels of a Loki stream, parsed and normalised as Loki's distributor
/// does it (`syntax.ParseLabels`, then `ValidateLabels`).
///
/// Protobuf pushes carry a stream's labels as one string in Prometheus series
/// notation, `{app="api", env="prod"}`, parsed like Prometheus'
/// `parser.ParseMetric`: label values are double-quoted, single-quoted (both
/// with Go escapes: `\"`, `\\`, `\n`, `\t`, `\xFF`, `\u00e9`, …) or back-quoted
/// raw strings; whitespace between tokens is free; a trailing comma before the
/// closing brace is allowed (`{a="b",}`), as in Prometheus' grammar; an empty
/// string or `{}` parses but is then refused for having no label. A metric
/// name before the brace (`up{…}`) is not accepted.
///
/// Normalisation: labels with an empty value are dropped (they mean "absent"
/// in Prometheus and Loki), names must match `[a-zA-Z_][a-zA-Z0-9_]*`, a name
/// may appear only once, at least one label must remain, and the result is
/// sorted by name.
enum LokiLabelSelector {
    /// Why a stream's labels were refused; `message` is the whole per-stream error.
    struct Failure: Error, Equatable {
        var message: String
    }

    /// Parses and normalises a selector string. Error messages follow Loki's
    /// (`Error parsing labels '…' with error: 1:6: parse error: …`).
    static func parse(_ text: String) throws(Failure) -> [Attribute] {
        let pairs: [(name: String, value: String)]
        var parser = Parser(text)
        do throws(Parser.Failure) {
            pairs = try parser.parse()
        } catch {
            throw Failure(message: invalidLabelsMessage(text, error.message))
        }
        return try normalize(pairs, display: text)
    }

    /// Normalises label pairs that did not come from a selector string (Loki's
    /// JSON push sends `"stream": {"name": "value"}`); `display` names the
    /// stream in errors.
    static func normalize(_ pairs: [(name: String, value: String)], display: String) throws(Failure) -> [Attribute] {
        if let bad = pairs.first(where: { !isValidName($0.name) }) {
            throw Failure(message: invalidLabelsMessage(display, "invalid label name \(quoted(bad.name))"))
        }
        let kept = pairs.filter { !$0.value.isEmpty }
        guard !kept.isEmpty else {
            throw Failure(message: "error at least one label pair is required per stream")
        }
        // Stable sort: equal names stay in order, so the duplicate check below sees neighbours.
        let sorted = kept.enumerated().sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }.map(\.element)
        for i in sorted.indices.dropFirst() where sorted[i].name == sorted[i - 1].name {
            throw Failure(message: "stream '\(display)' has duplicate label name: '\(sorted[i].name)'")
        }
        return sorted.map { Attribute(key: $0.name, value: .string($0.value)) }
    }

    /// Prometheus' legacy label name rule, `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isNameStart(first) else { return false }
        return name.utf8.dropFirst().allSatisfy { isNameStart($0) || isDigit($0) }
    }

    /// `{a="x", b="y"}`, the way Prometheus prints a label set; used to name
    /// JSON streams in messages.
    static func render(_ pairs: [(name: String, value: String)]) -> String {
        "{" + pairs.map { "\($0.name)=\(quoted($0.value))" }.joined(separator: ", ") + "}"
    }

    private static func invalidLabelsMessage(_ text: String, _ reason: String) -> String {
        "Error parsing labels '\(text)' with error: \(reason)"
    }

    /// A double-quoted string with `"`, `\` and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func isNameStart(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_")
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// The series-notation parser. Errors read like Prometheus':
    /// `<line>:<column>: parse error: <what>`, column counted in bytes from 1.
    private struct Parser {
        struct Failure: Error { var message: String }

        private let bytes: [UInt8]
        private var index = 0

        init(_ text: String) { bytes = Array(text.utf8) }

        mutating func parse() throws(Failure) -> [(name: String, value: String)] {
            skipSpace()
            // Prometheus' grammar lets the whole label set be empty.
            if index == bytes.count { return [] }
            guard bytes[index] == UInt8(ascii: "{") else { throw fail("unexpected \(describe(index)), expected \"{\"") }
            index += 1
            var pairs: [(name: String, value: String)] = []
            while true {
                skipSpace()
                guard index < bytes.count else { throw fail("unexpected end of input inside braces") }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    break
                }
                pairs.append(try parsePair())
                skipSpace()
                guard index < bytes.count else { throw fail("unexpected end of input inside braces") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    // `{a="b",}` is valid; `{a="b",,}` is not (the next round expects a name or "}").
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else {
                    throw fail("unexpected \(describe(index)) in label set, expected \",\" or \"}\"")
                }
                index += 1
                break
            }
            skipSpace()
            guard index == bytes.count else { throw fail("unexpected \(describe(index)) after the closing \"}\"") }
            return pairs
        }

        private mutating func parsePair() throws(Failure) -> (name: String, value: String) {
            let start = index
            while index < bytes.count, !Self.isDelimiter(bytes[index]) { index += 1 }
            guard index > start else {
                throw fail("unexpected \(describe(index)) in label set, expected a label name or \"}\"")
            }
            let name = String(decoding: bytes[start..<index], as: UTF8.self)
            guard LokiLabelSelector.isValidName(name) else {
                throw fail("invalid label name \(LokiLabelSelector.quoted(name))", at: start)
            }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                throw fail("unexpected \(describe(index)) in label set, expected \"=\"")
            }
            index += 1
            skipSpace()
            return (name, try parseString())
        }

        private mutating func parseString() throws(Failure) -> String {
            guard index < bytes.count else { throw fail("unexpected end of input, expected a quoted label value") }
            let start = index
            let quote = bytes[index]
            switch quote {
            case UInt8(ascii: "`"):
                index += 1
                let from = index
                while index < bytes.count, bytes[index] != quote { index += 1 }
                guard index < bytes.count else { throw fail("unterminated raw string", at: start) }
                defer { index += 1 }
                return String(decoding: bytes[from..<index], as: UTF8.self)
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                index += 1
                var out: [UInt8] = []
                while true {
                    guard index < bytes.count, bytes[index] != 0x0A else { throw fail("unterminated quoted string", at: start) }
                    let byte = bytes[index]
                    if byte == quote {
                        index += 1
                        return String(decoding: out, as: UTF8.self)
                    }
                    if byte == UInt8(ascii: "\\") {
                        try appendEscape(quote: quote, to: &out)
                    } else {
                        out.append(byte)
                        index += 1
                    }
                }
            default:
                throw fail("unexpected \(describe(index)) in label set, expected a quoted label value")
            }
        }

        /// Go's escapes (`strconv.Unquote`, which Prometheus uses); `index` is at the backslash.
        private mutating func appendEscape(quote: UInt8, to out: inout [UInt8]) throws(Failure) {
            let start = index
            index += 1
            guard index < bytes.count else { throw fail("unterminated quoted string", at: start) }
            let c = bytes[index]
            index += 1
            switch c {
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "\\"): out.append(c)
            case quote: out.append(c)
            case UInt8(ascii: "x"):
                out.append(UInt8(try digits(2, radix: 16, escapeStart: start)))
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                index -= 1
                let value = try digits(3, radix: 8, escapeStart: start)
                guard value <= 0xFF else { throw fail("octal escape value > 255", at: start) }
                out.append(UInt8(value))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let value = try digits(c == UInt8(ascii: "u") ? 4 : 8, radix: 16, escapeStart: start)
                guard let scalar = Unicode.Scalar(value) else { throw fail("escape sequence is an invalid Unicode code point", at: start) }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw fail("unknown escape sequence", at: start)
            }
        }

        private mutating func digits(_ count: Int, radix: UInt32, escapeStart: Int) throws(Failure) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<count {
                guard index < bytes.count, let digit = Hex.value(of: bytes[index]), UInt32(digit) < radix else {
                    throw fail("invalid escape sequence", at: escapeStart)
                }
                value = value * radix + UInt32(digit)
                index += 1
            }
            return value
        }

        private mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        private static func isDelimiter(_ b: UInt8) -> Bool {
            switch b {
            case UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "\""),
                 UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: "!"), UInt8(ascii: "~"), 0x20, 0x09, 0x0A, 0x0D: true
            default: false
            }
        }

        private func describe(_ at: Int) -> String {
            guard at < bytes.count else { return "end of input" }
            let b = bytes[at]
            guard b >= 0x20, b < 0x7F else { return "byte 0x" + String(b, radix: 16) }
            return "\"\(Character(Unicode.Scalar(b)))\""
        }

        private func fail(_ message: String, at offset: Int? = nil) -> Failure {
            let at = min(offset ?? index, bytes.count)
            var line = 1
            var lineStart = 0
            for i in 0..<at where bytes[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            return Failure(message: "\(line):\(at - lineStart + 1): parse error: \(message)")
        }
    }
}
