"""The metrics explorer in a real browser (Debian's chromium through selenium)
against the real server: a counter exported by the OpenTelemetry SDK with
three label combinations is graphed (one line per series, a legend naming
them), listed in the table tab, offered by autocomplete; a syntax error shows
the server's message; the URL carries the query and range, and a drag on the
chart zooms. 100 series × 1,000 points pushed with remote_write (the SDK
cannot backfill history) measure how long the chart takes to render.
Screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import math
import time
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser_support import console_errors, open_view, screenshot, until, wait_for, wait_for_settled
from remote_write_support import post, series
from sdk_support import FLUSH_TIMEOUT_MS, RecordingMetricExporter, assert_all_succeeded, make_resource, metric_exporter

# What the SDK adds per route, and so the counter's value per series.
ROUTE_TOTALS = {"/a": 5, "/b": 3, "/c": 12}
METRIC = "ui_checkout_requests_total"
PERF_SERIES, PERF_POINTS, PERF_STEP_MS = 100, 1000, 15_000


@pytest.fixture(scope="module")
def checkout(kansoku):
    """The SDK's counter `ui.checkout.requests` with three `route`s, exported once; the job label names it."""
    resource = make_resource("http", "ui-metrics")
    otlp = RecordingMetricExporter(metric_exporter(kansoku, "http"))
    reader = PeriodicExportingMetricReader(otlp, export_interval_millis=3_600_000, export_timeout_millis=30_000)
    provider = MeterProvider(resource=resource, metric_readers=[reader])
    try:
        counter = provider.get_meter("kansoku.ui.metrics").create_counter("ui.checkout.requests", unit="{request}")
        counter.add(5, {"route": "/a"})
        counter.add(3, {"route": "/b"})
        counter.add(4, {"route": "/c"})
        counter.add(8, {"route": "/c"})
        assert provider.force_flush(FLUSH_TIMEOUT_MS), "MeterProvider.force_flush timed out"
        assert_all_succeeded(otlp, "metric")
        exported = int(time.time() * 1000)
    finally:
        provider.shutdown()
    job = resource.attributes["service.name"]
    # A fixed window around the export: the samples' line spans its last third (5 minutes of lookback), whenever the test runs.
    window = {"from": str(exported - 600_000), "to": str(exported + 300_000)}
    return {"job": job, "query": f'{METRIC}{{job="{job}"}}', "window": window, "exported": exported}


@pytest.fixture(scope="module")
def perf_server(module_server_factory):
    """A server of its own for the 100 × 1,000 history: on the shared one, the SDK's samples at "now" would
    already fill the head, and hours-old samples behind them are out of bounds, as in Prometheus."""
    return module_server_factory(name="test_ui_metrics-perf")


@pytest.fixture(scope="module")
def perf_window(perf_server):
    """100 gauges × 1,000 samples 15 s apart, ending now, through remote_write: the window (ms) they cover."""
    end = int(time.time()) // 15 * 15 * 1000
    start = end - (PERF_POINTS - 1) * PERF_STEP_MS
    for first in range(0, PERF_SERIES, 20):
        body = b"".join(
            series({"__name__": "ui_perf_gauge", "job": "ui-perf", "shard": f"s{k:03d}"},
                   [(start + i * PERF_STEP_MS, 100 + k + 40 * math.sin(i / 40 + k)) for i in range(PERF_POINTS)])
            for k in range(first, first + 20))
        r = post(perf_server.session, f"{perf_server.api_url}/api/v1/write", body)
        assert r.status_code == 204, r.text
    return start, end


def metrics_path(**params) -> str:
    return "/ui/metrics?" + urlencode(params)


def chart_with(driver, series_count: int):
    """The chart once it has drawn `series_count` series."""
    until(driver, 
        lambda d: d.find_elements(By.CSS_SELECTOR, f'.timechart[data-series-count="{series_count}"]'),
        f"no chart with {series_count} series")
    return driver.find_element(By.CSS_SELECTOR, ".timechart")


def drawn_series(driver) -> int:
    return int(driver.find_element(By.CSS_SELECTOR, ".timechart").get_attribute("data-series-count"))


def url_params(driver) -> dict[str, list[str]]:
    return parse_qs(urlparse(driver.current_url).query)


def editor(driver):
    return wait_for(driver, "textarea.promql-input")


def replace_query(driver, text: str) -> None:
    box = editor(driver)
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(text)


def completion_texts(driver) -> list[str]:
    wait_for(driver, ".completions li")
    return [li.find_element(By.CSS_SELECTOR, ".completion-text").text for li in driver.find_elements(By.CSS_SELECTOR, ".completions li")]


