import KansokuModel
import Testing

@Suite("ParallelParts: contiguous parts on every core, results in order")
struct ParallelPartsTests {
    struct PartFailure: Error, Equatable { var part: Range<Int> }

    @Test func partsCoverEveryItemOnceInOrder() {
        let parts = ParallelParts.map(count: 1_000, minimumPerPart: 10, maximumParts: 4) { range in Array(range) }
        #expect(parts.count == 4)
        #expect(Array(parts.joined()) == Array(0..<1_000))
    }

    @Test func fewItemsRunAsOnePart() {
        let parts = ParallelParts.map(count: 15, minimumPerPart: 10, maximumParts: 4) { range in range }
        #expect(parts == [0..<15])
        #expect(ParallelParts.map(count: 0, minimumPerPart: 10) { range in range } == [0..<0])
    }

    @Test func theFirstFailingPartsErrorIsThrown() {
        #expect(throws: PartFailure(part: 25..<50)) {
            try ParallelParts.map(count: 100, minimumPerPart: 25, maximumParts: 4) { range throws(PartFailure) in
                if range.lowerBound >= 25 { throw PartFailure(part: range) }
                return range.count
            }
        }
    }
}
