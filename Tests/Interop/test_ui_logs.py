"""The logs view (/ui/logs) in a real browser against a server filled by the
real OpenTelemetry SDK: log records with levels info/warn/error, JSON and
logfmt bodies, some emitted inside spans so they carry trace ids.

Asserts what the page shows: the lines of a query (count and text), the
volume histogram's one series per level, a line's parsed fields, its trace
link (and that it opens the trace view), the server's message for a bad
query, and a line that arrives while live tail is on. Screenshots in dark and
light theme go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import time
import urllib.parse
import uuid

import pytest
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry._logs import SeverityNumber
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser_support import console_errors, open_view, screenshot, until, wait_for, wait_for_settled
from conftest import hex_trace_id, new_session
from sdk_support import log_exporter, span_exporter

SERVICE = "shop-api"
LEVELS = {"info": (SeverityNumber.INFO, "INFO"), "warn": (SeverityNumber.WARN, "WARN"),
          "error": (SeverityNumber.ERROR, "ERROR")}
JSON_LINE = '{"msg":"order placed","order_id":"A-17","amount":12.5,"customer":{"tier":"gold"}}'
LOGFMT_LINE = 'level=error msg="payment declined" order_id=A-17 code=51'
WARN_LINE = 'msg="inventory low" sku=KB-42 remaining=3'
BACKGROUND = 45  # plain request lines spread over the last 45 minutes


class Telemetry:
    """The SDK's logger and tracer for one service, exporting to the server over OTLP/HTTP."""

    def __init__(self, server):
        resource = Resource.create({"service.name": SERVICE, "deployment.environment.name": "ui-test"})
        self.logs = LoggerProvider(resource=resource)
        self.logs.add_log_record_processor(SimpleLogRecordProcessor(log_exporter(server, "http")))
        self.traces = TracerProvider(resource=resource)
        self.traces.add_span_processor(SimpleSpanProcessor(span_exporter(server, "http")))
        self.logger = self.logs.get_logger("shop.api", "1.0.0")
        self.tracer = self.traces.get_tracer("shop.api")

    def emit(self, level: str, body: str, timestamp_ns: int | None = None) -> None:
        number, text = LEVELS[level]
        self.logger.emit(timestamp=timestamp_ns or time.time_ns(), severity_number=number, severity_text=text, body=body)

    def close(self) -> None:
        self.logs.shutdown()
        self.traces.shutdown()


@pytest.fixture(scope="module")
def shop(kansoku):
    """Fills the server: background request lines at info/warn/error, then an order whose two
    log lines (JSON and logfmt) are emitted inside spans; returns the order's trace id."""
    telemetry = Telemetry(kansoku)
    now = time.time_ns()
    for i in range(BACKGROUND):
        level = "error" if i % 9 == 4 else "warn" if i % 5 == 2 else "info"
        status = {"info": 200, "warn": 429, "error": 503}[level]
        telemetry.emit(level, f"GET /api/cart/{i} {status} in {10 + i}ms", now - (BACKGROUND - i) * 60 * 10**9)
    telemetry.emit("warn", WARN_LINE)
    with telemetry.tracer.start_as_current_span("checkout") as checkout:
        telemetry.emit("info", JSON_LINE)
        with telemetry.tracer.start_as_current_span("charge-card"):
            telemetry.emit("error", LOGFMT_LINE)
        trace_id = hex_trace_id(checkout.get_span_context().trace_id)
    yield {"server": kansoku, "telemetry": telemetry, "trace_id": trace_id}
    telemetry.close()


def logs_path(query: str, **params) -> str:
    return "/ui/logs?" + urllib.parse.urlencode({"query": query, **params})


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, ".logs-list > .logs-row")


def wait_rows(driver, count: int):
    until(driver, lambda d: len(rows(d)) == count,
                                        f"expected {count} log rows, saw {len(rows(driver))}")
    return rows(driver)


def set_theme(driver, theme: str) -> None:
    if driver.execute_script("return document.documentElement.dataset.theme") != theme:
        driver.find_element(By.ID, "theme-toggle").click()