def assert_no_console_errors(driver, allowed: tuple[str, ...] = ()) -> None:
    """No SEVERE console entries, except one containing every string in `allowed` (when given)."""
    errors = [e for e in console_errors(driver) if not (allowed and all(a in e for a in allowed))]
    assert not errors, f"console errors: {errors}"


def set_theme(driver, theme: str) -> None:
    if driver.execute_script("return document.documentElement.dataset.theme") != theme:
        driver.find_element(By.ID, "theme-toggle").click()
    until(driver, lambda d: d.execute_script("return document.documentElement.dataset.theme") == theme)


def test_graph_draws_one_line_per_series_with_legend_and_hover(kansoku, browser, checkout):
    open_view(browser, kansoku.api_url, metrics_path(query=checkout["query"], **checkout["window"]))
    chart = chart_with(browser, 3)
    # The legend names each series by the label that tells them apart; what they share is said once above.
    legend = [item.text for item in chart.find_elements(By.CSS_SELECTOR, ".legend-item")]
    assert sorted(legend) == [f'{{route="{route}"}}' for route in sorted(ROUTE_TOTALS)], legend
    common = browser.find_element(By.CSS_SELECTOR, ".metrics-common-labels").text
    assert f'job="{checkout["job"]}"' in common and METRIC in common, common
    assert browser.find_element(By.CSS_SELECTOR, ".metrics-stats").get_attribute("data-series") == "3"

    # Hover near the right end of the plot: the tooltip lists the three values, largest first.
    plot = chart.find_element(By.CSS_SELECTOR, ".timechart-plot")
    ActionChains(browser).move_to_element_with_offset(plot, plot.size["width"] // 2 - 20, 0).perform()
    tooltip = wait_for(browser, ".timechart .chart-tooltip")
    rows = [(row.find_element(By.CSS_SELECTOR, ".chart-tooltip-name").text, row.find_element(By.CSS_SELECTOR, ".chart-tooltip-value").text)
            for row in tooltip.find_elements(By.CSS_SELECTOR, ".chart-tooltip-row")]
    assert rows == [('{route="/c"}', "12"), ('{route="/a"}', "5"), ('{route="/b"}', "3")], rows
    screenshot(browser, "metrics-graph-dark")

    set_theme(browser, "light")
    ActionChains(browser).move_to_element_with_offset(plot, plot.size["width"] // 2 - 20, 0).perform()
    wait_for(browser, ".timechart .chart-tooltip")
    screenshot(browser, "metrics-graph-light")
    set_theme(browser, "dark")

    # The legend: a click hides a series, shift-click shows only that one.
    items = chart.find_elements(By.CSS_SELECTOR, ".legend-item")
    items[0].click()
    assert drawn_series(browser) == 2
    ActionChains(browser).key_down(Keys.SHIFT).click(items[1]).key_up(Keys.SHIFT).perform()
    assert drawn_series(browser) == 1
    assert [i.get_attribute("class") for i in items] == ["legend-item hidden", "legend-item", "legend-item hidden"]
    assert_no_console_errors(browser)


def run_query(driver, text: str) -> None:
    """Types `text` into the editor, runs it with Ctrl+Enter and waits for the result."""
    replace_query(driver, text)
    editor(driver).send_keys(Keys.CONTROL, Keys.ENTER)
    until(driver, lambda d: url_params(d).get("query") == [text])
    wait_for_settled(driver)


def test_table_tab_lists_each_series_with_its_value(kansoku, browser, checkout):
    open_view(browser, kansoku.api_url, metrics_path(query=checkout["query"]))
    chart_with(browser, 3)
    browser.find_element(By.CSS_SELECTOR, '.tabs button[data-tab="table"]').click()
    until(browser, lambda d: url_params(d).get("tab") == ["table"])
    wait_for(browser, ".metrics-result table.data")
    rows = browser.find_elements(By.CSS_SELECTOR, ".metrics-result table.data tbody tr")
    shown = {}
    for row in rows:
        label, value = row.find_elements(By.CSS_SELECTOR, "td")
        route = next(r for r in ROUTE_TOTALS if f'route="{r}"' in label.text)
        shown[route] = float(value.find_element(By.CSS_SELECTOR, ".raw").text)
    assert shown == ROUTE_TOTALS, shown
    assert "active" in browser.find_element(By.CSS_SELECTOR, '.tabs button[data-tab="table"]').get_attribute("class")
    screenshot(browser, "metrics-table-dark")

    # A scalar result is a single row.
    run_query(browser, f"scalar(sum({checkout['query']}))")
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, ".metrics-result table.data tbody td")]
    assert cells == ["scalar", str(sum(ROUTE_TOTALS.values()))], cells

    # A range selector gives a matrix: each series with its samples (the flush and the shutdown each exported the total).
    run_query(browser, f"{checkout['query']}[10m]")
    samples = {}
    for row in browser.find_elements(By.CSS_SELECTOR, ".metrics-result table.data tbody tr"):
        label, cell = row.find_elements(By.CSS_SELECTOR, "td")
        route = next(r for r in ROUTE_TOTALS if f'route="{r}"' in label.text)
        samples[route] = {float(v.text) for v in cell.find_elements(By.CSS_SELECTOR, ".samples .num")}
    assert samples == {route: {total} for route, total in ROUTE_TOTALS.items()}, samples
    assert_no_console_errors(browser)


