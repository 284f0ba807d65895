import Foundation
import Hummingbird
import HummingbirdTesting
import KansokuUI
import Testing

@Suite struct UIRoutesTests {
    func application() -> some ApplicationProtocol {
        let router = Router()
        UIRoutes().addRoutes(to: router)
        return Application(router: router)
    }

    @Test func rootRedirectsToTheUI() async throws {
        try await application().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .found)
                #expect(response.headers[.location] == "/ui/")
            }
        }
    }

    @Test func viewPathsServeThePageShell() async throws {
        try await application().test(.router) { client in
            for path in ["/ui/", "/ui/metrics", "/ui/traces/4bf92f3577b34da6a3ce929d0e0e4736"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                    #expect(String(buffer: response.body).contains("<main id=\"view\""), "\(path)")
                }
            }
        }
    }

    @Test func assetsCarryTheirContentTypeAndRevalidate() async throws {
        try await application().test(.router) { client in
            let etag = try await client.execute(uri: "/ui/assets/js/app.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-cache")
                return try #require(response.headers[.eTag])
            }
            try await client.execute(uri: "/ui/assets/js/app.js", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/ui/assets/css/kansoku.css", method: .get) { response in
                #expect(response.headers[.contentType] == "text/css; charset=utf-8")
            }
        }
    }

    @Test func missingFilesAre404NamingThePath() async throws {
        try await application().test(.router) { client in
            try await client.execute(uri: "/ui/assets/js/nope.js", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("/ui/assets/js/nope.js"))
            }
        }
    }

    @Test func aDirectorySourceServesEditsWithoutRebuildingAndStaysInsideTheFolder() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kansoku-ui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("js"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("<main id=\"view\"></main>\n".utf8).write(to: root.appendingPathComponent("index.html"))
        try Data("export const v = 1;\n".utf8).write(to: root.appendingPathComponent("js/app.js"))
        let router = Router()
        UIRoutes(source: .directory(root.path)).addRoutes(to: router)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/ui/logs", method: .get) { response in
                #expect(String(buffer: response.body) == "<main id=\"view\"></main>\n")
            }
            try Data("export const v = 2;\n".utf8).write(to: root.appendingPathComponent("js/app.js"))
            try await client.execute(uri: "/ui/assets/js/app.js", method: .get) { response in
                #expect(String(buffer: response.body) == "export const v = 2;\n")
            }
            try await client.execute(uri: "/ui/assets/../index.html", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func embeddedCatalogHoldsTheFilesExactly() throws {
        let catalog = UIAssetCatalog.embedded
        #expect(catalog["index.html"] != nil)
        #expect(catalog["js/app.js"] != nil)
        // The embedder must keep text byte for byte, including backslashes and quotes a raw literal could trip on.
        let app = try #require(catalog["js/app.js"])
        #expect(String(buffer: app.body).hasSuffix("render();\n"))
    }

    /// Every relative module path in the UI's scripts (`import … from "./x.js"`, and the page
    /// modules the router loads) names an embedded file, so a renamed module fails here rather
    /// than as a blank page in a browser.
    @Test func everyModulePathResolves() throws {
        let catalog = UIAssetCatalog.embedded
        for path in catalog.paths where path.hasSuffix(".js") {
            let text = String(buffer: try #require(catalog[path]).body)
            let directory = path.split(separator: "/").dropLast().map(String.init)
            for match in text.matches(of: /["'](\.\.?\/[^"'\s]+\.js)["']/) {
                let target = String(match.output.1)
                let resolved = Self.resolve(target, from: directory)
                #expect(catalog[resolved] != nil, "\(path) names \(target), which resolves to \(resolved), not an embedded file")
            }
        }
    }

    static func resolve(_ target: String, from directory: [String]) -> String {
        var parts = directory
        for piece in target.split(separator: "/") {
            if piece == "." { continue }
            if piece == ".." { _ = parts.popLast() } else { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }
}
