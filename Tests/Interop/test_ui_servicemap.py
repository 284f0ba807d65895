"""The service map view (/ui/servicemap) in a real browser against a server
filled by the real OpenTelemetry SDK: three checkout traces across
frontend → checkout → payments (trace_scenario.py), the first failing in
payments.

Asserts what the page shows: exactly the two expected calls with their call
and error counts, the three services left to right in call order, and that
selecting a call or a service lists the traces behind it (a listed trace
opens in the trace view). Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import urllib.parse

import pytest
from selenium.webdriver.common.by import By

from browser_support import WAIT_S, console_errors, open_view, screenshot, until, wait_for
from conftest import new_session, wait_until
from trace_scenario import LAYOUT, SERVICES, emit_checkout_traces


@pytest.fixture(scope="module")
def traces(kansoku):
    emitted = emit_checkout_traces(kansoku, count=3)
    session = new_session()

    def mapped() -> bool:
        edges = session.get(f"{kansoku.api_url}/api/kansoku/v1/servicemap").json()["edges"]
        return sum(e["calls"] for e in edges) == 2 * len(emitted)

    wait_until(mapped, timeout=WAIT_S, what="the service map to count every call")
    return emitted


@pytest.fixture(autouse=True)
def no_console_errors(browser):
    console_errors(browser)
    yield
    assert console_errors(browser) == [], "the page logged errors"


def edge(browser, source: str, target: str):
    return browser.find_element(By.CSS_SELECTOR, f'.sm-edge[data-source="{source}"][data-target="{target}"]')


def query(browser) -> dict:
    return urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query)


def test_map_has_the_expected_services_and_calls(browser, kansoku, traces):
    open_view(browser, kansoku.api_url, "/ui/servicemap")
    wait_for(browser, ".service-graph .sm-node")
    nodes = {n.get_attribute("data-service"): n for n in browser.find_elements(By.CSS_SELECTOR, ".sm-node")}
    assert set(nodes) == set(SERVICES)
    edges = {(e.get_attribute("data-source"), e.get_attribute("data-target")): e
             for e in browser.find_elements(By.CSS_SELECTOR, ".sm-edge")}
    assert set(edges) == {("frontend", "checkout"), ("checkout", "payments")}
    for pair, element in edges.items():
        assert element.get_attribute("data-calls") == str(len(traces)), f"calls of {pair}"
    assert edges[("checkout", "payments")].get_attribute("data-errors") == "1"
    assert "error" in edges[("checkout", "payments")].get_attribute("class").split()
    assert edges[("frontend", "checkout")].get_attribute("data-errors") == "0"
    assert "error" in nodes["payments"].get_attribute("class").split()
    assert "error" not in nodes["checkout"].get_attribute("class").split()
    assert "33.3% errors" in edges[("checkout", "payments")].find_element(By.CSS_SELECTOR, ".sm-edge-label").text
    assert "3 calls" in edges[("frontend", "checkout")].find_element(By.CSS_SELECTOR, ".sm-edge-label").text

    # Callers left of callees.
    x = {name: node.rect["x"] for name, node in nodes.items()}
    assert x["frontend"] < x["checkout"] < x["payments"]

    # With nothing selected the panel lists the calls.
    table = browser.find_element(By.CSS_SELECTOR, ".sm-side .sm-edge-table").text
    assert "checkout → payments" in table and "frontend → checkout" in table
    screenshot(browser, "servicemap-dark")


def test_clicking_a_call_lists_its_traces(browser, kansoku, traces):
    open_view(browser, kansoku.api_url, "/ui/servicemap")
    wait_for(browser, ".service-graph .sm-edge")
    edge(browser, "checkout", "payments").find_element(By.CSS_SELECTOR, ".sm-edge-label").click()
    wait_for(browser, '.sm-side [data-source="checkout"][data-target="payments"] .trace-result')
    listed = [r.get_attribute("data-trace-id") for r in browser.find_elements(By.CSS_SELECTOR, ".sm-side .trace-result")]
    assert sorted(listed) == sorted(t.trace_id for t in traces)
    assert query(browser)["edge"] == ["checkout>payments"]
    assert "selected" in edge(browser, "checkout", "payments").get_attribute("class").split()
    tiles = browser.find_element(By.CSS_SELECTOR, ".sm-side .sm-tiles").text
    assert "Calls\n3" in tiles and "33.3%" in tiles
    browser.find_element(By.ID, "theme-toggle").click()
    try:
        until(browser, lambda d: d.execute_script("return document.documentElement.dataset.theme") == "light")
        screenshot(browser, "servicemap-call-light")
    finally:
        browser.find_element(By.ID, "theme-toggle").click()

    failed = traces[0].trace_id
    browser.find_element(By.CSS_SELECTOR, f'.sm-side .trace-result[data-trace-id="{failed}"]').click()
    wait_for(browser, ".waterfall .wf-row")
    assert urllib.parse.urlparse(browser.current_url).path == f"/ui/traces/{failed}"
    assert len(browser.find_elements(By.CSS_SELECTOR, ".wf-row")) == len(LAYOUT)


def test_clicking_a_service_lists_its_traces(browser, kansoku, traces):
    open_view(browser, kansoku.api_url, "/ui/servicemap")
    wait_for(browser, ".service-graph .sm-node")
    browser.find_element(By.CSS_SELECTOR, '.sm-node[data-service="payments"]').click()
    wait_for(browser, '.sm-side [data-node="payments"] .trace-result')
    assert query(browser)["node"] == ["payments"]
    listed = {r.get_attribute("data-trace-id") for r in browser.find_elements(By.CSS_SELECTOR, ".sm-side .trace-result")}
    assert listed == {t.trace_id for t in traces}
    tiles = browser.find_element(By.CSS_SELECTOR, ".sm-side .sm-tiles").text
    assert "Requests\n3" in tiles and "Errors (1)\n33.3%" in tiles
    assert "checkout → payments" in browser.find_element(By.CSS_SELECTOR, ".sm-side .sm-edge-table").text

    # The selection is in the URL: reloading shows the same panel.
    open_view(browser, kansoku.api_url, "/ui/servicemap?node=payments")
    wait_for(browser, '.sm-side [data-node="payments"] .trace-result')
    assert "selected" in browser.find_element(By.CSS_SELECTOR, '.sm-node[data-service="payments"]').get_attribute("class").split()
