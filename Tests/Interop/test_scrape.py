"""Scraping: Kansoku reads a Prometheus-format scrape configuration
(`--scrape-config-file`) and scrapes a target exposing metrics with PyPI's
`prometheus-client`; what it wrote is read back through the Prometheus API,
including `up`, the `scrape_*` series, target labels from relabeling, and
staleness once the target goes away."""

from __future__ import annotations

import subprocess
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from conftest import free_port, wait_until


def instant(server, query: str) -> list[dict]:
    r = server.session.get(f"{server.api_url}/api/v1/query", params={"query": query}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["data"]["result"]


def value_of(server, query: str) -> float | None:
    result = instant(server, query)
    return float(result[0]["value"][1]) if len(result) == 1 else None


def test_scrapes_a_prometheus_client_target(server_factory, tmp_path: Path):
    registry = CollectorRegistry()
    requests_total = Counter("app_requests", "Requests served", ["code"], registry=registry)
    Gauge("app_queue_depth", "Items waiting", registry=registry).set(7)
    Gauge("app_internal_debug", "Dropped by metric_relabel_configs", registry=registry).set(1)
    latency = Histogram("app_latency_seconds", "Latency", buckets=(0.1, 1.0), registry=registry)
    requests_total.labels(code="200").inc(41)
    latency.observe(0.05)
    latency.observe(0.5)
    port = free_port()
    http_server, thread = start_http_server(port, addr="127.0.0.1", registry=registry)
    try:
        config = tmp_path / "prometheus.yml"
        config.write_text(f"""
global:
  scrape_interval: 1s
  scrape_timeout: 500ms
scrape_configs:
  - job_name: app
    static_configs:
      - targets: ["127.0.0.1:{port}"]
        labels: {{team: payments}}
    relabel_configs:
      - source_labels: [team]
        target_label: owner
        replacement: "team-$1"
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: "app_internal_.*"
        action: drop
""")
        server = server_factory("--scrape-config-file", str(config))
        wait_until(lambda: value_of(server, 'app_requests_total{job="app",code="200"}') == 41.0, timeout=30,
                   what="the scraped counter to be queryable")

        assert value_of(server, f'up{{job="app",instance="127.0.0.1:{port}"}}') == 1.0
        assert value_of(server, 'app_queue_depth{owner="team-payments"}') == 7.0
        assert value_of(server, 'app_latency_seconds_bucket{le="1.0"}') == 2.0
        assert value_of(server, 'app_latency_seconds_count') == 2.0
        assert value_of(server, 'scrape_samples_scraped{job="app"}') > value_of(server, 'scrape_samples_post_metric_relabeling{job="app"}')
        assert value_of(server, 'scrape_duration_seconds{job="app"}') is not None
        assert instant(server, 'app_internal_debug') == [], "metric_relabel_configs drop was not applied"
        meta = server.session.get(f"{server.api_url}/api/v1/metadata", params={"metric": "app_requests"}, timeout=30).json()["data"]
        assert meta.get("app_requests", [{}])[0].get("type") == "counter", meta

        requests_total.labels(code="200").inc(1)
        wait_until(lambda: value_of(server, 'app_requests_total{code="200"}') == 42.0, timeout=30, what="the next scrape")
    finally:
        http_server.shutdown()
        thread.join(5)

    # The target is gone: up drops to 0 and its series go stale (no value at the newest time).
    wait_until(lambda: value_of(server, 'up{job="app"}') == 0.0, timeout=30, what="up to drop to 0")
    wait_until(lambda: instant(server, 'app_requests_total') == [], timeout=30, what="the series to go stale")


def test_a_bad_scrape_config_stops_the_start(server_factory, tmp_path: Path):
    config = tmp_path / "prometheus.yml"
    config.write_text("scrape_configs:\n  - job_name: x\n    scrape_interval: fast\n")
    server = server_factory("--scrape-config-file", str(config), start=False)
    result = subprocess.run([str(server.binary), "server", "--data-dir", str(server.data_dir), "--scrape-config-file", str(config),
                             "--http-address", f"127.0.0.1:{free_port()}", "--otlp-grpc-address", f"127.0.0.1:{free_port()}",
                             "--otlp-http-address", f"127.0.0.1:{free_port()}"], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "scrape_interval" in result.stderr and "fast" in result.stderr, result.stderr
