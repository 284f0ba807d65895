"""The dashboards view in a real browser (Debian's chromium through selenium)
against the real server, with metrics the OpenTelemetry SDK exported for two
services: a dashboard is built in the UI (a template variable, a time series
panel using it, a stat panel), saved, reloaded; switching the variable changes
the series drawn and the URL; a save based on a stale version shows the
conflict; a Grafana dashboard JSON (fixtures/grafana_dashboard.json) is
imported with its panels, and what could not be imported is listed.
Screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from opentelemetry.metrics import Observation
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from browser_support import console_errors, open_view, screenshot, until, wait_for, wait_for_settled
from sdk_support import FLUSH_TIMEOUT_MS, RecordingMetricExporter, assert_all_succeeded, metric_exporter

FIXTURE = Path(__file__).parent / "fixtures" / "grafana_dashboard.json"
API = "/api/kansoku/v1/dashboards"
# What each service exports: its routes (one `dash_requests_total` series each), its temperature and queue depths.
SERVICES = {
    "dash-api": {"routes": {"/a": 5, "/b": 3, "/c": 12}, "temperature": 21.5, "queues": {"q1": 4}},
    "dash-worker": {"routes": {"/x": 7, "/y": 1}, "temperature": 30.5, "queues": {"q1": 2, "q2": 9}},
}
REQUESTS_QUERY = 'sum by (route) (dash_requests_total{job="$job"})'


EXPORTS = 3


def export_service(kansoku, name: str, spec: dict) -> None:
    """One service's metrics through the SDK, exported a few times a second apart, so rate() has samples to work with."""
    otlp = RecordingMetricExporter(metric_exporter(kansoku, "http"))
    reader = PeriodicExportingMetricReader(otlp, export_interval_millis=3_600_000, export_timeout_millis=30_000)
    provider = MeterProvider(resource=Resource.create({"service.name": name}), metric_readers=[reader])
    try:
        meter = provider.get_meter("kansoku.ui.dashboards")
        requests = meter.create_counter("dash.requests")
        depth = meter.create_up_down_counter("dash.queue.depth")
        meter.create_observable_gauge("dash.temperature", callbacks=[lambda _options: [Observation(spec["temperature"])]])
        for route, count in spec["routes"].items():
            requests.add(count, {"route": route})
        for queue, items in spec["queues"].items():
            depth.add(items, {"queue": queue})
        assert provider.force_flush(FLUSH_TIMEOUT_MS), "MeterProvider.force_flush timed out"
        for _ in range(EXPORTS - 1):
            time.sleep(1)  # not a wait for anything: samples at distinct times, as a real exporter's would be
            for route in spec["routes"]:
                requests.add(1, {"route": route})
            assert provider.force_flush(FLUSH_TIMEOUT_MS), "MeterProvider.force_flush timed out"
        assert_all_succeeded(otlp, "metric")
    finally:
        provider.shutdown()


@pytest.fixture(scope="module")
def window(kansoku):
    """Exports both services; returns the URL time window around the export (epoch ms), so the test's
    samples sit inside it whenever the test runs, and its instant queries (at the end) still see them."""
    for name, spec in SERVICES.items():
        export_service(kansoku, name, spec)
    exported = int(time.time() * 1000)
    r = kansoku.session.get(f"{kansoku.api_url}/api/v1/query", params={"query": "count by (job) (dash_requests_total)"}, timeout=30)
    assert {s["metric"]["job"] for s in r.json()["data"]["result"]} == set(SERVICES), r.text
    return {"from": str(exported - 600_000), "to": str(exported + 120_000)}


def url_params(driver) -> dict[str, list[str]]:
    return parse_qs(urlparse(driver.current_url).query)


def chart_series(driver, panel_title: str, count: int):
    """The chart of the panel titled `panel_title`, once it draws `count` series."""
    css = f'.dash-panel[data-panel-id="{panel_id(driver, panel_title)}"] .timechart[data-series-count="{count}"]'
    until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, css),
                                        f"panel {panel_title!r} never drew {count} series")
    return driver.find_element(By.CSS_SELECTOR, css)


def panel_id(driver, title: str) -> str:
    until(driver, lambda d: title in panel_titles(d), f"no panel titled {title!r}")
    for panel in driver.find_elements(By.CSS_SELECTOR, ".dash-panel"):
        if panel.find_element(By.CSS_SELECTOR, ".dash-panel-title").text == title:
            return panel.get_attribute("data-panel-id")
    raise AssertionError(title)


