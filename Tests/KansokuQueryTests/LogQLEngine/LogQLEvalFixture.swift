import Testing
@testable import KansokuQuery

/// Base time of the fixture, seconds since the epoch.
let logqlT0: Int64 = 1_700_000_000

/// `seconds` after the fixture base, in nanoseconds.
func ns(_ seconds: Int64) -> Int64 { (logqlT0 + seconds) * 1_000_000_000 }

/// The worker stream's lines (mixed formats, used for error handling).
let workerLines = [
    "\u{1B}[31mERROR\u{1B}[0m job failed id=1",
    #"{"level":"info","job":"a"}"#,
    "not json at all",
    #"{"level":"error","job":"b","nested":{"deep":{"key":"v"}},"arr":[1,2],"weird-key":"x","1st":"y","app":"shadow"}"#,
    #"{"_entry":"packed line","pod":"p1","level":"debug"}"#,
]

/// 205 lines in four streams:
/// - `{app="nginx", env="prod"}`: 100 access-log lines, line i at i·6 s;
///   status 500 when i%10==0, 404 when i%5==0 otherwise, else 200; path
///   users (even i) / orders (odd i); size 100+i; client 10.0.0.(i%4+1).
/// - `{app="api", env="prod"}`: 80 JSON lines, line i at i·5 s; level error
///   when i%4==0 else info; latency_ms i; duration "10·i ms"; size "i KB";
///   structured metadata region eu (even i) / us (odd i).
/// - `{app="api", env="staging"}`: 20 logfmt lines, line i at i·30 s;
///   duration "i s"; status 200 (even) / 503 (odd); user u(i%3).
/// - `{app="worker", env="prod"}`: `workerLines` at 10, 20, 30, 40, 50 s.
let logqlFixture: InMemoryLogQLSource = {
    var source = InMemoryLogQLSource()
    let nginx: LogQLLabels = ["app": "nginx", "env": "prod"]
    for i in 0..<100 {
        let status = i % 10 == 0 ? 500 : (i % 5 == 0 ? 404 : 200)
        let path = i % 2 == 0 ? "users" : "orders"
        let line = "10.0.0.\(i % 4 + 1) - - \"GET /api/\(path) HTTP/1.1\" \(status) \(100 + i)"
        source.add(nginx, LogQLEntry(timestamp: ns(Int64(i) * 6), line: line))
    }
    let api: LogQLLabels = ["app": "api", "env": "prod"]
    for i in 0..<80 {
        let level = i % 4 == 0 ? "error" : "info"
        let status = i % 4 == 0 ? 500 : 200
        let line = #"{"level":"\#(level)","msg":"req \#(i)","trace_id":"t\#(i)","latency_ms":\#(i),"#
            + #""duration":"\#(i * 10)ms","size":"\#(i)KB","http":{"method":"GET","status":\#(status)}}"#
        source.add(api, LogQLEntry(timestamp: ns(Int64(i) * 5), line: line,
                                   structuredMetadata: [LogQLLabel("region", i % 2 == 0 ? "eu" : "us")]))
    }
    let staging: LogQLLabels = ["app": "api", "env": "staging"]
    for i in 0..<20 {
        let line = "level=warn msg=\"slow request\" duration=\(i)s status=\(i % 2 == 0 ? 200 : 503) user=u\(i % 3)"
        source.add(staging, LogQLEntry(timestamp: ns(Int64(i) * 30), line: line))
    }
    let worker: LogQLLabels = ["app": "worker", "env": "prod"]
    for (i, line) in workerLines.enumerated() {
        source.add(worker, LogQLEntry(timestamp: ns(Int64(i + 1) * 10), line: line))
    }
    return source
}()

let logqlEngine = LogQLEngine(source: logqlFixture)

/// Runs a log query over the whole fixture (or the given window).
func logqlLogs(_ query: String, start: Int64 = ns(0), end: Int64 = ns(1000), direction: LogQLDirection = .forward,
               limit: Int = 1000) throws -> [LogQLStream] {
    try logqlEngine.select(LogQLParser.parseLogQuery(query), start: start, end: end, direction: direction, limit: limit)
}

/// Total entries of a log query.
func logqlCount(_ query: String) throws -> Int {
    try logqlLogs(query).reduce(0) { $0 + $1.entries.count }
}

/// All processed lines of a log query in time order.
func logqlLines(_ query: String, limit: Int = 1000) throws -> [String] {
    try logqlLogs(query, limit: limit).flatMap { s in s.entries.map { ($0.timestamp, $0.line) } }
        .sorted { $0.0 < $1.0 }.map(\.1)
}

/// An instant metric query at `seconds` after the base, as `labels → value`.
func logqlVector(_ query: String, at seconds: Int64 = 600) throws -> [String: Double] {
    let value = try logqlEngine.instantQuery(LogQLParser.parseMetricQuery(query), at: ns(seconds))
    guard case .vector(let samples) = value else {
        Issue.record("expected a vector from \(query), got \(value)")
        return [:]
    }
    var out: [String: Double] = [:]
    for sample in samples { out[sample.labels.description] = sample.value }
    return out
}

/// The label sets of an instant vector in result order.
func logqlOrder(_ query: String, at seconds: Int64 = 600) throws -> [String] {
    guard case .vector(let samples) = try logqlEngine.instantQuery(LogQLParser.parseMetricQuery(query), at: ns(seconds))
    else { return [] }
    return samples.map(\.labels.description)
}

func logqlClose(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= 1e-9 * max(1, abs(b))
}
