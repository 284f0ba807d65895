"""Metrics: the real OpenTelemetry Python SDK and OTLP exporters (gRPC and
HTTP/protobuf) against the real server; what was stored is read back through
the Prometheus HTTP API, as the OpenTelemetry specification maps OTLP metrics
to Prometheus: normalised names with unit and `_total` suffixes, `job` from
`service.name`, `otel_scope_*` labels, histograms as `_bucket`/`_sum`/`_count`,
resource attributes on `target_info`."""

from __future__ import annotations

import time

import pytest

from opentelemetry.metrics import Observation
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.metrics.view import ExplicitBucketHistogramAggregation, ExponentialBucketHistogramAggregation, View

from sdk_support import (
    FLUSH_TIMEOUT_MS,
    TRANSPORTS,
    RecordingMetricExporter,
    assert_all_succeeded,
    make_resource,
    metric_exporter,
)

HISTOGRAM_BOUNDS = [0.0, 10.0, 100.0]
SCOPE = {"otel_scope_name": "kansoku.interop.metrics", "otel_scope_version": "3.1.4", "otel_scope_scope_m": "yes"}


def prometheus_query(kansoku, query: str) -> list[dict]:
    """An instant query now; the vector result."""
    r = kansoku.session.get(f"{kansoku.api_url}/api/v1/query", params={"query": query}, timeout=30)
    assert r.status_code == 200, f"query {query!r}: HTTP {r.status_code} {r.text}"
    body = r.json()
    assert body["status"] == "success" and body["data"]["resultType"] == "vector", f"query {query!r}: {body}"
    return body["data"]["result"]

@pytest.mark.parametrize("transport", TRANSPORTS)
def test_metrics_round_trip(kansoku, transport):
    resource = make_resource(transport, "metrics")
    service = resource.attributes["service.name"]
    otlp = RecordingMetricExporter(metric_exporter(kansoku, transport))
    reader = PeriodicExportingMetricReader(otlp, export_interval_millis=3_600_000, export_timeout_millis=30_000)
    provider = MeterProvider(
        resource=resource,
        metric_readers=[reader],
        views=[
            View(instrument_name="interop.latency",
                 aggregation=ExplicitBucketHistogramAggregation(boundaries=HISTOGRAM_BOUNDS)),
        ],
    )
    try:
        meter = provider.get_meter("kansoku.interop.metrics", "3.1.4", attributes={"scope.m": "yes"})
        requests_counter = meter.create_counter("interop.requests", unit="{request}", description="requests served")
        requests_counter.add(5, {"route": "/a", "ok": True})
        requests_counter.add(3, {"route": "/a", "ok": True})
        requests_counter.add(2, {"route": "/b", "ok": False})

        depth = meter.create_up_down_counter("interop.queue.depth", unit="{item}", description="queued items")
        depth.add(10, {"queue": "q1"})
        depth.add(-3, {"queue": "q1"})
        depth.add(-4, {"queue": "q2"})

        latency = meter.create_histogram("interop.latency", unit="ms", description="request latency")
        for v in (5, 50, 500, 7):
            latency.record(v, {"route": "/a"})
        latency.record(0, {"route": "/zero"})

        def observe(_options):
            return [Observation(21.5, {"host": "h1"}), Observation(-3, {"host": "h2"})]

        meter.create_observable_gauge("interop.temperature", callbacks=[observe], unit="Cel",
                                      description="temperature")

        assert provider.force_flush(FLUSH_TIMEOUT_MS), "MeterProvider.force_flush timed out"
        assert_all_succeeded(otlp, "metric")
        # Read back before shutdown: shutting the reader down exports (cumulative) points once more.
        stored = prometheus_query(kansoku, f'{{job="{service}"}}')
        target_info = prometheus_query(kansoku, f'target_info{{job="{service}"}}')
        metadata = kansoku.session.get(f"{kansoku.api_url}/api/v1/metadata", timeout=30).json()["data"]
    finally:
        provider.shutdown()

    values = {}
    for element in stored:
        labels = dict(element["metric"])
        name = labels.pop("__name__")
        if name == "target_info":
            continue
        assert labels.pop("job") == service, f"[{transport}] {element}"
        # The SDK sets service.instance.id to a fresh UUID: that is `instance`.
        assert labels.pop("instance", ""), f"[{transport}] {name}: no instance label in {element}"
        for key, value in SCOPE.items():
            assert labels.pop(key, None) == value, f"[{transport}] {name}: scope label {key} missing or wrong in {element}"
        key = (name, tuple(sorted(labels.items())))
        assert key not in values, f"[{transport}] duplicate series {key}"
        values[key] = float(element["value"][1])

    expected = {
        ("interop_requests_total", (("ok", "true"), ("route", "/a"))): 8,
        ("interop_requests_total", (("ok", "false"), ("route", "/b"))): 2,
        ("interop_queue_depth", (("queue", "q1"),)): 7,
        ("interop_queue_depth", (("queue", "q2"),)): -4,
        ("interop_temperature_celsius", (("host", "h1"),)): 21.5,
        ("interop_temperature_celsius", (("host", "h2"),)): -3,
        ("interop_latency_milliseconds_sum", (("route", "/a"),)): 562,
        ("interop_latency_milliseconds_count", (("route", "/a"),)): 4,
        ("interop_latency_milliseconds_sum", (("route", "/zero"),)): 0,
        ("interop_latency_milliseconds_count", (("route", "/zero"),)): 1,
    }
    # Cumulative bucket counts: (-inf, 0], (0, 10], (10, 100], (100, +inf) hold 0, 2, 1, 1 for /a and 1, 0, 0, 0 for /zero.
    for route, counts in (("/a", [0, 2, 3, 4]), ("/zero", [1, 1, 1, 1])):
        for le, count in zip(["0", "10", "100", "+Inf"], counts):
            expected[("interop_latency_milliseconds_bucket", (("le", le), ("route", route)))] = count
    assert values == expected, f"[{transport}] stored series differ:\n got {sorted(values.items())}\n want {sorted(expected.items())}"

    assert len(target_info) == 1, f"[{transport}] target_info: {target_info}"
    info = target_info[0]["metric"]
    for key, value in (("service_version", "9.9.9"), ("deployment_environment_name", "interop-test"),
                       ("host_cpu_count", "2"), ("feature_enabled", "true"), ("sampling_ratio", "0.25")):
        assert info.get(key) == value, f"[{transport}] target_info {key}: {info}"

    for family, kind, unit, help_text in (
        ("interop_requests_total", "counter", "", "requests served"),
        ("interop_queue_depth", "gauge", "", "queued items"),
        ("interop_latency_milliseconds", "histogram", "milliseconds", "request latency"),
        ("interop_temperature_celsius", "gauge", "celsius", "temperature"),
    ):
        entries = metadata.get(family)
        assert entries, f"[{transport}] no metadata for {family}: {sorted(metadata)}"
        assert entries[0]["type"] == kind and entries[0]["help"] == help_text, f"[{transport}] metadata {family}: {entries}"


