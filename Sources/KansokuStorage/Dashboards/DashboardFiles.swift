#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The dashboards directory on disk: one `<uid>.json` per dashboard. Every
/// write goes to `<uid>.json.tmp`, is fsynced, renamed over the old file and
/// the directory fsynced, so a crash leaves the old dashboard or the new one,
/// never half of one. All calls block; ``DashboardStore`` runs them on its own queue.
struct DashboardFiles: Sendable {
    static let fileExtension = ".json"
    static let temporarySuffix = ".tmp"

    let directory: String

    func path(uid: String) -> String {
        "\(directory)/\(uid)\(Self.fileExtension)"
    }

    /// The uids of the stored dashboards; removes temporary files a crash left behind.
    func uids() throws -> [String] {
        let names: [String]
        do {
            names = try POSIXFile.listDirectory(directory)
        } catch WALError.io(_, _, let code) where code == ENOENT {
            return []
        }
        var uids: [String] = []
        for name in names {
            if name.hasSuffix(Self.temporarySuffix) {
                try POSIXFile.unlinkIfPresent("\(directory)/\(name)")
            } else if name.hasSuffix(Self.fileExtension) {
                uids.append(String(name.dropLast(Self.fileExtension.count)))
            }
        }
        return uids
    }

    func read(uid: String) throws -> [UInt8] {
        let path = path(uid: uid)
        let fd = try POSIXFile.open(path, flags: O_RDONLY)
        defer { POSIXFile.close(fd) }
        var bytes = [UInt8](repeating: 0, count: Int(try POSIXFile.size(fd, path: path)))
        var done = 0
        while done < bytes.count {
            let n = try bytes.withUnsafeMutableBytes { buffer in
                try POSIXFile.pread(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: UInt64(done), path: path)
            }
            if n == 0 { break }
            done += n
        }
        return Array(bytes.prefix(done))
    }

    func write(_ bytes: [UInt8], uid: String) throws {
        let created = try POSIXFile.makeDirectories(directory)
        if let outermost = created.first {
            try POSIXFile.syncDirectory(Self.parent(of: outermost))
        }
        let path = path(uid: uid)
        let temporary = path + Self.temporarySuffix
        let fd = try POSIXFile.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
        do {
            try bytes.withUnsafeBytes { try POSIXFile.pwriteAll(fd, $0, at: 0, path: temporary) }
            try POSIXFile.sync(fd, path: temporary)
        } catch {
            POSIXFile.close(fd)
            try? POSIXFile.unlinkIfPresent(temporary)
            throw error
        }
        POSIXFile.close(fd)
        if rename(temporary, path) != 0 { throw WALError.io(operation: "rename", path: path, errno: errno) }
        try POSIXFile.syncDirectory(directory)
    }

    func remove(uid: String) throws {
        try POSIXFile.unlinkIfPresent(path(uid: uid))
        try POSIXFile.syncDirectory(directory)
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
