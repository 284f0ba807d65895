/// Why the dashboard store refused a request. Each case carries the input it
/// refused, so the message a client sees names what to fix.
public enum DashboardError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The document is bigger than ``DashboardStore/maxDocumentBytes``.
    case tooLarge(bytes: Int, limit: Int)
    /// The body is not JSON at all; `reason` is the parser's explanation.
    case invalidJSON(reason: String, excerpt: String)
    /// The body is JSON but not an object.
    case notAnObject(found: String)
    /// A field the store reads has the wrong type or value.
    case invalidField(name: String, expected: String, found: String)
    /// A uid that could not be a file name: 1 to 40 of `A-Z a-z 0-9 _ -`.
    case invalidUID(String)
    /// A PUT whose body names another dashboard than its path.
    case uidMismatch(path: String, body: String)
    case notFound(uid: String)
    /// A create with a uid that is already taken.
    case duplicateUID(String)
    /// An update based on an older version than the one stored: someone else saved in between.
    case versionConflict(uid: String, stored: Int64, given: Int64)
    /// A file could not be read or written.
    case storage(String)

    /// The broad class of a failure, which the HTTP layer maps to a status.
    public enum Kind: Sendable { case invalid, tooLarge, notFound, conflict, storage }

    public var kind: Kind {
        switch self {
        case .tooLarge: .tooLarge
        case .invalidJSON, .notAnObject, .invalidField, .invalidUID, .uidMismatch: .invalid
        case .notFound: .notFound
        case .duplicateUID, .versionConflict: .conflict
        case .storage: .storage
        }
    }

    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit):
            "the dashboard is \(bytes) bytes; the limit is \(limit) bytes"
        case .invalidJSON(let reason, let excerpt):
            "the dashboard is not valid JSON (\(reason)): \(excerpt)"
        case .notAnObject(let found):
            "a dashboard must be a JSON object, got \(found)"
        case .invalidField(let name, let expected, let found):
            "\"\(name)\" must be \(expected), got \(found)"
        case .invalidUID(let uid):
            "invalid dashboard uid \"\(uid)\": use 1 to 40 letters, digits, \"-\" or \"_\""
        case .uidMismatch(let path, let body):
            "the body's uid \"\(body)\" differs from the uid \"\(path)\" in the path"
        case .notFound(let uid):
            "there is no dashboard with uid \"\(uid)\""
        case .duplicateUID(let uid):
            "a dashboard with uid \"\(uid)\" already exists"
        case .versionConflict(let uid, let stored, let given):
            "the dashboard \"\(uid)\" has been changed by someone else: version \(stored) is stored, this edit was based on version \(given)"
        case .storage(let message):
            "the dashboard store failed: \(message)"
        }
    }
}
