"""Shared plumbing for the OpenTelemetry Python SDK interop tests
(test_sdk_traces.py, test_sdk_logs.py, test_sdk_metrics.py, test_otlp_json.py):
OTLP exporters (gRPC and HTTP/protobuf) pointed at the real server, wrapped to
record each export's result, and helpers for comparing what the debug endpoint
(docs/CONTRACTS.md) returns with what the SDK produced.

Not a test module; test modules import it with `from sdk_support import ...`,
the same way they import from conftest (this directory is on `sys.path`)."""

from __future__ import annotations

import uuid

from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter as GrpcLogExporter
from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter as GrpcMetricExporter
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcSpanExporter
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter as HttpLogExporter
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter as HttpMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as HttpSpanExporter
from opentelemetry.sdk._logs.export import LogRecordExporter
from opentelemetry.sdk.metrics import (
    Counter,
    Histogram,
    ObservableCounter,
    ObservableGauge,
    ObservableUpDownCounter,
    UpDownCounter,
)
from opentelemetry.sdk.metrics.export import AggregationTemporality, MetricExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace.export import SpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from conftest import assert_attrs_equal, new_session

TRANSPORTS = ["grpc", "http"]
EXPORT_TIMEOUT_S = 20
FLUSH_TIMEOUT_MS = 30_000

# OTLP's SpanKind numbering (the Python enum starts at INTERNAL=0).
OTLP_KIND = {
    SpanKind.INTERNAL: 1,
    SpanKind.SERVER: 2,
    SpanKind.CLIENT: 3,
    SpanKind.PRODUCER: 4,
    SpanKind.CONSUMER: 5,
}
OTLP_STATUS = {StatusCode.UNSET: 0, StatusCode.OK: 1, StatusCode.ERROR: 2}


class RecordingSpanExporter(SpanExporter):
    """Delegates to an OTLP exporter and remembers each export's result, so a
    failed export is reported as such rather than as missing data."""

    def __init__(self, inner):
        self.inner = inner
        self.results = []

    def export(self, spans, *args, **kwargs):
        result = self.inner.export(spans, *args, **kwargs)
        self.results.append((len(spans), result))
        return result

    def shutdown(self, *args, **kwargs):
        return self.inner.shutdown(*args, **kwargs)

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)


class RecordingLogExporter(LogRecordExporter):
    def __init__(self, inner):
        self.inner = inner
        self.results = []

    def export(self, batch, *args, **kwargs):
        result = self.inner.export(batch, *args, **kwargs)
        self.results.append((len(batch), result))
        return result

    def shutdown(self, *args, **kwargs):
        return self.inner.shutdown(*args, **kwargs)

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)


class RecordingMetricExporter(MetricExporter):
    def __init__(self, inner: MetricExporter):
        super().__init__(
            preferred_temporality=inner._preferred_temporality,
            preferred_aggregation=inner._preferred_aggregation,
        )
        self.inner = inner
        self.results = []

    def export(self, metrics_data, timeout_millis: float = 10_000, **kwargs):
        result = self.inner.export(metrics_data, timeout_millis=timeout_millis, **kwargs)
        self.results.append(result)
        return result

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        return self.inner.force_flush(timeout_millis=timeout_millis)

    def shutdown(self, timeout_millis: float = 30_000, **kwargs) -> None:
        self.inner.shutdown(timeout_millis=timeout_millis, **kwargs)


def span_exporter(server, transport):
    if transport == "grpc":
        return GrpcSpanExporter(endpoint=server.grpc_target, insecure=True, timeout=EXPORT_TIMEOUT_S)
    return HttpSpanExporter(endpoint=server.otlp_url("traces"), timeout=EXPORT_TIMEOUT_S, session=new_session())


def log_exporter(server, transport):
    if transport == "grpc":
        return GrpcLogExporter(endpoint=server.grpc_target, insecure=True, timeout=EXPORT_TIMEOUT_S)
    return HttpLogExporter(endpoint=server.otlp_url("logs"), timeout=EXPORT_TIMEOUT_S, session=new_session())


CUMULATIVE = {
    Counter: AggregationTemporality.CUMULATIVE,
    UpDownCounter: AggregationTemporality.CUMULATIVE,
    Histogram: AggregationTemporality.CUMULATIVE,
    ObservableCounter: AggregationTemporality.CUMULATIVE,
    ObservableUpDownCounter: AggregationTemporality.CUMULATIVE,
    ObservableGauge: AggregationTemporality.CUMULATIVE,
}


def metric_exporter(server, transport):
    if transport == "grpc":
        return GrpcMetricExporter(endpoint=server.grpc_target, insecure=True, timeout=EXPORT_TIMEOUT_S,
                                  preferred_temporality=CUMULATIVE)
    return HttpMetricExporter(endpoint=server.otlp_url("metrics"), timeout=EXPORT_TIMEOUT_S,
                              preferred_temporality=CUMULATIVE, session=new_session())


def make_resource(transport: str, signal_name: str) -> Resource:
    return Resource.create({
        "service.name": f"interop-{signal_name}-{transport}-{uuid.uuid4().hex[:12]}",
        "service.version": "9.9.9",
        "deployment.environment.name": "interop-test",
        "host.cpu.count": 2,
        "feature.enabled": True,
        "sampling.ratio": 0.25,
        "region.list": ["eu-west-1", "ap-northeast-1"],
    })


def assert_all_succeeded(recorder, kind: str) -> None:
    assert recorder.results, f"the OTLP {kind} exporter was never called"
    failures = [r for r in recorder.results if (r[1] if isinstance(r, tuple) else r).name != "SUCCESS"]
    assert not failures, f"OTLP {kind} export did not succeed: {recorder.results} (see the server log)"


def index_unique(items, key, what):
    out = {}
    for item in items:
        k = key(item)
        assert k not in out, f"{what}: duplicate item for {k!r}: {item!r} and {out[k]!r}"
        out[k] = item
    return out


def assert_scope(item_scope, scope, what):
    assert isinstance(item_scope, dict), f"{what}: scope missing or not an object: {item_scope!r}"
    assert item_scope.get("name") == scope.name, f"{what}: scope.name {item_scope.get('name')!r} != {scope.name!r}"
    assert item_scope.get("version") == (scope.version or ""), (
        f"{what}: scope.version {item_scope.get('version')!r} != {scope.version!r}")
    assert_attrs_equal(item_scope.get("attributes"), scope.attributes, f"{what}: scope attributes")
