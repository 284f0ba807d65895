/// One assignment of a `label_format` stage.
public struct LogQLLabelFormat: Sendable, Hashable, CustomStringConvertible {
    /// What the assignment produces.
    public enum Value: Sendable, Hashable {
        /// `dst=src`: rename `src` to `dst`.
        case rename(String)
        /// `dst="{{.a}}-{{.b}}"`: render a Go template.
        case template(String)
    }

    /// The label written.
    public var target: String
    /// The rename source or template.
    public var value: Value

    /// Creates an assignment.
    public init(target: String, value: Value) {
        self.target = target
        self.value = value
    }

    public var description: String {
        switch value {
        case .rename(let source): return "\(target)=\(source)"
        case .template(let template): return "\(target)=\(LogQLStringLiteral.quote(template))"
        }
    }
}
