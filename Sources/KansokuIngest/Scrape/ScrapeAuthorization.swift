import Foundation

/// How a scrape authenticates: `basic_auth`, or an `Authorization` header
/// (`authorization:` or the older `bearer_token`/`bearer_token_file`).
/// File-held secrets are read at each scrape, as Prometheus does, so rotated
/// tokens are picked up.
public enum ScrapeAuthorization: Sendable, Equatable {
    case basic(username: String, password: ScrapeSecret)
    /// `Authorization: <type> <credentials>`; type defaults to `Bearer`.
    case header(type: String, credentials: ScrapeSecret)

    /// A secret given inline or by file name.
    public enum ScrapeSecret: Sendable, Equatable {
        case inline(String)
        case file(String)

        /// The secret's value; a file's trailing whitespace is trimmed.
        public func resolve() throws -> String {
            switch self {
            case .inline(let value): return value
            case .file(let path):
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
    }

    /// The `Authorization` header value.
    public func headerValue() throws -> String {
        switch self {
        case .basic(let username, let password):
            return "Basic " + Data("\(username):\(try password.resolve())".utf8).base64EncodedString()
        case .header(let type, let credentials):
            return "\(type) \(try credentials.resolve())"
        }
    }

    /// Reads whichever of the auth fields a scrape config sets; refuses more than one.
    init?(reader: ScrapeConfigReader) throws(ScrapeConfigError) {
        let present = ["basic_auth", "authorization", "bearer_token", "bearer_token_file"].filter { reader.node($0) != nil }
        guard !present.isEmpty else { return nil }
        guard present.count == 1 else {
            throw ScrapeConfigError(path: reader.path, reason: "at most one of basic_auth, authorization, bearer_token & bearer_token_file must be configured (found \(present.joined(separator: ", ")))")
        }
        switch present[0] {
        case "bearer_token": self = .header(type: "Bearer", credentials: .inline(try reader.string("bearer_token") ?? ""))
        case "bearer_token_file": self = .header(type: "Bearer", credentials: .file(try reader.string("bearer_token_file") ?? ""))
        case "basic_auth":
            let basic = try reader.child("basic_auth")!
            try basic.checkKeys(["username", "password", "password_file", "username_file"])
            if basic.node("password") != nil && basic.node("password_file") != nil {
                throw ScrapeConfigError(path: basic.path, reason: "at most one of basic_auth password & password_file must be configured")
            }
            let password: ScrapeSecret
            if let file = try basic.string("password_file") { password = .file(file) } else { password = .inline(try basic.string("password") ?? "") }
            self = .basic(username: try basic.string("username") ?? "", password: password)
        default:
            let auth = try reader.child("authorization")!
            try auth.checkKeys(["type", "credentials", "credentials_file"])
            let type = try auth.string("type") ?? "Bearer"
            if type.lowercased() == "basic" {
                throw ScrapeConfigError(path: ScrapeConfigReader.join(auth.path, "type"), reason: "authorization type cannot be set to \"basic\", use \"basic_auth\" instead")
            }
            if auth.node("credentials") != nil && auth.node("credentials_file") != nil {
                throw ScrapeConfigError(path: auth.path, reason: "at most one of authorization credentials & credentials_file must be configured")
            }
            let credentials: ScrapeSecret
            if let file = try auth.string("credentials_file") { credentials = .file(file) } else { credentials = .inline(try auth.string("credentials") ?? "") }
            self = .header(type: type, credentials: credentials)
        }
    }
}
