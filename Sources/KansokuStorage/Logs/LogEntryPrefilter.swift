import KansokuModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The part of a ``LogEntryRequirement`` checkable on a line alone, cheaply:
/// `.lineContains` byte searches (`memmem`) combined by `all`/`any`. Index-only
/// conditions count as "may hold", so the check never drops an entry the
/// requirement admits. Lets the store skip building entries (structured
/// metadata, copies) for lines the query would drop anyway.
struct LogEntryPrefilter: Sendable {
    private indirect enum Node: Sendable {
        case contains([UInt8])
        case all([Node])
        case any([Node])
    }

    private let root: Node

    /// Nil when `requirement` has nothing checkable on a line.
    init?(_ requirement: LogEntryRequirement) {
        guard let root = Self.compile(requirement) else { return nil }
        self.root = root
    }

    /// Nil for "unknown": may hold for any line.
    private static func compile(_ requirement: LogEntryRequirement) -> Node? {
        switch requirement {
        case .lineContains(let text): return text.isEmpty ? nil : .contains(Array(text.utf8))
        case .lineToken, .lineTraceID, .metadataTraceID: return nil
        case .all(let parts):
            let known = parts.compactMap(compile)
            return known.isEmpty ? nil : known.count == 1 ? known[0] : .all(known)
        case .any(let parts):
            var known: [Node] = []
            for part in parts {
                guard let node = compile(part) else { return nil }
                known.append(node)
            }
            return known.isEmpty ? nil : known.count == 1 ? known[0] : .any(known)
        }
    }

    /// False only when `line` certainly fails the requirement.
    func mayMatch(_ line: String) -> Bool {
        if let result = line.utf8.withContiguousStorageIfAvailable({ evaluate(root, $0) }) { return result }
        var copy = line
        return copy.withUTF8 { evaluate(root, $0) }
    }

    private func evaluate(_ node: Node, _ line: UnsafeBufferPointer<UInt8>) -> Bool {
        switch node {
        case .contains(let needle): return Self.find(needle, in: line)
        case .all(let parts): return parts.allSatisfy { evaluate($0, line) }
        case .any(let parts): return parts.contains { evaluate($0, line) }
        }
    }

    /// Whether `needle` (non-empty) occurs in `haystack`.
    static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        needle.withUnsafeBytes { UnsafeRawBufferPointer(haystack).containsBytes($0) }
    }
}
