import Foundation
import Logging
import Testing
@testable import KansokuStorage

@Suite("Dashboard store: JSON files in the data directory")
struct DashboardStoreTests {
    static func store(_ dir: String) -> DashboardStore {
        DashboardStore(dataDirectory: dir, logger: Logger(label: "test"))
    }

    static func body(_ object: [String: Any]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: object))
    }

    static func object(_ json: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
    }

    /// JSON text with sorted keys, to compare decoded objects.
    static func canonical(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static var panel: [String: Any] { [
        "id": 1, "title": "Requests", "type": "timeseries",
        "gridPos": ["x": 0, "y": 0, "w": 12, "h": 8],
        "targets": [["expr": "sum by (job) (rate(http_requests_total[5m]))", "legendFormat": "{{job}}"]],
        "fieldConfig": ["defaults": ["unit": "reqps", "decimals": 1.5]],
    ] }

    @Test("create, get, list and delete give back what was saved, with uid, version and updated set")
    func roundTrip() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = Self.store(dir)
            let created = try await store.create(Self.body(["title": "Service", "tags": ["web", "prod"], "panels": [Self.panel]]))
            #expect(created.version == 1)
            #expect(DashboardDocument.isValidUID(created.uid))

            let fetched = try await store.get(uid: created.uid)
            #expect(fetched == created)
            let document = try Self.object(fetched.json)
            #expect(document["uid"] as? String == created.uid)
            #expect(document["version"] as? Int == 1)
            #expect(document["title"] as? String == "Service")
            #expect(!(document["updated"] as? String ?? "").isEmpty)
            let panels = try #require(document["panels"] as? [[String: Any]])
            #expect(panels.count == 1)
            #expect(try Self.canonical(panels[0]) == Self.canonical(Self.panel), "fields the store does not read come back unchanged")

            let list = try await store.list()
            #expect(list.map(\.uid) == [created.uid])
            #expect(list.first?.tags == ["web", "prod"])
            #expect(FileManager.default.fileExists(atPath: "\(dir)/dashboards/\(created.uid).json"))

            try await store.delete(uid: created.uid)
            #expect(try await store.list().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/dashboards/\(created.uid).json"))
            await #expect(throws: DashboardError.notFound(uid: created.uid)) { try await store.get(uid: created.uid) }
        }
    }

    @Test("a chosen uid is kept; creating it twice is a conflict; the list is sorted by title")
    func chosenUIDs() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = Self.store(dir)
            _ = try await store.create(Self.body(["uid": "zeta", "title": "beta"]))
            _ = try await store.create(Self.body(["uid": "alpha", "title": "Gamma"]))
            _ = try await store.create(Self.body(["uid": "", "title": "Alpha"]))
            #expect(try await store.list().map(\.title) == ["Alpha", "beta", "Gamma"])
            await #expect(throws: DashboardError.duplicateUID("zeta")) {
                try await store.create(Self.body(["uid": "zeta", "title": "again"]))
            }
        }
    }

    @Test("an update must name the stored version; a stale one is refused and changes nothing")
    func versionConflict() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = Self.store(dir)
            let created = try await store.create(Self.body(["uid": "svc", "title": "v1"]))
            let second = try await store.update(uid: "svc", Self.body(["title": "v2", "version": 1]))
            #expect(second.version == 2)
            await #expect(throws: DashboardError.versionConflict(uid: "svc", stored: 2, given: 1)) {
                try await store.update(uid: "svc", Self.body(["title": "someone else's v2", "version": 1]))
            }
            #expect(try Self.object(await store.get(uid: "svc").json)["title"] as? String == "v2")
            await #expect(throws: DashboardError.self) { try await store.update(uid: "svc", Self.body(["title": "no version"])) }
            await #expect(throws: DashboardError.uidMismatch(path: "svc", body: "other")) {
                try await store.update(uid: "svc", Self.body(["uid": "other", "title": "x", "version": 2]))
            }
            await #expect(throws: DashboardError.notFound(uid: "missing")) {
                try await store.update(uid: "missing", Self.body(["title": "x", "version": 1]))
            }
            #expect(created.version == 1)
        }
    }

    @Test("invalid documents are refused with the offending input named")
    func invalidInput() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = Self.store(dir)
            let cases: [(String, DashboardError)] = [
                ("{\"title\": ", .invalidJSON(reason: "", excerpt: "{\"title\": ")),
                ("[1, 2]", .notAnObject(found: "an array")),
                ("{\"panels\": []}", .invalidField(name: "title", expected: "a non-empty string", found: "nothing")),
                ("{\"title\": \"  \"}", .invalidField(name: "title", expected: "a non-empty string", found: "\"  \"")),
                ("{\"title\": 42}", .invalidField(name: "title", expected: "a non-empty string", found: "42")),
                ("{\"title\": \"t\", \"panels\": {\"a\": 1}}", .invalidField(name: "panels", expected: "an array of panels", found: "{\"a\":1}")),
                ("{\"title\": \"t\", \"panels\": [3]}", .invalidField(name: "panels[0]", expected: "an object", found: "3")),
                ("{\"title\": \"t\", \"tags\": [\"a\", 1]}", .invalidField(name: "tags", expected: "an array of strings", found: "[\"a\",1]")),
                ("{\"title\": \"t\", \"uid\": \"../etc/passwd\"}", .invalidUID("../etc/passwd")),
            ]
            for (text, expected) in cases {
                do {
                    _ = try await store.create(Array(text.utf8))
                    Issue.record("\(text) was accepted")
                } catch let error as DashboardError {
                    if case .invalidJSON(_, let excerpt) = expected, case .invalidJSON(let reason, let got) = error {
                        #expect(got == excerpt && !reason.isEmpty, "\(text)")
                    } else {
                        #expect(error == expected, "\(text)")
                    }
                    #expect(error.kind == .invalid)
                } catch {
                    Issue.record("\(text): unexpected \(error)")
                }
            }
            let big = Array("{\"title\": \"big\", \"pad\": \"\(String(repeating: "x", count: DashboardStore.maxDocumentBytes))\"}".utf8)
            await #expect(throws: DashboardError.tooLarge(bytes: big.count, limit: DashboardStore.maxDocumentBytes)) {
                try await store.create(big)
            }
            await #expect(throws: DashboardError.invalidUID("a/b")) { try await store.get(uid: "a/b") }
            let stored = try await store.list()
            #expect(stored.isEmpty, "nothing was stored")
        }
    }

    @Test("a new store on the same directory sees every saved dashboard and its version; leftovers of a crashed write are dropped")
    func restartPersistence() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let first = Self.store(dir)
            _ = try await first.create(Self.body(["uid": "kept", "title": "Kept", "panels": [Self.panel]]))
            _ = try await first.update(uid: "kept", Self.body(["title": "Kept v2", "version": 1, "panels": [Self.panel]]))
            let gone = try await first.create(Self.body(["title": "Gone"]))
            try await first.delete(uid: gone.uid)
            let before = try await first.get(uid: "kept")

            // A write the crash interrupted, and a file that is not a dashboard.
            try Data("{\"title\": \"half".utf8).write(to: URL(fileURLWithPath: "\(dir)/dashboards/kept.json.tmp"))
            try Data("not json".utf8).write(to: URL(fileURLWithPath: "\(dir)/dashboards/junk.json"))

            let second = Self.store(dir)
            #expect(try await second.list().map(\.uid) == ["kept"])
            #expect(try await second.get(uid: "kept") == before)
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/dashboards/kept.json.tmp"))
            await #expect(throws: DashboardError.versionConflict(uid: "kept", stored: 2, given: 1)) {
                try await second.update(uid: "kept", Self.body(["title": "stale", "version": 1]))
            }
            #expect(try await second.update(uid: "kept", Self.body(["title": "Kept v3", "version": 2])).version == 3)
        }
    }

    @Test("concurrent updates from the same version: exactly one wins")
    func concurrentUpdates() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = Self.store(dir)
            _ = try await store.create(Self.body(["uid": "race", "title": "start"]))
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<8 {
                    group.addTask { (try? await store.update(uid: "race", Self.body(["title": "writer \(i)", "version": 1]))) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await store.get(uid: "race").version == 2)
        }
    }
}