def texts(driver, css: str, attribute: str | None = None) -> list[str]:
    """The text (or an attribute) of every element matching `css`, read in one step, so a
    re-render in between cannot leave a stale element."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => arguments[1] ? e.getAttribute(arguments[1]) : e.innerText)",
        css, attribute)


def panel_titles(driver) -> list[str]:
    return texts(driver, ".dash-panel .dash-panel-title")


def stat_shows(driver, value: float, text: str) -> None:
    until(driver, 
        lambda d: [text] == [t for v, t in zip(texts(d, ".dash-stat", "data-value"), texts(d, ".dash-stat-value"))
                             if float(v) == value],
        f"no stat panel showing {text}")


def type_into(element, text: str) -> None:
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    element.send_keys(text)


def button(driver, label: str, scope=None):
    root = scope or driver
    matches = [b for b in root.find_elements(By.CSS_SELECTOR, "button") if b.text.strip() == label and b.is_displayed()]
    assert matches, f"no visible button {label!r}"
    return matches[0]


def drawer(driver):
    return wait_for(driver, ".dash-drawer")


def set_theme(driver, theme: str) -> None:
    if driver.execute_script("return document.documentElement.dataset.theme") != theme:
        driver.find_element(By.ID, "theme-toggle").click()
    until(driver, lambda d: d.execute_script("return document.documentElement.dataset.theme") == theme)


def assert_no_console_errors(driver, allowed: tuple[str, ...] = ()) -> None:
    errors = [e for e in console_errors(driver) if not any(a in e for a in allowed)]
    assert not errors, f"console errors: {errors}"


def stored(kansoku, uid: str) -> dict:
    r = kansoku.session.get(f"{kansoku.api_url}{API}/{uid}", timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="module")
def created_uid(browser, kansoku, window):
    """Builds a dashboard in the UI: a `job` variable, a time series panel using it, a stat panel; saves it."""
    open_view(browser, kansoku.api_url, "/ui/dashboards")
    set_theme(browser, "dark")
    wait_for(browser, ".dash-list .state.empty")
    screenshot(browser, "dashboards-empty-list")
    browser.find_element(By.CSS_SELECTOR, "button[name=new-dashboard]").click()
    wait_for_settled(browser)
    # Keep the test's window in the URL, as a shared link would.
    browser.get(f"{kansoku.api_url}/ui/dashboards/new?{urlencode(window)}")
    wait_for_settled(browser)
    type_into(wait_for(browser, "input.dash-title-input"), "Dash services")

    button(browser, "Variables").click()
    button(browser, "+ Add variable", drawer(browser)).click()
    browser.find_element(By.CSS_SELECTOR, ".dash-drawer input[name=name-0]").send_keys("job")
    browser.find_element(By.CSS_SELECTOR, ".dash-drawer input[name=query-0]").send_keys("label_values(dash_requests_total, job)")
    button(browser, "Apply", drawer(browser)).click()
    picker = Select(wait_for(browser, 'select[name="var-job"]'))
    until(browser, lambda d: [o.text for o in Select(d.find_element(By.CSS_SELECTOR, 'select[name="var-job"]')).options] == sorted(SERVICES))
    assert picker.first_selected_option.text == "dash-api"

    button(browser, "+ Add panel").click()
    panel_drawer = drawer(browser)
    type_into(panel_drawer.find_element(By.CSS_SELECTOR, "input[name=title]"), "Requests by route")
    panel_drawer.find_element(By.CSS_SELECTOR, "textarea[name=expr-0]").send_keys(REQUESTS_QUERY)
    panel_drawer.find_element(By.CSS_SELECTOR, "input[name=legend-0]").send_keys("{{route}}")
    screenshot(browser, "dashboards-panel-editor")
    button(browser, "Apply", panel_drawer).click()
    chart_series(browser, "Requests by route", len(SERVICES["dash-api"]["routes"]))

    button(browser, "+ Add panel").click()
    panel_drawer = drawer(browser)
    Select(panel_drawer.find_element(By.CSS_SELECTOR, "select[name=type]")).select_by_value("stat")
    type_into(panel_drawer.find_element(By.CSS_SELECTOR, "input[name=title]"), "Temperature")
    panel_drawer.find_element(By.CSS_SELECTOR, "textarea[name=expr-0]").send_keys('dash_temperature{job="$job"}')
    panel_drawer.find_element(By.CSS_SELECTOR, "input[name=unit]").send_keys("celsius")
    button(browser, "Apply", panel_drawer).click()
    stat_shows(browser, SERVICES["dash-api"]["temperature"], "21.5 °C")
    screenshot(browser, "dashboards-editing")

    browser.find_element(By.CSS_SELECTOR, "button[name=save]").click()
    until(browser, lambda d: "/ui/dashboards/new" not in d.current_url, "the dashboard was not saved")
    wait_for_settled(browser)
    uid = urlparse(browser.current_url).path.rsplit("/", 1)[1]
    assert_no_console_errors(browser)
    return uid


def test_created_dashboard_persists_and_follows_its_variable(browser, kansoku, window, created_uid):
    model = stored(kansoku, created_uid)
    assert model["title"] == "Dash services" and model["version"] == 1
    assert [p["title"] for p in model["panels"]] == ["Requests by route", "Temperature"]
    assert model["panels"][0]["targets"] == [{"expr": REQUESTS_QUERY, "legendFormat": "{{route}}"}]
    assert model["templating"]["list"][0]["name"] == "job"

    browser.refresh()
    wait_for_settled(browser)
    assert wait_for(browser, "h1.dash-title").text == "Dash services"
    assert panel_titles(browser) == ["Requests by route", "Temperature"]
    chart = chart_series(browser, "Requests by route", len(SERVICES["dash-api"]["routes"]))
    legend = [e.text for e in chart.find_elements(By.CSS_SELECTOR, ".legend-item")]
    assert sorted(legend) == sorted(SERVICES["dash-api"]["routes"]), legend
    stat_shows(browser, SERVICES["dash-api"]["temperature"], "21.5 °C")

    Select(browser.find_element(By.CSS_SELECTOR, 'select[name="var-job"]')).select_by_visible_text("dash-worker")
    chart_series(browser, "Requests by route", len(SERVICES["dash-worker"]["routes"]))
    stat_shows(browser, SERVICES["dash-worker"]["temperature"], "30.5 °C")
    assert url_params(browser)["var-job"] == ["dash-worker"]
    screenshot(browser, "dashboards-dashboard-dark")
    set_theme(browser, "light")
    screenshot(browser, "dashboards-dashboard-light")
    set_theme(browser, "dark")

    # The URL alone brings the same view back.
    open_view(browser, kansoku.api_url, f"/ui/dashboards/{created_uid}?{urlencode({**window, 'var-job': 'dash-worker'})}")
    chart_series(browser, "Requests by route", len(SERVICES["dash-worker"]["routes"]))
    assert Select(browser.find_element(By.CSS_SELECTOR, 'select[name="var-job"]')).first_selected_option.text == "dash-worker"
    assert_no_console_errors(browser)


def test_stale_version_save_shows_the_conflict(browser, kansoku, window, created_uid):
    open_view(browser, kansoku.api_url, f"/ui/dashboards/{created_uid}?{urlencode(window)}")
    browser.find_element(By.CSS_SELECTOR, "button[name=edit]").click()
    type_into(wait_for(browser, "input.dash-title-input"), "My title")
    # Someone else saves in between.
    theirs = stored(kansoku, created_uid)
    theirs["title"] = "Their title"
    r = kansoku.session.put(f"{kansoku.api_url}{API}/{created_uid}", json=theirs, timeout=30)
    assert r.status_code == 200, r.text

    browser.find_element(By.CSS_SELECTOR, "button[name=save]").click()
    message = wait_for(browser, ".dash-message.error")
    assert "changed by someone else" in message.text, message.text
    assert stored(kansoku, created_uid)["title"] == "Their title", "the stale save must not overwrite"
    screenshot(browser, "dashboards-conflict")
    button(browser, "Load their version (drop my changes)").click()
    until(browser, lambda d: d.find_element(By.CSS_SELECTOR, "input.dash-title-input").get_attribute("value") == "Their title")
    # Chromium logs the refused save itself as a failed request; nothing else may be logged.
    assert_no_console_errors(browser, allowed=("status of 409 (Conflict)",))


def test_grafana_import(browser, kansoku, window):
    open_view(browser, kansoku.api_url, "/ui/dashboards")
    browser.find_element(By.CSS_SELECTOR, "button[name=import]").click()
    box = wait_for(browser, "textarea[name=grafana-json]")
    browser.execute_script("arguments[0].value = arguments[1]", box, FIXTURE.read_text())
    browser.find_element(By.CSS_SELECTOR, "button[name=preview-import]").click()
    lost = wait_for(browser, ".dash-import-lost")
    assert "heatmap" in lost.text, lost.text
    previewed = [li.text for li in browser.find_elements(By.CSS_SELECTOR, ".dash-import-panels li")]
    assert len(previewed) == 5 and any("Queue depth" in t and "graph" in t for t in previewed), previewed
    screenshot(browser, "dashboards-import")
    browser.find_element(By.CSS_SELECTOR, "button[name=create-import]").click()
    until(browser, lambda d: urlparse(d.current_url).path == "/ui/dashboards/dash-grafana")
    wait_for_settled(browser)
    expected_titles = ["Hottest temperature", "Requests by route", "Queue depth", "Requests per route", "Latency heatmap"]
    until(browser, lambda d: panel_titles(d) == expected_titles, f"panels {panel_titles(browser)}")

    open_view(browser, kansoku.api_url, f"/ui/dashboards/dash-grafana?{urlencode(window)}")
    every_route = sum(len(s["routes"]) for s in SERVICES.values())
    chart_series(browser, "Requests by route", every_route)  # job=All: both services' routes
    chart_series(browser, "Queue depth", 2)  # q1 summed over both services, q2
    stat_shows(browser, SERVICES["dash-worker"]["temperature"], "30.5 °C")  # max() over both
    table_rows = browser.find_elements(By.CSS_SELECTOR, f'.dash-panel[data-panel-id="{panel_id(browser, "Requests per route")}"] tbody tr')
    assert len(table_rows) == every_route
    note = browser.find_element(By.CSS_SELECTOR, f'.dash-panel[data-panel-id="{panel_id(browser, "Latency heatmap")}"] .dash-text')
    assert "heatmap" in note.text
    assert browser.find_element(By.CSS_SELECTOR, ".dash-multi summary").text == "All"
    screenshot(browser, "dashboards-imported")
    assert_no_console_errors(browser)


def test_layout_drag_and_json_model(browser, kansoku, window):
    """Resize a panel by its corner, then edit the JSON model: errors are named, a good model applies; save."""
    open_view(browser, kansoku.api_url, f"/ui/dashboards/dash-grafana?{urlencode(window)}&edit=1")
    before = stored(kansoku, "dash-grafana")
    stat = browser.find_element(By.CSS_SELECTOR, f'.dash-panel[data-panel-id="{panel_id(browser, "Hottest temperature")}"]')
    column = browser.find_element(By.CSS_SELECTOR, ".dash-grid").size["width"] / 24
    handle = stat.find_element(By.CSS_SELECTOR, ".dash-resize-handle")
    ActionChains(browser).click_and_hold(handle).move_by_offset(int(2 * column), 0).release().perform()
    until(browser, lambda d: "dirty" in d.find_element(By.CSS_SELECTOR, ".page").get_attribute("class"))

    button(browser, "JSON model").click()
    box = wait_for(browser, "textarea[name=model]")
    model = json.loads(box.get_attribute("value"))
    assert next(p for p in model["panels"] if p["title"] == "Hottest temperature")["gridPos"]["w"] == 8, "the drag resized the panel"
    browser.execute_script("arguments[0].value = arguments[1]", box, '{"title": "broken",\n  "panels": [}')
    button(browser, "Apply", drawer(browser)).click()
    assert "line 2" in wait_for(browser, ".dash-json-errors").text
    model["panels"][0]["type"] = "heatmap"
    browser.execute_script("arguments[0].value = arguments[1]", box, json.dumps(model))
    button(browser, "Apply", drawer(browser)).click()
    until(browser, lambda d: "panels[0].type" in d.find_element(By.CSS_SELECTOR, ".dash-json-errors").text)
    screenshot(browser, "dashboards-json-model")
    model["panels"][0]["type"] = "stat"
    model["title"] = "Dash services (imported)"
    browser.execute_script("arguments[0].value = arguments[1]", box, json.dumps(model))
    button(browser, "Apply", drawer(browser)).click()
    until(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, ".dash-drawer"))
    assert browser.find_element(By.CSS_SELECTOR, "input.dash-title-input").get_attribute("value") == "Dash services (imported)"

    browser.find_element(By.CSS_SELECTOR, "button[name=save]").click()
    wait_for(browser, ".dash-message.ok")
    saved = stored(kansoku, "dash-grafana")
    assert saved["version"] == before["version"] + 1 and saved["title"] == "Dash services (imported)"
    assert next(p for p in saved["panels"] if p["title"] == "Hottest temperature")["gridPos"] == {"x": 0, "y": 0, "w": 8, "h": 6}
    assert "edit" not in url_params(browser), "saving leaves edit mode"
    assert_no_console_errors(browser)


def test_list_and_delete(browser, kansoku, created_uid):
    open_view(browser, kansoku.api_url, "/ui/dashboards")
    assert set(texts(browser, ".dash-table-list tbody tr", "data-uid")) == {created_uid, "dash-grafana"}
    screenshot(browser, "dashboards-list")
    row = browser.find_element(By.CSS_SELECTOR, f'.dash-table-list tr[data-uid="{created_uid}"]')
    row.find_element(By.CSS_SELECTOR, "button[name=delete]").click()
    row.find_element(By.CSS_SELECTOR, "button[name=confirm-delete]").click()
    until(browser, lambda d: texts(d, ".dash-table-list tbody tr", "data-uid") == ["dash-grafana"])
    assert kansoku.session.get(f"{kansoku.api_url}{API}/{created_uid}", timeout=30).status_code == 404
    assert_no_console_errors(browser)
