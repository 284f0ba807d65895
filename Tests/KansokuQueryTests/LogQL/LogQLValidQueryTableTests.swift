import Testing
@testable import KansokuQuery

/// Queries of the kind Grafana dashboards, Explore and the Loki docs use.
/// Each must parse, and its canonical printout must parse back to the same tree.
@Suite("LogQL valid query table")
struct LogQLValidQueryTableTests {
    static let queries: [String] = [
        // Log queries
        #"{app="api"}"#,
        #"{app="api", env=~"prod|stg", pod!="x", ns!~"kube.*"}"#,
        #"{job="varlogs"} |= "error""#,
        #"{job="varlogs"} |= "error" != "timeout""#,
        #"{container="query-frontend", namespace="loki-dev"} |= "metrics.go" | logfmt | duration > 10s and throughput_mb < 500"#,
        #"{app="api"} |~ "(?i)error|fail""#,
        #"{app="api"} |~ `\d{3} \w+`"#,
        #"{app="api"} !~ "health(z|check)""#,
        #"{app="api"} |= "a" or "b""#,
        #"{app="api"} |= "a" or "b" or `c` != "d""#,
        #"{app="nginx"} |= ip("192.168.4.5-192.168.4.20")"#,
        #"{app="nginx"} != ip("10.0.0.0/8")"#,
        #"{app="api"} |> "<_> level=error <_>""#,
        #"{app="api"} !> "<_> GET /health <_>""#,
        #"{app="api"} | json"#,
        #"{app="api"} | json first_server="servers[0]", ua="request.headers[\"User-Agent\"]""#,
        #"{app="api"} | json status, method"#,
        #"{app="api"} | logfmt"#,
        #"{app="api"} | logfmt --strict"#,
        #"{app="api"} | logfmt --strict --keep-empty"#,
        #"{app="api"} | logfmt host, fwd_ip="fwd""#,
        #"{app="api"} | regexp "(?P<method>\\w+) (?P<path>[\\w|/]+) \\((?P<status>\\d+?)\\) (?P<duration>.*)""#,
        #"{job="nginx"} | pattern "<ip> - - <_> \"<method> <uri> <_>\" <status> <size> <_> \"<agent>\" <_>""#,
        #"{app="api"} | unpack"#,
        #"{app="api"} | json | level="error""#,
        #"{app="api"} | logfmt | level=~"error|warn""#,
        #"{app="api"} | json | status >= 500"#,
        #"{app="api"} | json | status == 404"#,
        #"{app="api"} | json | status = 200"#,
        #"{app="api"} | logfmt | duration > 10ms"#,
        #"{app="api"} | logfmt | latency >= 1.5s"#,
        #"{app="api"} | json | size > 1KB"#,
        #"{app="api"} | json | size <= 20MiB"#,
        #"{app="api"} | logfmt | level="error" and status >= 500"#,
        #"{app="api"} | logfmt | level="error" or level="warn""#,
        #"{app="api"} | logfmt | level="error", status >= 500"#,
        #"{app="api"} | logfmt | (duration > 1s or status >= 500) and method!="GET""#,
        #"{app="api"} | logfmt | level="error" status >= 500"#,
        #"{app="api"} | logfmt | addr = ip("192.168.0.0/16")"#,
        #"{app="api"} | logfmt | addr != ip("10.0.0.1")"#,
        #"{app="api"} | json | __error__="""#,
        #"{app="api"} | json | __error__!="JSONParserErr""#,
        #"{app="api"} | json | line_format "{{.level}} {{.msg}}""#,
        #"{app="api"} | logfmt | line_format `{{ .ts }} {{ __line__ | trunc 80 }}`"#,
        #"{app="api"} | logfmt | label_format level="{{ ToUpper .level }}", src=source"#,
        #"{app="api"} | logfmt | drop level, method="GET""#,
        #"{app="api"} | logfmt | keep level, status"#,
        #"{app="api"} | decolorize"#,
        #"({app="api"} |= "error")"#,
        "{app=\"api\"} # only errors\n  |= \"error\"",
        // Metric queries
        #"count_over_time({app="api"}[5m])"#,
        #"rate({app="api"} |= "error" [5m])"#,
        #"rate({app="api"}[5m] |= "error")"#,
        #"bytes_over_time({app="api"}[1h])"#,
        #"bytes_rate({app="api"}[1m])"#,
        #"absent_over_time({app="api"}[10m])"#,
        // What Grafana's `$__auto` / `$__interval` expand to (Go duration format).
        #"rate({app="api"}[1m0s])"#,
        #"count_over_time({app="api"}[5m] offset 1h)"#,
        #"sum by (host) (rate({job="mysql"} |= "error" != "timeout" | json | duration > 10s [1m]))"#,
        #"sum(rate({app="api"}[5m])) by (level)"#,
        #"sum without (pod) (count_over_time({app="api"}[5m]))"#,
        #"sum by () (count_over_time({app="api"}[5m]))"#,
        #"avg_over_time({app="api"} | logfmt | unwrap latency [5m]) by (host)"#,
        #"sum_over_time({app="api"} | json | unwrap bytes(size) [5m])"#,
        #"max_over_time({app="api"} | logfmt | unwrap duration(took) | __error__="" [5m]) by (path)"#,
        #"min_over_time({app="api"} | logfmt | unwrap duration_seconds(took) [5m])"#,
        #"quantile_over_time(0.99, {cluster="ops-tools1", container="ingress-nginx"} | json | __error__ = "" | unwrap request_time [1m]) by (path)"#,
        #"stddev_over_time({app="api"} | logfmt | unwrap latency [5m])"#,
        #"stdvar_over_time({app="api"} | logfmt | unwrap latency [5m])"#,
        #"first_over_time({app="api"} | logfmt | unwrap latency [5m]) by (pod)"#,
        #"last_over_time({app="api"} | logfmt | unwrap latency [5m]) without (instance)"#,
        #"rate({app="api"} | logfmt | unwrap requests [5m])"#,
        #"rate_counter({app="api"} | logfmt | unwrap requests_total [5m])"#,
        #"sum_over_time({app="api"} | logfmt | unwrap bytes [5m] offset 30m)"#,
        #"sum_over_time({app="api"}[5m] | logfmt | unwrap bytes)"#,
        #"topk(10, sum by (path) (rate({app="api"}[5m])))"#,
        #"bottomk(3, sum by (path) (rate({app="api"}[5m])))"#,
        #"topk by (ns) (5, sum by (ns, pod) (rate({app="api"}[5m])))"#,
        #"sort(sum by (app) (rate({env="prod"}[5m])))"#,
        #"sort_desc(sum by (app) (rate({env="prod"}[5m])))"#,
        #"avg(rate({app="api"}[5m]))"#,
        #"min(rate({app="api"}[5m]))"#,
        #"max by (pod) (rate({app="api"}[5m]))"#,
        #"stddev(rate({app="api"}[5m]))"#,
        #"stdvar(rate({app="api"}[5m]))"#,
        #"count(rate({app="api"}[5m]))"#,
        #"sum(rate({app="api"} |= "error" [5m])) / sum(rate({app="api"}[5m]))"#,
        #"sum(rate({app="api"} |= "error" [5m])) / sum(rate({app="api"}[5m])) * 100"#,
        #"sum by (app) (count_over_time({env="prod"} |= "error" [5m])) > 10"#,
        #"sum by (app) (count_over_time({env="prod"}[5m])) > bool 10"#,
        #"sum(count_over_time({app="api"}[5m])) or vector(0)"#,
        #"sum by (a) (rate({x="y"}[1m])) / on (a) group_left (c) sum by (a, c) (rate({x="y"}[1m]))"#,
        #"sum by (a) (rate({x="y"}[1m])) * ignoring (b) group_right sum by (a, b) (rate({x="y"}[1m]))"#,
        #"rate({x="y"}[1m]) and on () rate({z="w"}[1m])"#,
        #"rate({x="y"}[1m]) unless rate({z="w"}[1m])"#,
        #"label_replace(rate({job="api"} |= "err" [1m]), "foo", "$1", "service", "(.*):.*")"#,
        #"1 + 1"#,
        #"2 ^ 3 ^ 2"#,
        #"-1"#,
        #"vector(0)"#,
        #"(sum(rate({app="api"}[5m])))"#,
        #"sum(rate(({app="api"} |= "x")[5m]))"#,
        #"count_over_time({app="api"} | json | status >= 500 [5m]) / count_over_time({app="api"}[5m])"#,
        #"sum by (level) (count_over_time({app="api"} | logfmt | level=~"error|warn" [1h0m0s]))"#,
    ]

    @Test func tableIsLargeEnough() {
        #expect(Self.queries.count >= 60)
    }

    @Test(arguments: queries)
    func parsesAndRoundTrips(query: String) throws {
        let expr = try LogQLParser.parse(query)
        let printed = expr.description
        let reparsed = try LogQLParser.parse(printed)
        #expect(reparsed == expr, "printed: \(printed)")
        #expect(reparsed.description == printed)
    }
}
