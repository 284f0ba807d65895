"""The traces view (/ui/traces, /ui/traces/<id>) in a real browser against a
server filled by the real OpenTelemetry SDK: three checkout traces across
frontend → checkout → payments (trace_scenario.py), the first failing in
payments, with log records emitted inside the spans.

Asserts what the page shows: the search results (span count, error mark),
a TraceQL search, the waterfall's nesting (each row's depth and parent as
the SDK built them, in start order), collapsing a subtree, the critical
path, a span's attributes, events, status and its service's RED numbers,
and the trace's log lines (a click selects the line's span). Screenshots
of the results and the waterfall (dark and light) go to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import urllib.parse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser_support import WAIT_S, console_errors, open_view, screenshot, until, wait_for
from conftest import new_session, wait_until
from trace_scenario import LAYOUT, emit_checkout_traces


@pytest.fixture(scope="module")
def traces(kansoku):
    """The three traces, once the server answers searches and trace-log lookups for them."""
    emitted = emit_checkout_traces(kansoku, count=3)
    session = new_session()

    def searchable() -> bool:
        found = session.get(f"{kansoku.api_url}/api/traces", params={"service": "frontend", "limit": 50}).json()["data"]
        return {t["traceID"] for t in found} >= {t.trace_id for t in emitted} and all(len(t["spans"]) == len(LAYOUT) for t in found)

    def logs_indexed() -> bool:
        failed = emitted[0]
        body = session.get(f"{kansoku.api_url}/api/kansoku/v1/traces/{failed.trace_id}/logs").json()
        return sum(len(s["values"]) for s in body["streams"]) == len(failed.logs)

    wait_until(searchable, timeout=WAIT_S, what="the traces to be searchable")
    wait_until(logs_indexed, timeout=WAIT_S, what="the failed trace's log lines")
    return emitted


@pytest.fixture(autouse=True)
def no_console_errors(browser):
    console_errors(browser)  # drop what earlier tests left
    yield
    assert console_errors(browser) == [], "the page logged errors"


def rows(browser):
    return browser.find_elements(By.CSS_SELECTOR, ".wf-row")


def row_of(browser, span_id: str):
    return browser.find_element(By.CSS_SELECTOR, f'.wf-row[data-span-id="{span_id}"]')


def open_trace(browser, kansoku, trace_id: str, query: str = "") -> None:
    open_view(browser, kansoku.api_url, f"/ui/traces/{trace_id}{query}")
    wait_for(browser, ".waterfall .wf-row")


def expected_order(trace) -> list[str]:
    """Span ids depth-first, children by start time: the order the waterfall lists them."""
    start = {key: start_ms for key, *_, start_ms, _ in LAYOUT}
    children: dict[str, list] = {}
    for span in trace.spans:
        children.setdefault(span.parent_id, []).append(span)
    order = []

    def walk(span):
        order.append(span.span_id)
        for child in sorted(children.get(span.span_id, []), key=lambda s: start[s.key]):
            walk(child)

    walk(trace.span("root"))
    return order


def test_search_by_service_lists_traces_with_span_counts_and_errors(browser, kansoku, traces):
    open_view(browser, kansoku.api_url, "/ui/traces")
    select = Select(wait_for(browser, 'select[name="service"]'))
    until(browser, lambda d: "frontend" in [o.text for o in select.options])
    select.select_by_visible_text("frontend")
    browser.find_element(By.CSS_SELECTOR, ".find-traces").click()
    wait_for(browser, ".trace-result")
    assert urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query)["service"] == ["frontend"]

    results = {r.get_attribute("data-trace-id"): r for r in browser.find_elements(By.CSS_SELECTOR, ".trace-result")}
    assert set(results) == {t.trace_id for t in traces}
    for trace in traces:
        row = results[trace.trace_id]
        assert row.find_element(By.CSS_SELECTOR, ".span-count").text == f"{len(LAYOUT)} spans"
        assert "frontend: GET /checkout" in row.find_element(By.CSS_SELECTOR, ".tr-title").text
        chips = [c.get_attribute("data-service") for c in row.find_elements(By.CSS_SELECTOR, ".tr-services .service-chip")]
        assert sorted(chips) == ["checkout", "frontend", "payments"]
        marks = row.find_elements(By.CSS_SELECTOR, ".error-mark")
        if trace.failed:
            assert [m.text for m in marks] == ["2 errors"], "the failed trace has two spans with status ERROR"
        else:
            assert marks == []
    assert browser.find_element(By.CSS_SELECTOR, ".trace-scatter canvas").size["height"] > 100
    screenshot(browser, "traces-search-dark")

    results[traces[1].trace_id].click()
    wait_for(browser, ".waterfall .wf-row")
    assert urllib.parse.urlparse(browser.current_url).path == f"/ui/traces/{traces[1].trace_id}"


def test_tag_and_duration_filters_narrow_the_search(browser, kansoku, traces):
    params = {"service": "payments", "tags": "card.brand=visa otel.status_code=ERROR", "minDuration": "50ms"}
    open_view(browser, kansoku.api_url, "/ui/traces?" + urllib.parse.urlencode(params))
    wait_for(browser, ".trace-result")
    assert [r.get_attribute("data-trace-id") for r in browser.find_elements(By.CSS_SELECTOR, ".trace-result")] == [traces[0].trace_id]
    assert browser.find_element(By.CSS_SELECTOR, 'input[name="tags"]').get_attribute("value") == params["tags"]

    # No POST /charge span lasts a second: nothing matches.
    params["minDuration"] = "1s"
    open_view(browser, kansoku.api_url, "/ui/traces?" + urllib.parse.urlencode(params))
    assert "No traces match" in wait_for(browser, ".trace-search-results .state.empty").text


def test_traceql_search_finds_the_failed_trace(browser, kansoku, traces):
    q = '{ resource.service.name = "payments" && status = error }'
    open_view(browser, kansoku.api_url, "/ui/traces?" + urllib.parse.urlencode({"q": q}))
    wait_for(browser, ".trace-result")
    assert [r.get_attribute("data-trace-id") for r in browser.find_elements(By.CSS_SELECTOR, ".trace-result")] == [traces[0].trace_id]
    assert browser.find_element(By.CSS_SELECTOR, ".traceql-input").get_attribute("value") == q


def test_bad_traceql_shows_the_servers_message(browser, kansoku, traces):
    open_view(browser, kansoku.api_url, "/ui/traces?" + urllib.parse.urlencode({"q": "{ status = "}))
    box = wait_for(browser, ".trace-search-results .state.error")
    assert "syntax error" in box.text
    # The browser itself logs the 400 response; that one is expected.
    assert [e for e in console_errors(browser) if "400 (Bad Request)" not in e] == []


def test_waterfall_rows_follow_the_span_tree(browser, kansoku, traces):
    trace = traces[0]
    open_trace(browser, kansoku, trace.trace_id)
    shown = rows(browser)
    assert [r.get_attribute("data-span-id") for r in shown] == expected_order(trace)
    for row in shown:
        span = next(s for s in trace.spans if s.span_id == row.get_attribute("data-span-id"))
        assert int(row.get_attribute("data-depth")) == span.depth, f"depth of {span.name}"
        assert row.get_attribute("data-parent-id") == span.parent_id, f"parent of {span.name}"
        assert row.find_element(By.CSS_SELECTOR, ".wf-service").text == span.service
        assert row.find_element(By.CSS_SELECTOR, ".wf-op").text == span.name
        assert ("error" in row.get_attribute("class").split()) == span.error, f"error mark of {span.name}"
    # Deeper rows are indented further.
    indent = {r.get_attribute("data-span-id"): r.find_element(By.CSS_SELECTOR, ".wf-service-mark").location["x"] for r in shown}
    assert indent[trace.span("fraud").span_id] > indent[trace.span("pay_server").span_id] > indent[trace.span("charge").span_id]
    header = browser.find_element(By.CSS_SELECTOR, ".trace-header").text
    assert trace.trace_id in header and "100ms" in header
    assert browser.find_element(By.CSS_SELECTOR, ".th-spans .th-value").text == str(len(LAYOUT))
    assert browser.find_element(By.CSS_SELECTOR, ".th-services .th-value").text == "3"
    assert browser.find_element(By.CSS_SELECTOR, ".th-errors .th-value").text == "2"
    screenshot(browser, "trace-waterfall-dark")
    browser.find_element(By.ID, "theme-toggle").click()
    try:
        until(browser, lambda d: d.execute_script("return document.documentElement.dataset.theme") == "light")
        screenshot(browser, "trace-waterfall-light")
    finally:
        browser.find_element(By.ID, "theme-toggle").click()


def test_collapsing_a_span_hides_its_descendants(browser, kansoku, traces):
    trace = traces[0]
    open_trace(browser, kansoku, trace.trace_id)
    checkout = trace.span("co_server")
    descendants = {s.span_id for s in trace.spans if s.key in ("validate", "charge", "pay_server", "select", "fraud", "audit")}
    row_of(browser, checkout.span_id).find_element(By.CSS_SELECTOR, ".wf-toggle").click()
    until(browser, lambda d: len(rows(d)) == len(LAYOUT) - len(descendants))
    visible = {r.get_attribute("data-span-id") for r in rows(browser)}
    assert visible == {s.span_id for s in trace.spans} - descendants
    assert row_of(browser, checkout.span_id).find_element(By.CSS_SELECTOR, ".wf-hidden-count").text == f"+{len(descendants)}"
    assert urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query)["collapsed"] == [checkout.span_id]

    # The state is in the URL: a reload keeps the subtree collapsed, and expanding brings it back.
    open_trace(browser, kansoku, trace.trace_id, f"?collapsed={checkout.span_id}")
    assert len(rows(browser)) == len(LAYOUT) - len(descendants)
    row_of(browser, checkout.span_id).find_element(By.CSS_SELECTOR, ".wf-toggle").click()
    until(browser, lambda d: len(rows(d)) == len(LAYOUT))


def test_critical_path_marks_the_spans_that_set_the_latency(browser, kansoku, traces):
    trace = traces[0]
    open_trace(browser, kansoku, trace.trace_id)
    critical = {r.get_attribute("data-span-id") for r in browser.find_elements(By.CSS_SELECTOR, ".wf-row.critical")}
    assert critical == trace.critical_ids
    assert browser.find_elements(By.CSS_SELECTOR, f'.wf-row[data-span-id="{trace.span("fraud").span_id}"] .wf-critical')
    assert not browser.find_elements(By.CSS_SELECTOR, f'.wf-row[data-span-id="{trace.span("select").span_id}"] .wf-critical')

    toggle = browser.find_element(By.CSS_SELECTOR, ".critical-toggle input")
    toggle.click()
    until(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, ".wf-row.critical, .wf-critical"))
    assert urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query)["critical"] == ["0"]
    toggle.click()
    until(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".wf-row.critical")) == len(trace.critical_ids))


def test_clicking_a_span_shows_its_details(browser, kansoku, traces):
    trace = traces[0]
    payments = trace.span("pay_server")
    open_trace(browser, kansoku, trace.trace_id)
    row_of(browser, payments.span_id).click()
    details = wait_for(browser, f'.span-details[data-span-id="{payments.span_id}"]')
    assert urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query)["span"] == [payments.span_id]
    assert details.find_element(By.CSS_SELECTOR, ".sd-operation").text == "POST /charge"
    facts = details.find_element(By.CSS_SELECTOR, ".sd-facts").text
    assert "server" in facts and "54ms" in facts and "+24ms" in facts
    status = details.find_element(By.CSS_SELECTOR, ".sd-status").text
    assert "ERROR" in status and "card declined" in status

    attributes = {}
    for tr in details.find_elements(By.CSS_SELECTOR, ".sd-section table.kv")[0].find_elements(By.CSS_SELECTOR, "tr"):
        attributes[tr.find_element(By.CSS_SELECTOR, "th").text] = tr.find_element(By.CSS_SELECTOR, "td").text
    assert attributes == {"rpc.system": "grpc", "card.brand": "visa"}
    events = details.find_elements(By.CSS_SELECTOR, ".sd-event")
    assert [e.find_element(By.CSS_SELECTOR, ".sd-event-name").text for e in events] == ["card.authorization.started", "exception"]
    assert "+25ms" in events[0].text and "attempt" in events[0].text
    assert "card declined by issuer" in events[1].text and "CardDeclined" in events[1].text

    # RED metrics of payments around the trace: 3 POST /charge requests, 1 failed.
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".red-panel .red-stat"))
    stats = [s.text for s in details.find_elements(By.CSS_SELECTOR, ".red-panel .red-stat")]
    assert "3 requests" in stats[0]
    assert "33.3%" in stats[1] and "1 failed" in stats[1]
    assert stats[2].startswith("p95 · POST /charge")
    # ... and their requests and errors per minute over that window, as a two-series chart.
    wait_for(browser, '.red-panel .red-history .timechart[data-series-count="2"]')

    # The parent link selects the parent span.
    details.find_element(By.CSS_SELECTOR, ".sd-facts button.link").click()
    wait_for(browser, f'.span-details[data-span-id="{trace.span("charge").span_id}"]')
    assert "selected" in row_of(browser, trace.span("charge").span_id).get_attribute("class").split()
    screenshot(browser, "trace-span-details-dark")


def test_logs_panel_lists_the_traces_lines(browser, kansoku, traces):
    trace = traces[0]
    open_trace(browser, kansoku, trace.trace_id)
    until(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".trace-logs .trace-log-line")) == len(trace.logs))
    lines = browser.find_elements(By.CSS_SELECTOR, ".trace-logs .trace-log-line")
    shown = [(l.get_attribute("data-level"), l.find_element(By.CSS_SELECTOR, ".ll-text").text, l.get_attribute("data-span-id")) for l in lines]
    expected = [("warn" if level == "warning" else level, message, trace.span(key).span_id) for level, message, key in trace.logs]
    assert shown == expected

    failure = next(l for l in lines if "card declined" in l.text)
    failure.click()
    payments = trace.span("pay_server").span_id
    wait_for(browser, f'.span-details[data-span-id="{payments}"]')
    assert "selected" in row_of(browser, payments).get_attribute("class").split()
    assert "selected" in failure.get_attribute("class").split()

    href = browser.find_element(By.CSS_SELECTOR, ".trace-logs a.open-in-logs").get_attribute("href")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(href).query)
    assert query["query"] == [f'{{service_name=~"frontend|checkout|payments"}} | trace_id="{trace.trace_id}"']
    assert int(query["from"][0]) < int(query["to"][0])


def test_unknown_trace_says_so(browser, kansoku, traces):
    open_view(browser, kansoku.api_url, "/ui/traces/0123456789abcdef0123456789abcdef")
    assert "No spans of trace 0123456789abcdef0123456789abcdef" in wait_for(browser, ".state.empty").text