def test_rate_over_two_exports(kansoku):
    """Two exports of a cumulative counter make a series PromQL can rate."""
    resource = make_resource("http", "metrics-rate")
    service = resource.attributes["service.name"]
    otlp = RecordingMetricExporter(metric_exporter(kansoku, "http"))
    reader = PeriodicExportingMetricReader(otlp, export_interval_millis=3_600_000, export_timeout_millis=30_000)
    provider = MeterProvider(resource=resource, metric_readers=[reader])
    try:
        counter = provider.get_meter("rate").create_counter("interop.ops")
        counter.add(10)
        assert provider.force_flush(FLUSH_TIMEOUT_MS)
        counter.add(30)
        assert provider.force_flush(FLUSH_TIMEOUT_MS)
        assert_all_succeeded(otlp, "metric")
        increase = prometheus_query(kansoku, f'max_over_time(interop_ops_total{{job="{service}"}}[5m]) - min_over_time(interop_ops_total{{job="{service}"}}[5m])')
    finally:
        provider.shutdown()
    assert [float(e["value"][1]) for e in increase] == [30.0], increase


def test_exponential_histogram_is_a_native_histogram(kansoku):
    """An OTLP exponential histogram from the real SDK is stored as one
    native histogram series (no `_bucket` series) and answers the native
    histogram functions; the API returns it in Prometheus's `histogram` shape."""
    resource = make_resource("grpc", "metrics-exponential")
    service = resource.attributes["service.name"]
    otlp = RecordingMetricExporter(metric_exporter(kansoku, "grpc"))
    reader = PeriodicExportingMetricReader(otlp, export_interval_millis=3_600_000, export_timeout_millis=30_000)
    provider = MeterProvider(resource=resource, metric_readers=[reader], views=[
        View(instrument_name="interop.exp.latency", aggregation=ExponentialBucketHistogramAggregation()),
    ])
    observations = [1.0, 2.0, 3.0, 4.0, 100.0]
    try:
        latency = provider.get_meter("exp").create_histogram("interop.exp.latency", unit="ms")
        for v in observations:
            latency.record(v, {"route": "/a"})
        assert provider.force_flush(FLUSH_TIMEOUT_MS)
        assert_all_succeeded(otlp, "metric")
        selector = f'interop_exp_latency_milliseconds{{job="{service}"}}'
        raw = prometheus_query(kansoku, selector)
        count = prometheus_query(kansoku, f"histogram_count({selector})")
        total = prometheus_query(kansoku, f"histogram_sum({selector})")
        median = prometheus_query(kansoku, f"histogram_quantile(0.5, {selector})")
        above = prometheus_query(kansoku, f"histogram_fraction(0, 3.5, {selector})")
        classic = prometheus_query(kansoku, f'{{__name__=~"interop_exp_latency.*_(bucket|count|sum)", job="{service}"}}')
        now = time.time()
        ranged = kansoku.session.get(f"{kansoku.api_url}/api/v1/query_range",
                                     params={"query": selector, "start": now - 60, "end": now, "step": 15}, timeout=30).json()
    finally:
        provider.shutdown()

    assert classic == [], f"an exponential histogram must not produce classic series: {classic}"
    assert len(raw) == 1 and "value" not in raw[0], raw
    point = raw[0]["histogram"][1]
    assert float(point["count"]) == 5 and float(point["sum"]) == sum(observations), point
    buckets = point["buckets"]
    assert sum(float(b[3]) for b in buckets) == 5, buckets
    for rule, lower, upper, bucket_count in buckets:
        assert rule == 0 and float(lower) < float(upper), buckets  # positive buckets are (lower, upper]
    for v in observations:
        assert any(float(b[1]) < v <= float(b[2]) for b in buckets), f"{v} in no bucket: {buckets}"
    assert [float(e["value"][1]) for e in count] == [5.0], count
    assert [float(e["value"][1]) for e in total] == [sum(observations)], total
    assert len(median) == 1 and abs(float(median[0]["value"][1]) - 3.0) < 0.03, median
    assert len(above) == 1 and abs(float(above[0]["value"][1]) - 0.6) < 1e-9, above
    series = ranged["data"]["result"]
    assert ranged["data"]["resultType"] == "matrix" and len(series) == 1, ranged
    assert "values" not in series[0] and series[0]["histograms"], series
    assert all(float(h[1]["count"]) == 5 for h in series[0]["histograms"]), series
