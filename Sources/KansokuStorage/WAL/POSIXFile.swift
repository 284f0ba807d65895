#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the system calls the log needs. Raw POSIX rather than
/// Foundation's `FileHandle` because durability hinges on exactly which calls
/// happen (`pwrite`, `fdatasync`, `ftruncate`, directory `fsync`) and on the
/// `errno` each one sets, which ``WALError/io(operation:path:errno:)`` carries.
enum POSIXFile {
    static func open(_ path: String, flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
        while true {
            #if canImport(Darwin)
            let fd = Darwin.open(path, flags | O_CLOEXEC, mode)
            #else
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            #endif
            if fd >= 0 { return fd }
            if errno != EINTR { throw WALError.io(operation: "open", path: path, errno: errno) }
        }
    }

    /// Closes without reporting: by the time a descriptor is closed everything
    /// that matters has been synced (or has already failed loudly).
    static func close(_ fd: Int32) {
        #if canImport(Darwin)
        _ = Darwin.close(fd)
        #else
        _ = Glibc.close(fd)
        #endif
    }

    /// Writes all of `bytes` at `offset`, looping over short writes and `EINTR`.
    static func pwriteAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64, path: String) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw WALError.io(operation: "pwrite", path: path, errno: errno)
            }
            done += n
        }
    }

    /// Writes all of `first` and then all of `second` at `offset` with
    /// `pwritev`, looping over short writes and `EINTR`; either may be empty.
    static func pwriteAll(_ fd: Int32, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer,
                          at offset: UInt64, path: String) throws {
        guard !first.isEmpty else { return try pwriteAll(fd, second, at: offset, path: path) }
        guard !second.isEmpty else { return try pwriteAll(fd, first, at: offset, path: path) }
        var done = 0
        while done < first.count {
            var vectors = [
                iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress! + done), iov_len: first.count - done),
                iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress!), iov_len: second.count),
            ]
            let n = pwritev(fd, &vectors, 2, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw WALError.io(operation: "pwritev", path: path, errno: errno)
            }
            done += n
        }
        // The first buffer is out; finish the second (if the write stopped short in it).
        let written = done - first.count
        try pwriteAll(fd, UnsafeRawBufferPointer(rebasing: second[written...]), at: offset + UInt64(done), path: path)
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns 0 only at end of file.
    static func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, path: String) throws -> Int {
        while true {
            #if canImport(Darwin)
            let n = Darwin.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            #else
            let n = Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            #endif
            if n >= 0 { return n }
            if errno != EINTR { throw WALError.io(operation: "pread", path: path, errno: errno) }
        }
    }

    /// Makes written data durable. `fdatasync` on Linux skips the inode
    /// timestamp update but still flushes a size change, which is all a reader
    /// needs; on Darwin plain `fsync` does not reach the platter, `F_FULLFSYNC` does.
    static func syncData(_ fd: Int32, path: String) throws {
        #if canImport(Darwin)
        if fcntl(fd, F_FULLFSYNC) != 0 { throw WALError.io(operation: "fcntl(F_FULLFSYNC)", path: path, errno: errno) }
        #else
        while fdatasync(fd) != 0 {
            if errno != EINTR { throw WALError.io(operation: "fdatasync", path: path, errno: errno) }
        }
        #endif
    }

    /// Full `fsync`, for metadata changes (truncation, directory entries).
    static func sync(_ fd: Int32, path: String) throws {
        while fsync(fd) != 0 {
            if errno != EINTR { throw WALError.io(operation: "fsync", path: path, errno: errno) }
        }
    }

    static func truncate(_ fd: Int32, to size: UInt64, path: String) throws {
        while ftruncate(fd, off_t(size)) != 0 {
            if errno != EINTR { throw WALError.io(operation: "ftruncate", path: path, errno: errno) }
        }
    }

    static func size(_ fd: Int32, path: String) throws -> UInt64 {
        var info = stat()
        if fstat(fd, &info) != 0 { throw WALError.io(operation: "fstat", path: path, errno: errno) }
        return UInt64(info.st_size)
    }

    /// `fsync`s a directory so that files created, renamed or removed in it
    /// survive a crash: the entries live in the directory, not in the files.
    static func syncDirectory(_ path: String) throws {
        let fd = try open(path, flags: O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try sync(fd, path: path)
    }

    /// `mkdir -p`: creates `path` and any missing parents; returns the
    /// directories it created, outermost first.
    static func makeDirectories(_ path: String) throws -> [String] {
        var created: [String] = []
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            if mkdir(prefix, 0o755) == 0 {
                created.append(prefix)
            } else if errno != EEXIST {
                throw WALError.io(operation: "mkdir", path: prefix, errno: errno)
            }
        }
        return created
    }

    /// Names of the entries of a directory, without `.` and `..`.
    static func listDirectory(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw WALError.io(operation: "opendir", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Takes a non-blocking exclusive `flock` on the file at `path` (created if
    /// missing) and returns its descriptor; the lock lasts until it is closed.
    static func lockFile(_ path: String) throws -> Int32 {
        let fd = try open(path, flags: O_RDWR | O_CREAT)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            if code == EWOULDBLOCK { throw WALError.locked(path: path) }
            throw WALError.io(operation: "flock", path: path, errno: code)
        }
        return fd
    }

    /// Removes a file; a file that is already gone counts as removed.
    static func unlinkIfPresent(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw WALError.io(operation: "unlink", path: path, errno: errno)
        }
    }
}
