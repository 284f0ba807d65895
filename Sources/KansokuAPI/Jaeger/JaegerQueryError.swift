/// Why the parameters of a Jaeger trace search were refused. Each case names
/// the parameter (and the value) at fault; `description` is the message for
/// the response's `errors[].msg`, worded like Jaeger's.
public enum JaegerQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A parameter that must be given is missing or empty (`service`).
    case missingParameter(String)
    /// A parameter's value does not parse; `expected` says what would.
    case invalidValue(parameter: String, value: String, expected: String)
    /// `maxDuration` is shorter than `minDuration`.
    case maxDurationBelowMinDuration(minDuration: String, maxDuration: String)

    /// The parameter at fault.
    public var parameter: String {
        switch self {
        case .missingParameter(let name): name
        case .invalidValue(let name, _, _): name
        case .maxDurationBelowMinDuration: "maxDuration"
        }
    }

    /// The refused value, nil for a missing parameter.
    public var value: String? {
        switch self {
        case .missingParameter: nil
        case .invalidValue(_, let value, _): value
        case .maxDurationBelowMinDuration(_, let max): max
        }
    }

    public var description: String {
        switch self {
        case .missingParameter(let name):
            "parameter '\(name)' is required"
        case .invalidValue(let name, let value, let expected):
            "unable to parse param '\(name)': \(quoted(value)) is not \(expected)"
        case .maxDurationBelowMinDuration(let min, let max):
            "'maxDuration' should be greater than 'minDuration' (got \(quoted(min)) and \(quoted(max)))"
        }
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.prefix(200) + (text.count > 200 ? "…" : "") + "\""
    }
}
