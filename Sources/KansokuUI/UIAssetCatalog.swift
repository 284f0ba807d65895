import NIOCore

/// One file of the web UI, ready to serve.
public struct UIAsset: Sendable {
    /// Path relative to `Assets/`, e.g. `js/app.js`.
    public let path: String
    public let contentType: String
    public let body: ByteBuffer
    /// A strong validator derived from the content, so browsers revalidate cheaply after an upgrade.
    public let etag: String
}

/// The UI's files, embedded in the binary at build time by the EmbedUIAssets plugin.
public struct UIAssetCatalog: Sendable {
    private let assets: [String: UIAsset]

    /// The catalog of what this binary was built with.
    public static let embedded = UIAssetCatalog(files: EmbeddedUIAssets.files)

    /// `files` maps a path relative to `Assets/` to the file's text.
    public init(files: [String: String]) {
        var assets: [String: UIAsset] = [:]
        for (path, text) in files {
            assets[path] = UIAsset(path: path, contentType: Self.contentType(forPath: path),
                                   body: ByteBuffer(string: text), etag: "\"\(Self.fnv1a64(text))\"")
        }
        self.assets = assets
    }

    public subscript(path: String) -> UIAsset? { assets[path] }

    public var paths: [String] { assets.keys.sorted() }

    static func contentType(forPath path: String) -> String {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        // Module scripts are refused by browsers unless served with a JavaScript type.
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json": return "application/json; charset=utf-8"
        case "svg": return "image/svg+xml"
        default: return "text/plain; charset=utf-8"
        }
    }

    static func fnv1a64(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
