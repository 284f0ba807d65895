import Foundation
import Logging

/// What the dashboard list shows of one dashboard.
public struct DashboardSummary: Sendable, Equatable {
    public let uid: String
    public let title: String
    public let tags: [String]
    public let version: Int64
    /// When it was last saved, ISO 8601.
    public let updated: String
}

/// A stored dashboard: its uid, version and the JSON the API answers with.
public struct StoredDashboard: Sendable, Equatable {
    public let uid: String
    public let version: Int64
    public let json: [UInt8]
}

/// Dashboards kept as JSON files under `<data>/dashboards/<uid>.json`.
///
/// Saves are optimistic like Grafana's: every save bumps `version`, and an
/// update must name the version it was based on, else it is refused with
/// ``DashboardError/versionConflict(uid:stored:given:)`` instead of silently
/// overwriting someone else's edit. The actor runs on its own serial queue
/// (``SerialIOExecutor``), so its file I/O blocks no event loop, and each
/// check-then-write runs as one step.
public actor DashboardStore {
    /// Larger bodies are refused: a dashboard is a page of panels, not a data store.
    public static let maxDocumentBytes = 1 << 20

    private nonisolated let executor = SerialIOExecutor(label: "kansoku.dashboards")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private let files: DashboardFiles
    private let logger: Logger
    /// Summaries of every stored dashboard by uid, read from disk on first use.
    private var loadedIndex: [String: DashboardSummary]?

    /// `dataDirectory` is the server's data directory; the store uses its `dashboards` folder, created on the first save.
    public init(dataDirectory: String, logger: Logger) {
        self.files = DashboardFiles(directory: "\(dataDirectory)/dashboards")
        self.logger = logger
    }

    /// Every dashboard, by title.
    public func list() throws(DashboardError) -> [DashboardSummary] {
        try index().values.sorted { ($0.title.lowercased(), $0.uid) < ($1.title.lowercased(), $1.uid) }
    }

    public func get(uid: String) throws(DashboardError) -> StoredDashboard {
        guard DashboardDocument.isValidUID(uid) else { throw .invalidUID(uid) }
        guard let summary = try index()[uid] else { throw .notFound(uid: uid) }
        let json = try storageStep("read \(files.path(uid: uid))") { try files.read(uid: uid) }
        return StoredDashboard(uid: uid, version: summary.version, json: json)
    }

    /// Stores a new dashboard at version 1 under the body's uid, or a fresh one when it has none.
    public func create(_ body: [UInt8]) throws(DashboardError) -> StoredDashboard {
        let document = try DashboardDocument.parse(body)
        var index = try index()
        let uid: String
        if let chosen = document.uid {
            guard index[chosen] == nil else { throw .duplicateUID(chosen) }
            uid = chosen
        } else {
            uid = Self.freshUID(avoiding: index)
        }
        let stored = try save(document.stamped(uid: uid, version: 1, updated: Date()), into: &index)
        loadedIndex = index
        return stored
    }

    /// Replaces dashboard `uid`; the body's `version` must be the stored one.
    public func update(uid: String, _ body: [UInt8]) throws(DashboardError) -> StoredDashboard {
        guard DashboardDocument.isValidUID(uid) else { throw .invalidUID(uid) }
        let document = try DashboardDocument.parse(body)
        if let bodyUID = document.uid, bodyUID != uid { throw .uidMismatch(path: uid, body: bodyUID) }
        var index = try index()
        guard let current = index[uid] else { throw .notFound(uid: uid) }
        guard let given = document.version else {
            throw .invalidField(name: "version", expected: "the version this edit is based on (\(current.version) is stored)", found: "nothing")
        }
        guard given == current.version else { throw .versionConflict(uid: uid, stored: current.version, given: given) }
        let stored = try save(document.stamped(uid: uid, version: current.version + 1, updated: Date()), into: &index)
        loadedIndex = index
        return stored
    }

    public func delete(uid: String) throws(DashboardError) {
        guard DashboardDocument.isValidUID(uid) else { throw .invalidUID(uid) }
        guard try index()[uid] != nil else { throw .notFound(uid: uid) }
        try storageStep("delete \(files.path(uid: uid))") { try files.remove(uid: uid) }
        loadedIndex?[uid] = nil
    }

    private func save(_ document: DashboardDocument, into index: inout [String: DashboardSummary]) throws(DashboardError) -> StoredDashboard {
        let json = try document.encoded()
        guard let uid = document.uid, let version = document.version else { throw .storage("a stamped dashboard lacks uid or version") }
        try storageStep("write \(files.path(uid: uid))") { try files.write(json, uid: uid) }
        index[uid] = DashboardSummary(uid: uid, title: document.title, tags: document.tags, version: version, updated: document.updated)
        return StoredDashboard(uid: uid, version: version, json: json)
    }

    private func index() throws(DashboardError) -> [String: DashboardSummary] {
        if let loadedIndex { return loadedIndex }
        var index: [String: DashboardSummary] = [:]
        for uid in try storageStep("list \(files.directory)", { try files.uids() }) {
            // A file someone put there by hand may be anything: skip it rather than fail every request.
            do {
                guard DashboardDocument.isValidUID(uid) else { throw DashboardError.invalidUID(uid) }
                let document = try DashboardDocument.parse(try files.read(uid: uid), limit: .max)
                index[uid] = DashboardSummary(uid: uid, title: document.title, tags: document.tags,
                                              version: document.version ?? 1, updated: document.updated)
            } catch {
                logger.warning("skipping an unreadable dashboard file",
                               metadata: ["path": "\(files.path(uid: uid))", "error": "\(error)"])
            }
        }
        loadedIndex = index
        return index
    }

    private func storageStep<T>(_ what: String, _ body: () throws -> T) throws(DashboardError) -> T {
        do {
            return try body()
        } catch {
            throw .storage("\(what): \(error)")
        }
    }

    /// A random uid like Grafana's: 12 letters and digits.
    private static func freshUID(avoiding index: [String: DashboardSummary]) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        while true {
            let uid = String((0..<12).map { _ in alphabet.randomElement()! })
            if index[uid] == nil { return uid }
        }
    }
}
