/// Prometheus metric names (and units) for OTLP metrics, as Prometheus's OTLP
/// receiver builds them in its default `UnderscoreEscapingWithSuffixes` mode
/// (the `MetricNamer`/`UnitNamer` of github.com/prometheus/otlptranslator,
/// following the OpenTelemetry "Prometheus and OpenMetrics compatibility" spec):
///
/// - characters outside `[a-zA-Z0-9:]` split the name into tokens that are
///   joined with `_`, so invalid characters become `_` and runs of `_` collapse;
/// - the UCUM unit becomes a suffix (`s` → `seconds`, `By/s` → `bytes_per_second`,
///   `{packet}` annotations and the dimensionless `1` add nothing), unless the
///   name already has that token;
/// - monotonic sums end in `_total`, gauges with unit `1` in `_ratio`, each once;
/// - a leading digit gets a `_` prefix.
enum PrometheusMetricName {
    /// What the OTLP metric becomes, which decides the type suffixes.
    enum Kind: Sendable, Hashable {
        case gauge
        case monotonicCounter
        case nonMonotonicCounter
        case histogram
        case exponentialHistogram
        case summary
    }

    /// UCUM units with a Prometheus word (Prometheus's table; unknown units pass through).
    static let unitWords: [String: String] = [
        // Time
        "d": "days", "h": "hours", "min": "minutes", "s": "seconds",
        "ms": "milliseconds", "us": "microseconds", "ns": "nanoseconds",
        // Bytes
        "By": "bytes", "KiBy": "kibibytes", "MiBy": "mebibytes", "GiBy": "gibibytes", "TiBy": "tibibytes",
        "KBy": "kilobytes", "MBy": "megabytes", "GBy": "gigabytes", "TBy": "terabytes",
        // SI
        "m": "meters", "V": "volts", "A": "amperes", "J": "joules", "W": "watts", "g": "grams",
        // Misc
        "Cel": "celsius", "Hz": "hertz", "1": "", "%": "percent",
    ]

    /// The denominators of rate units (`x/s`), in the singular.
    static let perUnitWords: [String: String] = [
        "s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week", "mo": "month", "y": "year",
    ]

    /// The Prometheus name, or nil when nothing valid is left (a name made
    /// only of invalid characters), which Prometheus rejects too.
    static func build(name: String, unit: String, kind: Kind) -> String? {
        var tokens = nameTokens(name)
        let (main, per) = unitSuffixes(unit)
        var mainSuffix = cleanUnit(main)
        var perSuffix = cleanUnit(per)

        // "No duplicate suffixes": a unit already among the tokens is not added again.
        if tokens.contains(mainSuffix) { mainSuffix = "" }
        if perSuffix == "per_" {
            perSuffix = ""
        } else {
            perSuffix = trimmingTrailingUnderscore(perSuffix)
            if tokens.contains(perSuffix) { perSuffix = "" }
        }
        if !perSuffix.isEmpty { mainSuffix = trimmingTrailingUnderscore(mainSuffix) }
        if !mainSuffix.isEmpty { tokens.append(mainSuffix) }
        if !perSuffix.isEmpty { tokens.append(perSuffix) }

        if kind == .monotonicCounter {
            tokens.removeAll { $0 == "total" }
            tokens.append("total")
        }
        // Only gauges: some receivers wrongly give counts of things the unit "1".
        if unit == "1" && kind == .gauge {
            tokens.removeAll { $0 == "ratio" }
            tokens.append("ratio")
        }

        var result = tokens.joined(separator: "_")
        if let first = result.utf8.first, isDigit(first) { result = "_" + result }
        guard !result.isEmpty else { return nil }
        return result
    }

    /// The unit as Prometheus's metadata reports it (`By/s` → `bytes_per_second`,
    /// `1` and `{requests}` → empty).
    static func unit(_ unit: String) -> String {
        let (main, per) = unitSuffixes(unit)
        let mainWord = cleanUnit(main), perWord = cleanUnit(per)
        var text: Substring
        if !mainWord.isEmpty && !perWord.isEmpty {
            text = Substring(mainWord + "_" + perWord)
        } else if !mainWord.isEmpty {
            text = Substring(mainWord)
        } else {
            text = Substring(perWord)
        }
        if text.hasPrefix("_") { text = text.dropFirst() }
        if text.hasSuffix("_") { text = text.dropLast() }
        return String(text)
    }

    /// The main and "per" unit words of a UCUM unit, before character clean-up:
    /// `By/s` → (`bytes`, `per_second`); parts with `{…}` annotations are ignored.
    static func unitSuffixes(_ unit: String) -> (main: String, per: String) {
        let parts = unit.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        var main = "", per = ""
        if let first = parts.first {
            let text = trimmingSpace(first)
            if !text.isEmpty && !containsBrace(text) { main = unitWords[text] ?? text }
        }
        if parts.count > 1, !parts[1].isEmpty {
            let text = trimmingSpace(parts[1])
            if !text.isEmpty && !containsBrace(text) { per = perUnitWords[text] ?? text }
            if !per.isEmpty { per = "per_" + per }
        }
        return (main, per)
    }

    // MARK: - Characters

    /// Whether the scalar may appear in a (classic) metric name.
    @inline(__always)
    static func isValidNameScalar(_ v: UInt32) -> Bool {
        (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x3A
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Runs of valid characters; everything else separates them.
    private static func nameTokens(_ name: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            if isValidNameScalar(scalar.value) {
                current.append(scalar)
            } else if !current.isEmpty {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { tokens.append(String(current)) }
        return tokens
    }

    /// Invalid characters → `_`, runs of `_` collapsed, one leading `_` removed.
    private static func cleanUnit(_ unit: String) -> String {
        guard !unit.isEmpty else { return unit }
        var out = String.UnicodeScalarView()
        var previousUnderscore = false
        for scalar in unit.unicodeScalars {
            let valid = isValidNameScalar(scalar.value)
            if valid {
                out.append(scalar)
                previousUnderscore = false
            } else if !previousUnderscore {
                out.append("_")
                previousUnderscore = true
            }
        }
        var text = String(out)
        if text.hasPrefix("_") { text.removeFirst() }
        return text
    }

    private static func trimmingTrailingUnderscore(_ text: String) -> String {
        text.hasSuffix("_") ? String(text.dropLast()) : text
    }

    private static func trimmingSpace(_ text: Substring) -> String {
        let trimmed = text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()
        return String(trimmed)
    }

    private static func containsBrace(_ text: String) -> Bool {
        text.utf8.contains { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") }
    }
}