def test_query_shows_lines_histogram_and_fields(browser, shop):
    server = shop["server"]
    open_view(browser, server.api_url, logs_path(f'{{service_name="{SERVICE}"}} |= "A-17"'))
    found = wait_rows(browser, 2)
    # Newest first: the logfmt error was emitted after the JSON line.
    texts = [row.find_element(By.CSS_SELECTOR, ".logs-text").text for row in found]
    assert texts == [LOGFMT_LINE, JSON_LINE]
    assert [row.get_attribute("data-level") for row in found] == ["error", "info"]
    assert browser.find_element(By.CSS_SELECTOR, ".logs-stats").get_attribute("data-lines") == "2"

    # Expanding the JSON line shows its stream labels, structured metadata and the fields parsed from it.
    found[1].click()
    details = wait_for(browser, ".logs-row.open + .logs-details")
    stream = {r.find_element(By.TAG_NAME, "th").text: r.find_element(By.TAG_NAME, "td").text
              for r in details.find_elements(By.CSS_SELECTOR, ".stream-labels tr")}
    assert stream.get("service_name") == SERVICE
    metadata = {r.find_element(By.TAG_NAME, "th").text: r.find_element(By.TAG_NAME, "td").text
                for r in details.find_elements(By.CSS_SELECTOR, ".metadata tr")}
    assert metadata.get("trace_id") == shop["trace_id"] and metadata.get("detected_level") == "info"
    parsed = {r.find_element(By.TAG_NAME, "th").text: r.find_element(By.TAG_NAME, "td").text
              for r in details.find_elements(By.CSS_SELECTOR, ".parsed-fields tr")}
    assert parsed == {"msg": "order placed", "order_id": "A-17", "amount": "12.5", "customer_tier": "gold"}
    assert "JSON" in details.find_element(By.CSS_SELECTOR, ".parsed-fields h3").text
    assert not console_errors(browser)


def test_volume_histogram_has_a_series_per_level(browser, shop):
    server = shop["server"]
    open_view(browser, server.api_url, logs_path(f'{{service_name="{SERVICE}"}}'))
    wait_rows(browser, BACKGROUND + 3)
    chart = wait_for(browser, ".logs-volume .timechart")
    until(browser, lambda d: chart.get_attribute("data-series-count") == "3")
    legend = [item.text for item in browser.find_elements(By.CSS_SELECTOR, ".logs-volume .legend-item")]
    assert legend == ["error", "warn", "info"]
    total = browser.find_element(By.CSS_SELECTOR, ".logs-volume-total").text
    assert total.startswith(f"{BACKGROUND + 3} lines"), total

    # A line of each kind, expanded, for the screenshots.
    logfmt = next(r for r in rows(browser) if r.find_element(By.CSS_SELECTOR, ".logs-text").text == LOGFMT_LINE)
    logfmt.click()
    wait_for(browser, ".logs-row.open + .logs-details .parsed-fields")
    set_theme(browser, "dark")
    screenshot(browser, "logs-dark")
    set_theme(browser, "light")
    screenshot(browser, "logs-light")
    set_theme(browser, "dark")
    assert not console_errors(browser)


def test_drag_on_histogram_zooms(browser, shop):
    server = shop["server"]
    open_view(browser, server.api_url, logs_path(f'{{service_name="{SERVICE}"}}', **{"from": "now-1h", "to": "now"}))
    plot = wait_for(browser, ".logs-volume .timechart-plot")
    until(browser, lambda d: plot.find_element(By.XPATH, "..").get_attribute("data-series-count") == "3")
    width = plot.size["width"]
    from selenium.webdriver import ActionChains
    ActionChains(browser).move_to_element_with_offset(plot, int(width * 0.1) - width // 2, 0).click_and_hold() \
        .move_by_offset(int(width * 0.4), 0).release().perform()
    until(browser, lambda d: "from=" in d.current_url and "from=now" not in d.current_url)
    params = urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query)
    start, end = int(params["from"][0]), int(params["to"][0])
    assert 0 < end - start < 3600_000, (start, end)
    wait_for_settled(browser)
    assert not console_errors(browser)


