import Hummingbird
import KansokuStorage
import NIOCore

/// Kansoku's dashboards, stored in the data directory (``DashboardStore``):
///
/// | request | answer |
/// |---|---|
/// | `GET /api/kansoku/v1/dashboards` | `{"dashboards":[{uid,title,tags,version,updated}]}` |
/// | `POST /api/kansoku/v1/dashboards` | 201 and the stored dashboard (uid assigned if absent, version 1) |
/// | `GET /api/kansoku/v1/dashboards/{uid}` | the dashboard JSON |
/// | `PUT /api/kansoku/v1/dashboards/{uid}` | the stored dashboard; the body's `version` must be the stored one |
/// | `DELETE /api/kansoku/v1/dashboards/{uid}` | 204 |
///
/// Failures answer `{"status":"error","errorType":…,"error":message}` with 400
/// (invalid), 404 (unknown uid), 409 (duplicate uid, stale version) or 413 (too large).
public struct DashboardRoutes: Sendable {
    public let store: DashboardStore

    public init(store: DashboardStore) {
        self.store = store
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let store = self.store
        let base = "/api/kansoku/v1/dashboards"
        router.get(RouterPath(base)) { _, _ in
            await Self.answer { DashboardResponse.list(try await store.list()) }
        }
        router.post(RouterPath(base)) { request, _ in
            await Self.answer {
                let stored = try await store.create(try await Self.body(of: request))
                return DashboardResponse.dashboard(stored, status: .created)
            }
        }
        router.get(RouterPath(base + "/:uid")) { _, context in
            await Self.answer { DashboardResponse.dashboard(try await store.get(uid: Self.uid(context))) }
        }
        router.put(RouterPath(base + "/:uid")) { request, context in
            await Self.answer {
                DashboardResponse.dashboard(try await store.update(uid: Self.uid(context), try await Self.body(of: request)))
            }
        }
        router.delete(RouterPath(base + "/:uid")) { _, context in
            await Self.answer {
                try await store.delete(uid: Self.uid(context))
                return Response(status: .noContent)
            }
        }
    }

    private static func uid(_ context: some RequestContext) -> String {
        context.parameters.get("uid") ?? ""
    }

    /// The request body, refused early (by its Content-Length) or while reading once it passes the limit.
    private static func body(of request: Request) async throws -> [UInt8] {
        let limit = DashboardStore.maxDocumentBytes
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw DashboardError.tooLarge(bytes: declared, limit: limit)
        }
        do {
            return Array(buffer: try await request.body.collect(upTo: limit))
        } catch is NIOTooManyBytesError {
            throw DashboardError.tooLarge(bytes: limit + 1, limit: limit)
        }
    }

    /// Runs one request, turning the store's refusals into JSON errors with their status.
    private static func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as DashboardError {
            return DashboardResponse.error(error)
        } catch {
            return DashboardResponse.error(.storage("\(error)"))
        }
    }
}
