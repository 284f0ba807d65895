/// The mutable label set of one line while it moves through a pipeline.
///
/// Follows Loki's `LabelsBuilder`: stream labels are the base, structured
/// metadata and parser output are layered on top, a parsed label whose name
/// collides with a stream label is stored as `<name>_extracted`, and errors
/// are carried in `__error__` / `__error_details__`.
struct LogQLLabelsBuilder {
    /// Loki's label holding a pipeline error type.
    static let errorLabel = "__error__"
    /// Loki's label holding the error message.
    static let errorDetailsLabel = "__error_details__"

    /// The stream labels the line came from.
    let stream: LogQLLabels
    /// Every current label (stream, metadata, parsed); empty values allowed.
    private(set) var values: [String: String]

    /// A stream's labels as the builders of its lines start from, made once
    /// per stream: each line's builder then copies a ready table instead of
    /// hashing the stream's labels again.
    struct Base {
        let stream: LogQLLabels
        let values: [String: String]
        /// For a `| json` that builds only the labels in `jsonLabelsRead`:
        /// the fields it takes (``LogQLLabelsBuilder/parsedLabelNames(storedAs:)``),
        /// worked out once per stream rather than per line.
        let jsonFieldsRead: [String]?

        init(_ stream: LogQLLabels, jsonLabelsRead: Set<String>? = nil) {
            self.stream = stream
            var values = stream.dictionary
            // Parsers add labels to most lines; grow once rather than by doubling.
            values.reserveCapacity(values.count + 16)
            self.values = values
            jsonFieldsRead = jsonLabelsRead.map { LogQLLabelsBuilder.parsedLabelNames(storedAs: $0, stream: stream) }
        }
    }

    init(stream: LogQLLabels, metadata: [LogQLLabel]) {
        self.init(base: Base(stream), metadata: metadata)
    }

    init(base: Base, metadata: [LogQLLabel]) {
        stream = base.stream
        values = base.values
        for pair in metadata where !pair.value.isEmpty { values[pair.name] = pair.value }
    }

    /// The value of `name` if present.
    func get(_ name: String) -> String? { values[name] }

    /// Sets a label as a parser would, renaming on collision with a stream label.
    mutating func setParsed(_ name: String, _ value: String) {
        values[parsedLabelName(name)] = value
    }

    /// The name a parser's label `name` is stored under.
    func parsedLabelName(_ name: String) -> String {
        stream[name] != nil ? name + "_extracted" : name
    }

    /// The parser label names stored under one of `names` (``parsedLabelName(_:)``).
    func parsedLabelNames(storedAs names: Set<String>) -> [String] {
        Self.parsedLabelNames(storedAs: names, stream: stream)
    }

    private static func parsedLabelNames(storedAs names: Set<String>, stream: LogQLLabels) -> [String] {
        var fields: [String] = []
        for name in names {
            if stream[name] == nil { fields.append(name) }
            if name.hasSuffix("_extracted") {
                let field = String(name.dropLast("_extracted".count))
                if stream[field] != nil { fields.append(field) }
            }
        }
        return fields
    }

    /// Sets a label verbatim (label_format, rename).
    mutating func set(_ name: String, _ value: String) { values[name] = value }

    /// Removes a label.
    mutating func delete(_ name: String) { values[name] = nil }

    /// Whether an error is recorded.
    var hasError: Bool { !(values[Self.errorLabel] ?? "").isEmpty }

    /// Records an error (the first one wins, like Loki).
    mutating func setError(_ type: String, details: String) {
        guard !hasError else { return }
        values[Self.errorLabel] = type
        values[Self.errorDetailsLabel] = details
    }

    /// Keeps only labels for which `keep` is true (error labels always survive).
    mutating func filter(_ keep: (String, String) -> Bool) {
        values = values.filter { keep($0.key, $0.value) || $0.key == Self.errorLabel || $0.key == Self.errorDetailsLabel }
    }

    /// The final label set. A label a parser or `label_format` set to the
    /// empty string stays in it (`dur=""`), as in Loki's results; only an
    /// empty `__error__`/`__error_details__` is left out.
    var labels: LogQLLabels {
        LogQLLabels(values.filter { !$0.value.isEmpty || ($0.key != Self.errorLabel && $0.key != Self.errorDetailsLabel) })
    }

    /// `labels` without `__error_details__`, kept to `names`
    /// (`labels.removing([errorDetailsLabel]).keeping(names)`), without
    /// building the whole set first.
    func labels(keeping names: Set<String>) -> LogQLLabels {
        labels(keepingSorted: names.sorted())
    }

    /// ``labels(keeping:)`` with the names given sorted and unique, as a
    /// caller asking for every line's labels can prepare them once.
    func labels(keepingSorted names: [String]) -> LogQLLabels {
        var kept: [LogQLLabel] = []
        kept.reserveCapacity(names.count)
        for name in names where name != Self.errorDetailsLabel {
            if let value = values[name], !value.isEmpty || name != Self.errorLabel { kept.append(LogQLLabel(name, value)) }
        }
        return LogQLLabels(sortedUniquePairs: kept)
    }
}

/// Loki's `sanitizeLabelKey`: trims spaces, maps every character outside
/// `[a-zA-Z0-9_]` to `_`, and (for a name's first segment) prefixes a
/// leading digit with `_`.
func logqlSanitizeLabelName(_ key: String, isPrefix: Bool = true) -> String {
    var utf8 = key
    if utf8.withUTF8({ logqlIsPlainLabelName($0, isPrefix: isPrefix) }) { return key }
    let trimmed = key.trimmingWhitespace()
    guard !trimmed.isEmpty else { return trimmed }
    var out = ""
    if isPrefix, let first = trimmed.unicodeScalars.first, ("0"..."9").contains(first) { out = "_" }
    for scalar in trimmed.unicodeScalars {
        let ok = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || scalar == "_"
        out.unicodeScalars.append(ok ? scalar : "_")
    }
    return out
}

/// Whether a name's UTF-8 `bytes` need no sanitising (``logqlSanitizeLabelName(_:isPrefix:)``
/// gives them back as they are): `[a-zA-Z0-9_]+`, not starting with a digit when a prefix.
func logqlIsPlainLabelName(_ bytes: UnsafeBufferPointer<UInt8>, isPrefix: Bool = true) -> Bool {
    guard let first = bytes.first, !(isPrefix && first >= 0x30 && first <= 0x39) else { return false }
    return bytes.allSatisfy { b in
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
    }
}
