import Foundation
import Hummingbird
import HummingbirdTesting
import KansokuAPI
import KansokuStorage
import Logging
import NIOCore
import Testing

@Suite("Dashboards API: status codes and JSON errors")
struct DashboardRoutesTests {
    static let base = "/api/kansoku/v1/dashboards"

    /// Runs `body` against the routes on a new store over `dir` (by default a fresh directory, removed afterwards).
    static func withApplication(dir: String? = nil, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let directory = dir ?? FileManager.default.temporaryDirectory.path + "/kansoku-dashboards-test-" + UUID().uuidString
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let router = Router()
        DashboardRoutes(store: DashboardStore(dataDirectory: directory, logger: Logger(label: "test"))).addRoutes(to: router)
        try await Application(router: router).test(.router, body)
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
    }

    static func send(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ text: String? = nil)
        async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: uri, method: method, body: text.map { ByteBuffer(string: $0) }) { response in
            (response.status, response.body.readableBytes == 0 ? [:] : try json(response.body))
        }
    }

    @Test("create, list, get, update and delete")
    func lifecycle() async throws {
        try await Self.withApplication { client in
            let (created, stored) = try await Self.send(client, .post, Self.base, #"{"title":"API","tags":["t"],"panels":[]}"#)
            #expect(created == .created)
            let uid = try #require(stored["uid"] as? String)
            #expect(stored["version"] as? Int == 1)

            let (listed, list) = try await Self.send(client, .get, Self.base)
            #expect(listed == .ok)
            let entries = try #require(list["dashboards"] as? [[String: Any]])
            #expect(entries.map { $0["uid"] as? String } == [uid])
            #expect(entries.first?["tags"] as? [String] == ["t"])
            #expect(entries.first?["version"] as? Int == 1)

            let (got, document) = try await Self.send(client, .get, "\(Self.base)/\(uid)")
            #expect(got == .ok && document["title"] as? String == "API")

            let (updated, next) = try await Self.send(client, .put, "\(Self.base)/\(uid)", #"{"title":"API 2","version":1}"#)
            #expect(updated == .ok && next["version"] as? Int == 2 && next["uid"] as? String == uid)

            let (deleted, _) = try await Self.send(client, .delete, "\(Self.base)/\(uid)")
            #expect(deleted == .noContent)
            let (missing, error) = try await Self.send(client, .get, "\(Self.base)/\(uid)")
            #expect(missing == .notFound)
            #expect((error["error"] as? String)?.contains(uid) == true)
        }
    }

    @Test("refusals: 400 invalid, 404 unknown, 409 duplicate and stale version, 413 too large")
    func refusals() async throws {
        try await Self.withApplication { client in
            _ = try await Self.send(client, .post, Self.base, #"{"uid":"one","title":"One"}"#)
            let cases: [(HTTPRequest.Method, String, String?, HTTPResponse.Status, String)] = [
                (.post, Self.base, #"{"title":""}"#, .badRequest, "\"title\" must be a non-empty string"),
                (.post, Self.base, "not json", .badRequest, "not valid JSON"),
                (.post, Self.base, #"{"title":"x","panels":"no"}"#, .badRequest, "\"panels\" must be an array of panels, got \"no\""),
                (.post, Self.base, #"{"uid":"one","title":"Again"}"#, .conflict, "already exists"),
                (.put, "\(Self.base)/one", #"{"title":"stale","version":7}"#, .conflict, "has been changed by someone else"),
                (.put, "\(Self.base)/nope", #"{"title":"x","version":1}"#, .notFound, "no dashboard with uid \"nope\""),
                (.delete, "\(Self.base)/nope", nil, .notFound, "nope"),
                (.get, "\(Self.base)/b%20d", nil, .badRequest, "invalid dashboard uid"),
            ]
            for (method, uri, body, status, message) in cases {
                let (got, error) = try await Self.send(client, method, uri, body)
                #expect(got == status, "\(method) \(uri) \(body ?? "")")
                #expect(error["status"] as? String == "error")
                #expect((error["error"] as? String)?.contains(message) == true, "\(error)")
            }
            let big = #"{"title":"big","pad":""# + String(repeating: "x", count: DashboardStore.maxDocumentBytes) + #""}"#
            let (tooLarge, error) = try await Self.send(client, .post, Self.base, big)
            #expect(tooLarge == .contentTooLarge)
            #expect((error["error"] as? String)?.contains("limit") == true)
        }
    }

    @Test("dashboards survive a restart: new routes on a new store over the same directory")
    func restart() async throws {
        let directory = FileManager.default.temporaryDirectory.path + "/kansoku-dashboards-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withApplication(dir: directory) { client in
            _ = try await Self.send(client, .post, Self.base, #"{"uid":"persist","title":"Persisted","panels":[{"id":1}]}"#)
        }
        try await Self.withApplication(dir: directory) { client in
            let (status, document) = try await Self.send(client, .get, "\(Self.base)/persist")
            #expect(status == .ok)
            #expect(document["title"] as? String == "Persisted")
            #expect((document["panels"] as? [[String: Any]])?.count == 1)
        }
    }
}
