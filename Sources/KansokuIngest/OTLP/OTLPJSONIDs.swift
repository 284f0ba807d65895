import Foundation
import KansokuModel

/// OTLP/JSON differs from the standard protobuf JSON mapping in one way that
/// matters for decoding: trace and span ids are hex strings, not base64. This
/// rewrites those fields to base64 so the standard decoder can take the rest
/// (int64 as strings, enums as integers, camelCase or original field names).
enum OTLPJSONIDs {
    /// The id fields of OTLP, in both the camelCase and the original spelling.
    private static let idKeys: Set<String> = [
        "traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id",
    ]

    static func rewriteHexIDs(_ body: [UInt8]) throws(IngestError) -> Data {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            throw .malformed("invalid JSON: \(describe(error))")
        }
        guard root is [String: Any] else { throw .malformed("invalid JSON: the body must be a JSON object") }
        let rewritten = try rewrite(root, path: "")
        do {
            return try JSONSerialization.data(withJSONObject: rewritten)
        } catch {
            throw .malformed("invalid JSON: \(describe(error))")
        }
    }

    private static func rewrite(_ node: Any, path: String) throws(IngestError) -> Any {
        if var object = node as? [String: Any] {
            for (key, value) in object {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if idKeys.contains(key), let hex = value as? String {
                    object[key] = try base64(fromHex: hex, path: childPath)
                } else {
                    object[key] = try rewrite(value, path: childPath)
                }
            }
            return object
        }
        if let array = node as? [Any] {
            var result = [Any]()
            result.reserveCapacity(array.count)
            for (index, element) in array.enumerated() {
                result.append(try rewrite(element, path: "\(path)[\(index)]"))
            }
            return result
        }
        return node
    }

    private static func base64(fromHex hex: String, path: String) throws(IngestError) -> String {
        guard let bytes = Hex.decode(hex) else {
            throw .malformed("\(path): \"\(hex)\" is not a hex-encoded id")
        }
        return Data(bytes).base64EncodedString()
    }

    private static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }
}