def test_autocomplete_offers_metric_labels_and_values(kansoku, browser, checkout):
    open_view(browser, kansoku.api_url, "/ui/metrics")
    replace_query(browser, "ui_checkout_req")
    assert METRIC in completion_texts(browser)
    screenshot(browser, "metrics-autocomplete-dark")
    box = editor(browser)
    assert completion_texts(browser)[0] == METRIC  # the first entry is selected, Enter takes it
    box.send_keys(Keys.ENTER)
    assert box.get_attribute("value") == METRIC

    box.send_keys("{")
    assert "route" in completion_texts(browser)
    box.send_keys("rou", Keys.TAB)  # takes `route`, adds `=""` and offers its values
    until(browser, lambda d: completion_texts(d) == sorted(ROUTE_TOTALS))
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER, "}")
    assert box.get_attribute("value") == f'{METRIC}{{route="/b"}}'

    box.send_keys(" / ra")
    texts = completion_texts(browser)
    assert "rate" in texts, texts
    box.send_keys(Keys.ESCAPE)
    until(browser, lambda d: not d.find_element(By.CSS_SELECTOR, ".completions").is_displayed())
    assert_no_console_errors(browser)


def test_syntax_error_shows_the_servers_message(kansoku, browser, checkout):
    broken = f"sum(rate({checkout['query']}[5m])"
    expected = kansoku.session.get(f"{kansoku.api_url}/api/v1/query", params={"query": broken}, timeout=30).json()
    assert expected["errorType"] == "bad_data", expected
    open_view(browser, kansoku.api_url, "/ui/metrics")
    replace_query(browser, broken)
    editor(browser).send_keys(Keys.CONTROL, Keys.ENTER)
    error = wait_for(browser, ".promql-error")
    assert error.find_element(By.CSS_SELECTOR, ".query-error-message").text == expected["error"]
    # The position marker points at the column the server named.
    marker = error.find_element(By.CSS_SELECTOR, ".query-error-position").text.split("\n")
    column = int(expected["error"].split(": ")[1].split(":")[1])
    assert marker[0] == broken and marker[1] == " " * (column - 1) + "^", marker
    screenshot(browser, "metrics-error-dark")
    # Chromium logs the 400 itself; nothing else may be logged.
    assert_no_console_errors(browser, allowed=("/api/v1/query_range", "status of 400"))


