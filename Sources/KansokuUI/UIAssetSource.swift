import Foundation
import NIOCore
import NIOPosix

/// Where the UI's files come from: the copy embedded at build time, or — while
/// developing the UI — a folder read on every request, so an edited script
/// shows on reload without rebuilding the server.
public enum UIAssetSource: Sendable {
    case embedded(UIAssetCatalog)
    /// The `Assets` folder to serve from, e.g. `Sources/KansokuUI/Assets`.
    case directory(String)

    func asset(at path: String) async -> UIAsset? {
        switch self {
        case .embedded(let catalog):
            return catalog[path]
        case .directory(let root):
            // Paths come from the URL: refuse anything that could climb out of the folder.
            guard !path.split(separator: "/").contains(where: { $0 == ".." || $0.hasPrefix(".") }) else { return nil }
            let file = URL(fileURLWithPath: root).appendingPathComponent(path)
            let text = try? await NIOThreadPool.singleton.runIfActive {
                String(data: try Data(contentsOf: file), encoding: .utf8)
            }
            guard let text = text ?? nil else { return nil }
            return UIAssetCatalog(files: [path: text])[path]
        }
    }
}
