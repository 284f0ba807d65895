/// A configuration value that cannot be used, naming where it came from.
public enum ConfigurationError: Error, Sendable, CustomStringConvertible {
    case invalidAddress(String, reason: String)
    case invalidValue(key: String, value: String, reason: String)
    case unknownKey(String, file: String)
    case unreadableFile(String, reason: String)

    public var description: String {
        switch self {
        case .invalidAddress(let text, let reason): "invalid listen address \"\(text)\": \(reason)"
        case .invalidValue(let key, let value, let reason): "invalid value \"\(value)\" for \(key): \(reason)"
        case .unknownKey(let key, let file): "unknown configuration key \"\(key)\" in \(file)"
        case .unreadableFile(let path, let reason): "cannot read configuration file \(path): \(reason)"
        }
    }
}
