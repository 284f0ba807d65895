/// Interns strings (service and peer names) as small integers, so that a
/// per-span index holds four bytes instead of a `String` per span.
struct StringTable: Sendable {
    private var ids: [String: Int32] = [:]
    /// The strings by id.
    private(set) var strings: [String] = []

    /// The id of `string`, assigning the next one on first sight.
    mutating func intern(_ string: String) -> Int32 {
        if let id = ids[string] { return id }
        let id = Int32(strings.count)
        ids[string] = id
        strings.append(string)
        return id
    }

    /// The id of `string` if it was interned.
    func id(of string: String) -> Int32? { ids[string] }

    subscript(id: Int32) -> String { strings[Int(id)] }
}