def test_url_keeps_query_and_range_and_drag_zooms(kansoku, browser, checkout):
    window = checkout["window"]
    open_view(browser, kansoku.api_url, metrics_path(**window))
    run_query(browser, checkout["query"])
    chart_with(browser, 3)
    params = url_params(browser)
    assert params == {"query": [checkout["query"]], "from": [window["from"]], "to": [window["to"]]}, params
    legend = [item.text for item in browser.find_elements(By.CSS_SELECTOR, ".legend-item")]

    # Reopening the URL shows the same graph.
    shared = browser.current_url
    browser.get("about:blank")
    browser.get(shared)
    wait_for_settled(browser)
    chart = chart_with(browser, 3)
    assert editor(browser).get_attribute("value") == checkout["query"]
    assert [item.text for item in chart.find_elements(By.CSS_SELECTOR, ".legend-item")] == legend

    # Dragging over the right fifth of the plot (after the export) sets that narrower range and reruns.
    plot = chart.find_element(By.CSS_SELECTOR, ".timechart-plot")
    right = plot.size["width"] // 2 - 20
    ActionChains(browser).move_to_element_with_offset(plot, right - plot.size["width"] // 5, 0).click_and_hold() \
        .move_by_offset(40, 0).move_to_element_with_offset(plot, right, 0).release().perform()
    until(browser, lambda d: url_params(d)["from"] != [window["from"]])
    params = url_params(browser)
    start, end = int(params["from"][0]), int(params["to"][0])
    assert checkout["exported"] < start < end < int(window["to"]) and end - start < 300_000, params
    assert params["query"] == [checkout["query"]]
    wait_for_settled(browser)
    chart_with(browser, 3)
    # Back returns to the range before the zoom.
    browser.back()
    until(browser, lambda d: url_params(d).get("from") == [window["from"]])
    wait_for_settled(browser)
    chart_with(browser, 3)
    assert_no_console_errors(browser)


def render_timing(driver) -> tuple[float, float, float, str]:
    """Of the chart on the page: TimeChart.setData ms, parsed response → chart drawn ms, parsed response → frame painted ms, query ms."""
    stats = driver.find_element(By.CSS_SELECTOR, ".metrics-stats")
    until(driver, lambda d: stats.get_attribute("data-paint-ms"))
    chart_ms = float(driver.find_element(By.CSS_SELECTOR, ".timechart").get_attribute("data-render-ms"))
    return chart_ms, float(stats.get_attribute("data-render-ms")), float(stats.get_attribute("data-paint-ms")), stats.get_attribute("data-query-ms")


def test_hundred_series_of_thousand_points_render_time(perf_server, browser, perf_window):
    start, end = perf_window
    path = metrics_path(query='ui_perf_gauge{job="ui-perf"}', step="15s", **{"from": str(start), "to": str(end)})
    open_view(browser, perf_server.api_url, path)
    chart_with(browser, PERF_SERIES)
    stats = browser.find_element(By.CSS_SELECTOR, ".metrics-stats")
    assert int(stats.get_attribute("data-points")) == PERF_SERIES * PERF_POINTS, stats.text
    legend = [item.text for item in browser.find_elements(By.CSS_SELECTOR, ".timechart .legend-item")]
    assert sorted(legend) == [f'{{shard="s{k:03d}"}}' for k in range(PERF_SERIES)], legend[:3]
    screenshot(browser, "metrics-100x1000-dark")
    # Three renders (the first, then two refreshes) so one slow moment on a shared machine does not make the report.
    timings = [render_timing(browser)]
    for _ in range(2):
        browser.find_element(By.CSS_SELECTOR, '.time-range button[aria-label="Refresh"]').click()
        until(browser, lambda d: d.find_element(By.CSS_SELECTOR, ".metrics-stats").get_attribute("data-render-ms"))
        chart_with(browser, PERF_SERIES)
        timings.append(render_timing(browser))
    print("\n100 series x 1,000 points, per render (ms): TimeChart.setData / parsed response to chart drawn / to frame painted / query: "
          + "; ".join(f"{chart:.1f} / {drawn:.1f} / {painted:.1f} / {query}" for chart, drawn, painted, query in timings)
          + f"; median response-to-painted {sorted(t[2] for t in timings)[1]:.1f} ms")
    assert_no_console_errors(browser)


def test_native_histograms_are_noted_in_the_graph_and_summarised_in_the_table(kansoku, browser):
    """An exponential histogram from the SDK is a native histogram: the graph does not draw it (and says
    how to chart it), the table shows its count and sum, and `histogram_count` of it is a line."""
    from opentelemetry.sdk.metrics.view import ExponentialBucketHistogramAggregation, View

    resource = make_resource("http", "ui-native-histogram")
    otlp = RecordingMetricExporter(metric_exporter(kansoku, "http"))
    reader = PeriodicExportingMetricReader(otlp, export_interval_millis=3_600_000, export_timeout_millis=30_000)
    provider = MeterProvider(resource=resource, metric_readers=[reader], views=[
        View(instrument_name="ui.latency", aggregation=ExponentialBucketHistogramAggregation())])
    try:
        latency = provider.get_meter("kansoku.ui.metrics").create_histogram("ui.latency", unit="ms")
        for v in (1, 2, 3, 4, 100):
            latency.record(v)
        assert provider.force_flush(FLUSH_TIMEOUT_MS), "MeterProvider.force_flush timed out"
        assert_all_succeeded(otlp, "metric")
        exported = int(time.time() * 1000)
    finally:
        provider.shutdown()
    query = f'ui_latency_milliseconds{{job="{resource.attributes["service.name"]}"}}'
    # The table's instant query runs at the window's end: within the 5 minutes of lookback of the export.
    window = {"from": str(exported - 600_000), "to": str(exported + 60_000)}

    open_view(browser, kansoku.api_url, metrics_path(query=query, **window))
    note = wait_for(browser, ".metrics-histogram-note")
    assert "1 native histogram series is not drawn" in note.text, note.text
    assert not browser.find_elements(By.CSS_SELECTOR, ".timechart")

    browser.find_element(By.CSS_SELECTOR, '.tabs button[data-tab="table"]').click()
    cell = wait_for(browser, ".metrics-result table.data td.histogram")
    assert "count 5" in cell.text and "sum 110" in cell.text, cell.text

    browser.find_element(By.CSS_SELECTOR, '.tabs button[data-tab="graph"]').click()
    run_query(browser, f"histogram_count({query})")
    chart_with(browser, 1)
    assert not browser.find_elements(By.CSS_SELECTOR, ".metrics-histogram-note")
    screenshot(browser, "metrics-native-histogram-dark")
    assert_no_console_errors(browser)
