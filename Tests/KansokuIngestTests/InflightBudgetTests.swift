import Testing
@testable import KansokuIngest

@Suite struct InflightBudgetTests {
    @Test func refusesWhileFullAndReleasesAfterwards() async throws {
        let budget = InflightBudget(limitBytes: 100)
        try await budget.withReservation(of: 80) {
            #expect(budget.inUseBytes == 80)
            await #expect {
                try await budget.withReservation(of: 30) {}
            } throws: { error in
                if case IngestError.overloaded(let seconds) = error { return seconds > 0 }
                return false
            }
            try await budget.withReservation(of: 20) { #expect(budget.inUseBytes == 100) }
        }
        #expect(budget.inUseBytes == 0)
    }

    @Test func aRequestLargerThanTheBudgetPassesWhenNothingElseIsInFlight() async throws {
        let budget = InflightBudget(limitBytes: 10)
        let result = try await budget.withReservation(of: 50) { 7 }
        #expect(result == 7)
        #expect(budget.inUseBytes == 0)
    }

    @Test func releasesWhenTheBodyThrows() async {
        struct Boom: Error {}
        let budget = InflightBudget(limitBytes: 10)
        await #expect(throws: Boom.self) { try await budget.withReservation(of: 5) { throw Boom() } }
        #expect(budget.inUseBytes == 0)
    }
}
