import Foundation
import Hummingbird
import KansokuModel
import NIOCore
import NIOPosix

/// Small pieces the read routes share: running store reads off the event
/// loops, JSON answers, the clock, and lenient trace-id parsing.
enum RouteSupport {
    /// A trace id as Jaeger and Tempo accept it: 1 to 32 hex digits (64-bit ids, leading zeros dropped), left-padded.
    static func traceID(_ text: String) -> TraceID? {
        guard (1...32).contains(text.utf8.count) else { return nil }
        return TraceID(hex: String(repeating: "0", count: 32 - text.utf8.count) + text)
    }

    static func nowMicros() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1_000_000)
    }

    /// Store reads are blocking file I/O: run them on the thread pool, not the event loops.
    static func blocking(_ body: @escaping @Sendable () throws -> [UInt8]) async throws -> Response {
        json(try await NIOThreadPool.singleton.runIfActive(body))
    }

    static func json(_ body: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A 400 with `{"status":"error","error":message}`.
    static func badRequest(_ message: String) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.key("status"); json.string("error")
        json.key("error"); json.string(message)
        json.endObject()
        return Self.json(json.bytes, status: .badRequest)
    }
}
