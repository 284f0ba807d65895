/// The chunks of one block an index says may hold what a query looks for:
/// all of them, or the listed ones.
enum LogChunkSelection: Sendable, Equatable {
    case all
    case chunks(Set<Int>)

    static let none = LogChunkSelection.chunks([])

    func intersection(_ other: LogChunkSelection) -> LogChunkSelection {
        switch (self, other) {
        case (.all, let x), (let x, .all): x
        case (.chunks(let a), .chunks(let b)): .chunks(a.intersection(b))
        }
    }

    func union(_ other: LogChunkSelection) -> LogChunkSelection {
        switch (self, other) {
        case (.all, _), (_, .all): .all
        case (.chunks(let a), .chunks(let b)): .chunks(a.union(b))
        }
    }

    var isEmpty: Bool { self == .none }

    /// The members of `candidates` selected, in their order.
    func filter(_ candidates: [Int]) -> [Int] {
        switch self {
        case .all: candidates
        case .chunks(let keep): candidates.filter(keep.contains)
        }
    }
}
