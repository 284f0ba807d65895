import Testing
@testable import KansokuQuery

@Suite("LogQL ip() patterns")
struct LogQLIPMatcherTests {
    private func address(_ text: String) -> LogQLIPMatcher.Address { LogQLIPMatcher.Address(Substring(text))! }

    @Test("single addresses, ranges and CIDR prefixes, IPv4 and IPv6 kept apart")
    func matching() throws {
        let cases: [(String, [String], [String])] = [
            ("192.168.0.1", ["192.168.0.1"], ["192.168.0.2", "::ffff:192.168.0.1"]),
            ("192.168.0.1-192.168.0.9", ["192.168.0.1", "192.168.0.5", "192.168.0.9"], ["192.168.0.10", "192.168.0.0"]),
            ("10.0.0.0/8", ["10.0.0.0", "10.255.255.255"], ["11.0.0.0", "9.255.255.255", "::a00:1"]),
            ("10.1.2.3/16", ["10.1.0.0", "10.1.255.255"], ["10.2.0.0"]),
            ("0.0.0.0/0", ["1.2.3.4", "255.255.255.255"], ["::1"]),
            ("2001:db8::/32", ["2001:db8::1", "2001:db8:ffff::"], ["2001:db9::", "32.1.13.184"]),
            ("::1", ["::1", "0:0:0:0:0:0:0:1"], ["::2"]),
            ("fe80::1-fe80::ff", ["fe80::a"], ["fe80::100"]),
        ]
        for (pattern, inside, outside) in cases {
            let matcher = try #require(LogQLIPMatcher(pattern: pattern), "\(pattern)")
            for text in inside { #expect(matcher.matches(address(text)), "\(text) in \(pattern)") }
            for text in outside { #expect(!matcher.matches(address(text)), "\(text) not in \(pattern)") }
        }
    }

    @Test("what is not an address or pattern is refused")
    func refusals() {
        for text in ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.a", "::g", "1.2.3.4:80"] {
            #expect(LogQLIPMatcher.Address(Substring(text)) == nil, "\(text)")
        }
        for pattern in ["foo", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.9-10.0.0.1", "10.0.0.1-::1", "::/129"] {
            #expect(LogQLIPMatcher(pattern: pattern) == nil, "\(pattern)")
        }
    }

    @Test("a line matches when an address written in it does")
    func lines() throws {
        let matcher = try #require(LogQLIPMatcher(pattern: "10.0.1.0/24"))
        #expect(matcher.matchesSomewhere(in: #"10.0.1.9 - - [03/Jun/2025:10:00:01 +0000] "GET / HTTP/1.1" 200"#))
        #expect(matcher.matchesSomewhere(in: "client=10.0.1.255,port=80"))
        #expect(!matcher.matchesSomewhere(in: #"10.0.2.9 - - [03/Jun/2025:10:00:01 +0000] "GET /10.0.1 HTTP/1.1" 200"#))
        #expect(!matcher.matchesSomewhere(in: ""))
        let v6 = try #require(LogQLIPMatcher(pattern: "2001:db8::/32"))
        #expect(v6.matchesSomewhere(in: "from [2001:db8::7] accepted"))
    }
}
