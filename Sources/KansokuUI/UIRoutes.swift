import Hummingbird
import NIOCore

/// Serves the web UI on the API port: `/` redirects to `/ui/`, files come from
/// `/ui/assets/…`, and every other `/ui/…` path without a file extension gets
/// `index.html`, because views keep their state in the URL (`/ui/traces?service=…`)
/// and a shared link must open the same view.
public struct UIRoutes: Sendable {
    public let source: UIAssetSource

    public init(source: UIAssetSource = .embedded(.embedded)) {
        self.source = source
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/") { _, _ in
            Response(status: .found, headers: [.location: "/ui/"])
        }
        // Hummingbird matches `/ui` and `/ui/` alike.
        router.get("/ui") { request, _ in
            await serve("index.html", request: request)
        }
        router.get("/ui/**") { request, context in
            let rest = context.parameters.getCatchAll().joined(separator: "/")
            return await serve(Self.assetPath(forUIPath: rest), request: request)
        }
    }

    /// The asset behind a path below `/ui/`: a file under `assets/`, or the page shell for a view.
    static func assetPath(forUIPath rest: String) -> String {
        if rest.hasPrefix("assets/") { return String(rest.dropFirst("assets/".count)) }
        let last = rest.split(separator: "/").last ?? ""
        return last.contains(".") ? rest : "index.html"
    }

    func serve(_ path: String, request: Request) async -> Response {
        guard let asset = await source.asset(at: path) else {
            return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "no UI file at \(request.uri.path)\n")))
        }
        var headers: HTTPFields = [.eTag: asset.etag, .cacheControl: "no-cache"]
        if request.headers[.ifNoneMatch] == asset.etag {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.body))
    }
}
