import Testing
@testable import KansokuIngest

@Suite struct InflightBudgetTests {
    @Test func refusesWhileFullAndReleasesAfterwards() async throws {
        let budget = InflightBudget(limitBytes: 100)
        var refusal: IngestError?
        try await budget.withReservation(of: 80) { () throws(IngestError) in
            #expect(budget.inUseBytes == 80)
            do throws(IngestError) {
                try await budget.withReservation(of: 30) { () throws(IngestError) in }
            } catch {
                refusal = error
            }
            try await budget.withReservation(of: 20) { () throws(IngestError) in #expect(budget.inUseBytes == 100) }
        }
        guard case .overloaded(let seconds)? = refusal else {
            Issue.record("expected .overloaded, got \(String(describing: refusal))")
            return
        }
        #expect(seconds > 0)
        #expect(budget.inUseBytes == 0)
    }

    @Test func aRequestLargerThanTheBudgetPassesWhenNothingElseIsInFlight() async throws {
        let budget = InflightBudget(limitBytes: 10)
        let result = try await budget.withReservation(of: 50) { () throws(IngestError) in 7 }
        #expect(result == 7)
        #expect(budget.inUseBytes == 0)
    }

    @Test func releasesWhenTheBodyThrows() async {
        let budget = InflightBudget(limitBytes: 10)
        await #expect(throws: IngestError.self) {
            try await budget.withReservation(of: 5) { () throws(IngestError) in throw .malformed("boom") }
        }
        #expect(budget.inUseBytes == 0)
    }
}
