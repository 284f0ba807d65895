import Foundation

/// One dashboard as a validated JSON object: a non-empty `title`, `panels` an
/// array of objects, `tags` strings. The store owns `uid`, `version` and
/// `updated`; everything else is kept as the client wrote it.
public struct DashboardDocument: Sendable, Equatable {
    public private(set) var fields: [String: DashboardJSON]

    /// Parses and validates a request body or a stored file.
    public static func parse(_ bytes: [UInt8], limit: Int = DashboardStore.maxDocumentBytes) throws(DashboardError) -> DashboardDocument {
        guard bytes.count <= limit else { throw .tooLarge(bytes: bytes.count, limit: limit) }
        let value: DashboardJSON
        do {
            value = try JSONDecoder().decode(DashboardJSON.self, from: Data(bytes))
        } catch {
            throw .invalidJSON(reason: Self.reason(error), excerpt: Self.excerpt(bytes))
        }
        guard case .object(let fields) = value else { throw .notAnObject(found: value.kindDescription) }
        let document = DashboardDocument(fields: fields)
        try document.validate()
        return document
    }

    private init(fields: [String: DashboardJSON]) {
        self.fields = fields
    }

    private func validate() throws(DashboardError) {
        guard case .string(let title)? = fields["title"], !title.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidField(name: "title", expected: "a non-empty string", found: fields["title"]?.excerpt() ?? "nothing")
        }
        switch fields["panels"] {
        case nil, .array?: break
        case let other?: throw .invalidField(name: "panels", expected: "an array of panels", found: other.excerpt())
        }
        if case .array(let panels)? = fields["panels"] {
            for (index, panel) in panels.enumerated() {
                guard case .object = panel else {
                    throw .invalidField(name: "panels[\(index)]", expected: "an object", found: panel.excerpt())
                }
            }
        }
        switch fields["tags"] {
        case nil, .null?: break
        case .array(let tags)? where tags.allSatisfy({ if case .string = $0 { true } else { false } }): break
        case let other?: throw .invalidField(name: "tags", expected: "an array of strings", found: other.excerpt())
        }
        switch fields["version"] {
        case nil, .null?, .integer?: break
        case let other?: throw .invalidField(name: "version", expected: "an integer", found: other.excerpt())
        }
        switch fields["uid"] {
        case nil, .null?: break
        case .string(let uid)?: if !uid.isEmpty && !Self.isValidUID(uid) { throw .invalidUID(uid) }
        case let other?: throw .invalidField(name: "uid", expected: "a string", found: other.excerpt())
        }
    }

    /// A uid is a file name in the dashboards directory, so it is kept to a safe alphabet (Grafana's).
    public static func isValidUID(_ uid: String) -> Bool {
        (1...40).contains(uid.utf8.count) && uid.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    /// The uid the client chose; nil when it left it to the server (absent, null or "").
    public var uid: String? {
        if case .string(let uid)? = fields["uid"], !uid.isEmpty { return uid }
        return nil
    }

    public var title: String {
        if case .string(let title)? = fields["title"] { return title }
        return ""
    }

    public var tags: [String] {
        guard case .array(let tags)? = fields["tags"] else { return [] }
        return tags.compactMap { if case .string(let tag) = $0 { tag } else { nil } }
    }

    public var version: Int64? {
        if case .integer(let version)? = fields["version"] { return version }
        return nil
    }

    public var updated: String {
        if case .string(let updated)? = fields["updated"] { return updated }
        return ""
    }

    /// The document with the fields the store owns set; `panels` defaults to an empty array.
    func stamped(uid: String, version: Int64, updated: Date) -> DashboardDocument {
        var copy = self
        copy.fields["uid"] = .string(uid)
        copy.fields["version"] = .integer(version)
        copy.fields["updated"] = .string(updated.formatted(.iso8601))
        if copy.fields["panels"] == nil { copy.fields["panels"] = .array([]) }
        return copy
    }

    /// Compact JSON with sorted keys, as the file stores it and the API answers.
    public func encoded() throws(DashboardError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(DashboardJSON.object(fields)))
        } catch {
            throw .storage("cannot encode the dashboard: \(error)")
        }
    }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = context.underlyingError.map { " \(($0 as NSError).userInfo[NSDebugDescriptionErrorKey] ?? $0)" } ?? ""
            return context.debugDescription + underlying
        }
        return "\(error)"
    }

    private static func excerpt(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(80), as: UTF8.self)
        return bytes.count > 80 ? text + "…" : text
    }
}
