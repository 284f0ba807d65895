"""Metrics: the real OpenTelemetry Python SDK and OTLP exporters (gRPC and
HTTP/protobuf) against the real server; what was stored is read back through
the debug endpoint (docs/CONTRACTS.md) and compared field by field with what
the SDK produced."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from opentelemetry.metrics import Observation
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.metrics.view import ExplicitBucketHistogramAggregation, View

from conftest import assert_attrs_equal, nano, normalize
from sdk_support import (
    FLUSH_TIMEOUT_MS,
    TRANSPORTS,
    RecordingMetricExporter,
    assert_all_succeeded,
    assert_scope,
    make_resource,
    metric_exporter,
)

HISTOGRAM_BOUNDS = [0.0, 10.0, 100.0]


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
        items = kansoku.debug("metrics", service=service)
    finally:
        provider.shutdown()

    points = {}
    for item in items:
        key = (item.get("name"), json.dumps(item.get("attributes"), sort_keys=True))
        assert key not in points, f"[{transport}] duplicate data point for {key}: {item!r}"
        points[key] = item

    def point(name, attrs):
        key = (name, json.dumps(attrs, sort_keys=True))
        assert key in points, f"[{transport}] no stored data point {key}; stored: {sorted(points)}"
        return points[key]

    expected_keys = {
        ("interop.requests", json.dumps({"ok": True, "route": "/a"}, sort_keys=True)),
        ("interop.requests", json.dumps({"ok": False, "route": "/b"}, sort_keys=True)),
        ("interop.queue.depth", json.dumps({"queue": "q1"}, sort_keys=True)),
        ("interop.queue.depth", json.dumps({"queue": "q2"}, sort_keys=True)),
        ("interop.latency", json.dumps({"route": "/a"}, sort_keys=True)),
        ("interop.latency", json.dumps({"route": "/zero"}, sort_keys=True)),
        ("interop.temperature", json.dumps({"host": "h1"}, sort_keys=True)),
        ("interop.temperature", json.dumps({"host": "h2"}, sort_keys=True)),
    }
    assert set(points) == expected_keys, (
        f"[{transport}] stored data points {sorted(points)} != expected {sorted(expected_keys)}")

    for item in items:
        what = f"[{transport}] {item.get('name')} {item.get('attributes')}"
        assert_attrs_equal(item.get("resource"), resource.attributes, f"{what}: resource")
        assert_scope(item.get("scope"), SimpleNamespace(name="kansoku.interop.metrics", version="3.1.4",
                                                        attributes={"scope.m": "yes"}), what)
        t = nano(item.get("timeUnixNano"), f"{what}.timeUnixNano")
        assert t > 0, f"{what}: timeUnixNano is 0"
        if item.get("type") != "gauge":
            start = nano(item.get("startTimeUnixNano"), f"{what}.startTimeUnixNano")
            assert 0 < start <= t, f"{what}: startTimeUnixNano {start} not in (0, {t}]"

    def check_sum(name, attrs, value, monotonic, unit, description):
        p = point(name, attrs)
        what = f"[{transport}] {name} {attrs}"
        assert p.get("type") == "sum", f"{what}: type {p.get('type')!r}"
        assert p.get("temporality") == "cumulative", f"{what}: temporality {p.get('temporality')!r}"
        assert p.get("monotonic") is monotonic, f"{what}: monotonic {p.get('monotonic')!r} != {monotonic}"
        assert p.get("unit") == unit and p.get("description") == description, (
            f"{what}: unit/description {p.get('unit')!r}/{p.get('description')!r}")
        assert normalize(p.get("value")) == normalize(value), f"{what}: value {p.get('value')!r} != {value}"

    check_sum("interop.requests", {"route": "/a", "ok": True}, 8, True, "{request}", "requests served")
    check_sum("interop.requests", {"route": "/b", "ok": False}, 2, True, "{request}", "requests served")
    check_sum("interop.queue.depth", {"queue": "q1"}, 7, False, "{item}", "queued items")
    check_sum("interop.queue.depth", {"queue": "q2"}, -4, False, "{item}", "queued items")

    h = point("interop.latency", {"route": "/a"})
    what = f"[{transport}] interop.latency"
    assert h.get("type") == "histogram", f"{what}: type {h.get('type')!r}"
    assert h.get("temporality") == "cumulative", f"{what}: temporality {h.get('temporality')!r}"
    assert h.get("unit") == "ms" and h.get("description") == "request latency", f"{what}: unit/description"
    assert h.get("count") == 4, f"{what}: count {h.get('count')!r}"
    assert h.get("sum") == 562, f"{what}: sum {h.get('sum')!r}"
    assert h.get("min") == 5 and h.get("max") == 500, f"{what}: min/max {h.get('min')!r}/{h.get('max')!r}"
    assert h.get("explicitBounds") == HISTOGRAM_BOUNDS, f"{what}: explicitBounds {h.get('explicitBounds')!r}"
    assert h.get("bucketCounts") == [0, 2, 1, 1], f"{what}: bucketCounts {h.get('bucketCounts')!r}"
    zero = point("interop.latency", {"route": "/zero"})
    # Explicit buckets are (-inf, 0], (0, 10], (10, 100], (100, +inf): 0 is in the first.
    assert (zero.get("count"), zero.get("sum"), zero.get("min"), zero.get("max"), zero.get("bucketCounts")) == (
        1, 0, 0, 0, [1, 0, 0, 0]), f"{what} /zero: {zero!r}"

    for host, value in (("h1", 21.5), ("h2", -3)):
        g = point("interop.temperature", {"host": host})
        what = f"[{transport}] interop.temperature {host}"
        assert g.get("type") == "gauge", f"{what}: type {g.get('type')!r}"
        assert g.get("unit") == "Cel" and g.get("description") == "temperature", f"{what}: unit/description"
        assert normalize(g.get("value")) == normalize(value), f"{what}: value {g.get('value')!r} != {value}"
