import Testing
@testable import KansokuQuery

/// `description` must print canonical PromQL as Prometheus's `format_query` does.
@Suite("PromQL canonical printing")
struct PromQLPrinterTests {
    @Test(arguments: [
        (#"sum by() (x{job="s"})"#, #"sum(x{job="s"})"#),
        ("sum by(code) (x)", "sum by (code) (x)"),
        ("sum(x) by (code)", "sum by (code) (x)"),
        ("sum without() (x)", "sum without () (x)"),
        (#"sum by("foo.bar") (x)"#, #"sum by ("foo.bar") (x)"#),
        ("topk(5, x)", "topk(5, x)"),
        (#"count_values('value', x)"#, #"count_values("value", x)"#),
        ("a - on() c", "a - on () c"),
        ("a - on(b) group_left(x, y) c", "a - on (b) group_left (x, y) c"),
        ("a - on(b) group_left c", "a - on (b) group_left () c"),
        ("a - ignoring(b) c", "a - ignoring (b) c"),
        ("a - ignoring() c", "a - c"),
        ("a == bool 1", "a == bool 1"),
        ("a + fill(0) b", "a + fill (0) b"),
        ("a + fill_left(1e6) fill_right(-1) b", "a + fill_left (1e+06) fill_right (-1) b"),
        (#"up{job="a",  b!="c"}"#, #"up{b!="c",job="a"}"#),
        (#"{__name__="up"}"#, #"{__name__="up"}"#),
        ("x offset 1h30m", "x offset 1h30m"),
        ("x offset -90m", "x offset -1h30m"),
        ("x offset 0s", "x"),
        ("x @ 100", "x @ 100.000"),
        ("x @ start() offset 5m", "x @ start() offset 5m"),
        ("x offset 5m @ end()", "x @ end() offset 5m"),
        ("x[300s]", "x[5m]"),
        ("x[5m] offset 1m @ 10", "x[5m] @ 10.000 offset 1m"),
        ("rate(x[5m])[1h:]", "rate(x[5m])[1h:]"),
        ("rate(x[5m])[60m:1m] offset 1w", "rate(x[5m])[1h:1m] offset 1w"),
        ("1e3", "1000"),
        ("0x10", "16"),
        ("-Inf", "-Inf"),
        ("+Inf", "+Inf"),
        ("nan", "NaN"),
        ("5m", "5m"),
        ("-5m", "-5m"),
        (#"'a"b'"#, #""a\"b""#),
        ("`a\\b`", #""a\\b""#),
        ("-(x)", "-(x)"),
        ("- x", "-x"),
        ("((x))", "((x))"),
        ("1 + 2 * 3", "1 + 2 * 3"),
        ("x[5m+1m]", "x[5m + 1m]"),
        ("x[step()]", "x[step()]"),
        ("x offset -step()", "x offset -step()"),
        ("x[min_of(step(), 1h):(1m)]", "x[min_of(step(), 1h):(1m)]"),
        ("increase(x[5m] smoothed)", "increase(x[5m] smoothed)"),
        ("x anchored", "x anchored"),
    ])
    func canonicalForm(query: String, expected: String) throws {
        #expect(try promqlFormat(query) == expected)
    }

    @Test(arguments: [
        "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m])) / ignoring (code) group_left () sum by (job) (rate(http_requests_total[5m]))",
        "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))",
        "topk(3, count_values(\"v\", x)) > bool 2 or vector(0)",
        "-x ^ 2 atan2 y",
        "x </ 0.5 >/ 0.1",
    ])
    func printedFormReparsesToTheSameTree(query: String) throws {
        let parsed = try PromQLParser.parse(query)
        #expect(try PromQLParser.parse(parsed.description) == parsed)
    }
}