def test_trace_link_opens_the_trace(browser, shop):
    server, trace_id = shop["server"], shop["trace_id"]
    open_view(browser, server.api_url, logs_path(f'{{service_name="{SERVICE}"}} |= "order placed"'))
    row = wait_rows(browser, 1)[0]
    link = row.find_element(By.CSS_SELECTOR, "a.logs-trace-link")
    assert urllib.parse.urlparse(link.get_attribute("href")).path == f"/ui/traces/{trace_id}"
    link.click()
    until(browser, lambda d: urllib.parse.urlparse(d.current_url).path == f"/ui/traces/{trace_id}")
    # The traces view is another module; when it is there, it must show this trace's spans.
    if new_session().get(f"{server.api_url}/ui/assets/js/pages/traces.js", timeout=10).status_code == 200:
        wait_for_settled(browser)
        until(browser, lambda d: "charge-card" in d.find_element(By.ID, "view").text)
        assert not console_errors(browser)


def test_bad_query_shows_the_server_error(browser, shop):
    server = shop["server"]
    bad = f'{{service_name="{SERVICE}"'
    answer = new_session().get(f"{server.api_url}/loki/api/v1/query_range", params={"query": bad}, timeout=10)
    assert answer.status_code == 400
    message = answer.text.strip()
    open_view(browser, server.api_url, logs_path(bad))
    shown = wait_for(browser, ".logql-error .query-error-message").text
    assert shown == message
    assert not rows(browser)
    # Chromium logs the 400 answers themselves; anything else would be a script error.
    assert not [e for e in console_errors(browser) if "the server responded with a status of 400" not in e]


def test_label_completion_after_brace(browser, shop):
    server = shop["server"]
    open_view(browser, server.api_url, "/ui/logs")
    picks = [b.text for b in browser.find_elements(By.CSS_SELECTOR, ".stream-pick")]
    assert any(SERVICE in text for text in picks), picks
    editor = browser.find_element(By.CSS_SELECTOR, ".logql-input")
    editor.send_keys("{serv")
    until(browser, 
        lambda d: [li.text.split("\n")[-1] for li in d.find_elements(By.CSS_SELECTOR, ".logql-editor .completions li")] == ["service_name"])
    editor.send_keys(Keys.ENTER)
    until(browser, lambda d: SERVICE in d.find_element(By.CSS_SELECTOR, ".logql-editor .completions").text)
    editor.send_keys(Keys.ENTER)
    assert editor.get_attribute("value") == f'{{service_name="{SERVICE}"}}'
    editor.send_keys(Keys.ENTER)
    wait_rows(browser, BACKGROUND + 3)
    assert urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query)["query"] == [f'{{service_name="{SERVICE}"}}']
    assert not console_errors(browser)


def test_live_tail_shows_a_new_line(browser, shop):
    server, telemetry = shop["server"], shop["telemetry"]
    marker = f"live-{uuid.uuid4().hex[:8]}"
    open_view(browser, server.api_url, logs_path(f'{{service_name="{SERVICE}"}} |= "live-"', live="1"))
    until(browser, 
        lambda d: d.find_element(By.CSS_SELECTOR, ".live-status").get_attribute("data-status") == "live")
    assert not rows(browser), "no line matched before the tail started"
    telemetry.emit("warn", f"cache refill {marker} started")
    telemetry.emit("info", "unrelated line")
    found = wait_rows(browser, 1)
    assert found[0].find_element(By.CSS_SELECTOR, ".logs-text").text == f"cache refill {marker} started"
    assert found[0].get_attribute("data-level") == "warn"

    # Paused, a new line is held rather than shown; resuming shows it on top.
    browser.find_element(By.CSS_SELECTOR, ".live-pause").click()
    telemetry.emit("error", f"cache refill {marker} failed")
    until(browser, lambda d: "1 new line held" in d.find_element(By.CSS_SELECTOR, ".live-held").text)
    assert len(rows(browser)) == 1
    browser.find_element(By.CSS_SELECTOR, ".live-pause").click()
    found = wait_rows(browser, 2)
    assert found[0].find_element(By.CSS_SELECTOR, ".logs-text").text == f"cache refill {marker} failed"
    screenshot(browser, "logs-live")
    assert not console_errors(browser)
