/// The left-hand side of a comparison: an attribute or an intrinsic.
public enum TraceQLField: Sendable, Hashable, CustomStringConvertible {
    /// An attribute looked up in `scope` under the full dotted `name`.
    case attribute(scope: TraceQLAttributeScope, name: String)
    case intrinsic(TraceQLIntrinsic)

    public var description: String {
        switch self {
        case .intrinsic(let intrinsic): return intrinsic.rawValue
        case .attribute(let scope, let name):
            let plain = !name.isEmpty && name.unicodeScalars.allSatisfy {
                $0 == "_" || $0 == "." || $0 == "-" || $0.properties.isAlphabetic || ("0"..."9").contains($0)
            }
            return "\(scope.rawValue).\(plain ? name : name.debugDescription)"
        }
    }
}
