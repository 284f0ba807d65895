import Foundation
import KansokuModel
import Testing
@testable import KansokuAPI

@Suite struct ServiceMapResponseTests {
    typealias F = ServiceMapFixtures

    func parse(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func jaegerDependencies() throws {
        let map = try ServiceMap.compute(in: F.store, startNanos: F.windowStart, endNanos: F.windowEnd)
        let body = try parse(ServiceMapResponse.jaegerDependencies(map.edges))
        let data = try #require(body["data"] as? [[String: Any]])
        #expect(data.map { "\($0["parent"]!)->\($0["child"]!):\($0["callCount"]!)" } == [
            "checkout->payments:2", "checkout->postgres:1", "frontend->checkout:2",
        ])
        #expect(body["total"] as? Int == 0)
        #expect(body["limit"] as? Int == 0)
        #expect(body["offset"] as? Int == 0)
        #expect(body["errors"] is NSNull)
        #expect(String(decoding: ServiceMapResponse.jaegerDependencies([]), as: UTF8.self)
                == #"{"data":[],"total":0,"limit":0,"offset":0,"errors":null}"#)
    }

    @Test func kansokuServiceMap() throws {
        let map = try ServiceMap.compute(in: F.store, startNanos: F.windowStart, endNanos: F.windowEnd)
        let body = try parse(ServiceMapResponse.kansoku(map))
        #expect(body["start"] as? String == String(F.windowStart))
        #expect(body["end"] as? String == String(F.windowEnd))
        let nodes = try #require(body["nodes"] as? [[String: Any]])
        #expect(nodes.map { $0["service"] as? String } == ["checkout", "frontend", "payments", "postgres"])
        #expect(nodes.map { $0["virtual"] as? Bool } == [false, false, false, true])
        #expect(nodes[2]["requests"] as? Int == 2)
        #expect(nodes[2]["errors"] as? Int == 1)

        let edges = try #require(body["edges"] as? [[String: Any]])
        #expect(edges.count == 3)
        let payments = edges[0]
        #expect(payments["source"] as? String == "checkout")
        #expect(payments["target"] as? String == "payments")
        #expect(payments["calls"] as? Int == 2)
        #expect(payments["errors"] as? Int == 1)
        #expect(payments["errorRate"] as? Double == 0.5)
        #expect(payments["virtual"] as? Bool == false)
        #expect(edges[1]["virtual"] as? Bool == true)
        // Rank 1 of 2: the whole (0.01, 0.05] bucket holding 25 ms.
        #expect(abs(try #require(payments["p50Seconds"] as? Double) - 0.05) < 1e-12)
        #expect(payments["p95Seconds"] is Double && payments["p99Seconds"] is Double)
        let buckets = try #require(payments["buckets"] as? [[String: Any]])
        #expect(buckets.map { $0["le"] as? String } == LatencyHistogram.labels.map(Optional.some))
        #expect(buckets.first?["le"] as? String == "0.002")
        #expect(buckets.last?["le"] as? String == "+Inf")
        // Cumulative: 25 ms from 0.05 on, 150 ms from 0.2 on.
        #expect(buckets.map { $0["count"] as? Int } == [0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2])
    }

    @Test func kansokuRED() throws {
        let metrics = try REDMetrics.compute(in: F.store, startNanos: F.windowStart, endNanos: F.windowEnd)
        let body = try parse(REDResponse.kansoku(metrics))
        #expect(body["start"] as? String == String(F.windowStart))
        #expect(body["end"] as? String == String(F.windowEnd))
        let series = try #require(body["series"] as? [[String: Any]])
        #expect(series.count == 6)
        let charge = series[2]
        #expect(charge["service"] as? String == "checkout")
        #expect(charge["spanName"] as? String == "charge")
        #expect(charge["spanKind"] as? String == "SPAN_KIND_CLIENT")
        #expect(charge["requests"] as? Int == 2)
        #expect(charge["errors"] as? Int == 1)
        #expect(charge["ratePerSecond"] as? Double == 2)
        #expect(charge["errorRate"] as? Double == 0.5)
        for key in ["p50Seconds", "p95Seconds", "p99Seconds"] { #expect(charge[key] is Double) }
    }

    @Test func emptyResultsRenderValidJSON() throws {
        let map = ServiceMap(startNanos: 1, endNanos: 2)
        #expect(String(decoding: ServiceMapResponse.kansoku(map), as: UTF8.self)
                == #"{"start":"1","end":"2","nodes":[],"edges":[]}"#)
        #expect(String(decoding: REDResponse.kansoku(REDMetrics(startNanos: 1, endNanos: 2)), as: UTF8.self)
                == #"{"start":"1","end":"2","series":[]}"#)
        // An edge without calls has null percentiles.
        let edge = ServiceEdge(source: "a", target: "b")
        let body = try parse(ServiceMapResponse.kansoku(ServiceMap(startNanos: 1, endNanos: 2, edges: [edge])))
        let rendered = try #require((body["edges"] as? [[String: Any]])?.first)
        #expect(rendered["p50Seconds"] is NSNull)
        #expect(rendered["errorRate"] as? Double == 0)
    }
}
