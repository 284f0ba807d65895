import Foundation
import Hummingbird
import NIOCore

/// Reads an HTTP request body for a receiver: refuses it as soon as it passes
/// the limit rather than after buffering it all, and inflates gzip with the
/// same limit applied to the inflated size.
struct HTTPBodyReader: Sendable {
    /// Largest body accepted, measured after decompression.
    let maxBytes: Int
    /// Whether `Content-Encoding` is this reader's business. Receivers whose
    /// protocol fixes its own compression (remote write's snappy) read it themselves.
    var handlesContentEncoding = true

    func read(_ request: Request) async throws(IngestError) -> [UInt8] {
        let gzipped = handlesContentEncoding ? try Self.isGzip(request.headers[.contentEncoding]) : false
        var bytes = [UInt8]()
        if let length = request.headers[.contentLength].flatMap(Int.init) {
            guard length <= maxBytes else { throw .tooLarge(limit: maxBytes) }
            bytes.reserveCapacity(length)
        }
        do {
            for try await buffer in request.body {
                guard bytes.count + buffer.readableBytes <= maxBytes else { throw IngestError.tooLarge(limit: maxBytes) }
                buffer.withUnsafeReadableBytes { bytes.append(contentsOf: $0) }
            }
        } catch let error as IngestError {
            throw error
        } catch {
            throw .malformed("could not read the request body: \(error)")
        }
        return gzipped ? try GzipDecompressor.decompress(bytes, limit: maxBytes) : bytes
    }

    private static func isGzip(_ contentEncoding: String?) throws(IngestError) -> Bool {
        switch contentEncoding?.lowercased().trimmingCharacters(in: .whitespaces) {
        case nil, "", "identity": false
        case "gzip", "x-gzip": true
        case let other?: throw .malformed("unsupported Content-Encoding \"\(other)\": use gzip or none")
        }
    }
}
