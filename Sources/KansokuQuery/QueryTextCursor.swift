/// The scanning state the LogQL and TraceQL lexers share: the query as
/// Unicode scalars, where the lexer is, and the line and column there for
/// error messages.
struct QueryTextCursor {
    let scalars: [Unicode.Scalar]
    private(set) var index = 0
    /// 1-based, counted in Unicode scalars.
    private(set) var line = 1
    private(set) var column = 1

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        index + ahead < scalars.count ? scalars[index + ahead] : nil
    }

    mutating func advance() {
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    /// The text from `start` up to the current position.
    func text(from start: Int) -> String {
        String(String.UnicodeScalarView(scalars[start..<index]))
    }
}
