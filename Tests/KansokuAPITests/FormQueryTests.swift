import Testing
@testable import KansokuAPI

@Suite struct FormQueryTests {
    @Test func plusIsASpaceAndEscapesAreDecoded() {
        let parsed = FormQuery.parameters("service=x&tags=%7B%22a%22%3A+%22b+c%22%7D&tag=k%3Av&tag=k2%3Av2&flag")
        #expect(parsed.map(\.name) == ["service", "tags", "tag", "tag", "flag"])
        #expect(parsed.map(\.value) == ["x", #"{"a": "b c"}"#, "k:v", "k2:v2", ""])
    }

    @Test func badEscapesAreKeptAsWritten() {
        #expect(FormQuery.parameters("q=100%zz").first?.value == "100%zz")
        #expect(FormQuery.parameters(nil).isEmpty)
    }
}
