/// How `unwrap` converts the label value into a sample.
public enum LogQLUnwrapConversion: String, Sendable, Hashable, CaseIterable {
    /// `bytes(label)`: `1KB` → 1000.
    case bytes
    /// `duration(label)`: Go duration → seconds.
    case duration
    /// `duration_seconds(label)`: same as `duration`.
    case durationSeconds = "duration_seconds"
}

/// `| unwrap latency`, `| unwrap duration(took) | __error__=""`.
public struct LogQLUnwrap: Sendable, Hashable, CustomStringConvertible {
    /// The label whose value becomes the sample value.
    public var label: String
    /// Optional conversion; plain numbers when `nil`.
    public var conversion: LogQLUnwrapConversion?
    /// Label filters after the unwrap (typically `__error__=""` to drop
    /// lines whose value failed to convert).
    public var postFilters: [LogQLLabelFilter]

    /// Creates an unwrap stage.
    public init(label: String, conversion: LogQLUnwrapConversion? = nil, postFilters: [LogQLLabelFilter] = []) {
        self.label = label
        self.conversion = conversion
        self.postFilters = postFilters
    }

    public var description: String {
        var out = "| unwrap "
        if let conversion {
            out += "\(conversion.rawValue)(\(label))"
        } else {
            out += label
        }
        for filter in postFilters { out += " | \(filter)" }
        return out
    }
}
