import Foundation

/// A `host:port` to listen on, as written in flags, environment and YAML:
/// `0.0.0.0:4317`, `127.0.0.1:9494`, `[::1]:4318`, `localhost:4317` or `:4317` (all interfaces).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String) throws(ConfigurationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let host: Substring, portText: Substring
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]"),
                  trimmed[trimmed.index(after: close)...].hasPrefix(":") else {
                throw .invalidAddress(text, reason: "expected [ipv6]:port")
            }
            host = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            portText = trimmed[trimmed.index(close, offsetBy: 2)...]
        } else {
            guard let colon = trimmed.lastIndex(of: ":") else { throw .invalidAddress(text, reason: "expected host:port") }
            host = trimmed[..<colon]
            portText = trimmed[trimmed.index(after: colon)...]
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw .invalidAddress(text, reason: "port must be a number from 0 to 65535")
        }
        switch host {
        case "": self.init(host: "0.0.0.0", port: port)
        case "localhost": self.init(host: "127.0.0.1", port: port)
        default: self.init(host: String(host), port: port)
        }
    }

    public var isIPv6: Bool { host.contains(":") }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

