import Foundation
import PackagePlugin

/// Turns the files under a target's `Assets/` folder into Swift source at build
/// time, so the web UI ships inside the `kansoku` binary with no separate build
/// step and no resource bundle beside it.
@main
struct EmbedUIAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let assets = module.directoryURL.appending(path: "Assets")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedUIAssets.swift")
        return [
            .buildCommand(
                displayName: "Embedding UI assets of \(target.name)",
                executable: try context.tool(named: "kansoku-embed-assets").url,
                arguments: [assets.path(percentEncoded: false), output.path(percentEncoded: false)],
                inputFiles: try Self.files(under: assets),
                outputFiles: [output])
        ]
    }

    /// Every regular file below `directory`, so that editing, adding or removing one reruns the embedder.
    static func files(under directory: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        var files: [URL] = []
        for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            files.append(url)
        }
        return files.sorted { $0.path < $1.path }
    }
}
