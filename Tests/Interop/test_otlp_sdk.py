"""The real OpenTelemetry Python SDK and OTLP exporters (gRPC and HTTP/protobuf)
against the real server; what was stored is read back through the debug
endpoint (docs/CONTRACTS.md) and compared field by field with what the SDK
produced (captured with in-memory exporters attached alongside)."""

from __future__ import annotations

import base64
import gzip
import json
import logging
import secrets
import uuid
from types import SimpleNamespace

import pytest

from opentelemetry import trace as trace_api
from opentelemetry._logs import SeverityNumber
from opentelemetry.metrics import Observation
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter as GrpcLogExporter
from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter as GrpcMetricExporter
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcSpanExporter
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter as HttpLogExporter
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter as HttpMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as HttpSpanExporter
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import (
    BatchLogRecordProcessor,
    InMemoryLogRecordExporter,
    LogRecordExporter,
    SimpleLogRecordProcessor,
)
from opentelemetry.sdk.metrics import (
    Counter,
    Histogram,
    MeterProvider,
    ObservableCounter,
    ObservableGauge,
    ObservableUpDownCounter,
    UpDownCounter,
)
from opentelemetry.sdk.metrics.export import (
    AggregationTemporality,
    MetricExporter,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.metrics.view import ExplicitBucketHistogramAggregation, View
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_ON
from opentelemetry.trace import Link, SpanContext, SpanKind, Status, StatusCode, TraceFlags, TraceState
from opentelemetry.trace.span import NonRecordingSpan

from conftest import (
    assert_attrs_equal,
    hex_span_id,
    hex_trace_id,
    nano,
    new_session,
    normalize,
)

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


# ---------------------------------------------------------------------------
# Exporter plumbing
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Traces
# ---------------------------------------------------------------------------

EVERY_TYPE_ATTRIBUTES = {
    "str": "hello",
    "str.unicode": "こんにちは ✓ \"quoted\" \\ back",
    "str.empty": "",
    "int": 42,
    "int.zero": 0,
    "int.negative": -7,
    "int.beyond_double": 2**53 + 1,
    "int.max": 2**63 - 1,
    "int.min": -(2**63),
    "float": 3.25,
    "float.tenth": 0.1,
    "float.integral": 2.0,
    "float.huge_negative": -1.5e300,
    "bool.true": True,
    "bool.false": False,
    "list.str": ["a", "b", "c"],
    "list.int": [1, -2, 3],
    "list.float": [1.5, -2.25],
    "list.bool": [True, False, True],
}


def sent_link_trace_states(spans) -> dict:
    """{(span id, link index): traceState} as the SDK's OTLP encoder puts them on
    the wire. (The Python encoder leaves a link's trace state out, so what the
    server can store is what the encoder sent, not what the SDK span holds.)"""
    out = {}
    request = encode_spans(spans)
    for rs in request.resource_spans:
        for ss in rs.scope_spans:
            for s in ss.spans:
                for i, link in enumerate(s.links):
                    out[(s.span_id.hex(), i)] = link.trace_state
    return out


def assert_span_matches(item: dict, span, what: str, link_states: dict) -> None:
    ctx = span.get_span_context()
    assert item.get("traceId") == hex_trace_id(ctx.trace_id), f"{what}: traceId"
    assert item.get("spanId") == hex_span_id(ctx.span_id), f"{what}: spanId"
    expected_parent = hex_span_id(span.parent.span_id) if span.parent is not None else ""
    assert item.get("parentSpanId") == expected_parent, (
        f"{what}: parentSpanId {item.get('parentSpanId')!r} != {expected_parent!r}")
    assert item.get("traceState") == ctx.trace_state.to_header(), (
        f"{what}: traceState {item.get('traceState')!r} != {ctx.trace_state.to_header()!r}")
    assert item.get("name") == span.name, f"{what}: name {item.get('name')!r} != {span.name!r}"
    assert item.get("kind") == OTLP_KIND[span.kind], (
        f"{what}: kind {item.get('kind')!r} != {OTLP_KIND[span.kind]} ({span.kind})")
    assert nano(item.get("startTimeUnixNano"), f"{what}.startTimeUnixNano") == span.start_time, f"{what}: start time"
    assert nano(item.get("endTimeUnixNano"), f"{what}.endTimeUnixNano") == span.end_time, f"{what}: end time"
    assert_attrs_equal(item.get("attributes"), span.attributes, f"{what}: span attributes")

    events = item.get("events")
    assert isinstance(events, list) and len(events) == len(span.events), (
        f"{what}: expected {len(span.events)} events, got {events!r}")
    for i, (got, exp) in enumerate(zip(events, span.events)):
        assert got.get("name") == exp.name, f"{what}: event[{i}].name {got.get('name')!r} != {exp.name!r}"
        assert nano(got.get("timeUnixNano"), f"{what}.events[{i}].timeUnixNano") == exp.timestamp, (
            f"{what}: event[{i}] time")
        assert_attrs_equal(got.get("attributes"), exp.attributes, f"{what}: event[{i}] ({exp.name}) attributes")

    links = item.get("links")
    assert isinstance(links, list) and len(links) == len(span.links), (
        f"{what}: expected {len(span.links)} links, got {links!r}")
    for i, (got, exp) in enumerate(zip(links, span.links)):
        assert got.get("traceId") == hex_trace_id(exp.context.trace_id), f"{what}: link[{i}].traceId"
        assert got.get("spanId") == hex_span_id(exp.context.span_id), f"{what}: link[{i}].spanId"
        sent_state = link_states[(hex_span_id(ctx.span_id), i)]
        assert got.get("traceState") == sent_state, (
            f"{what}: link[{i}].traceState {got.get('traceState')!r} != {sent_state!r}")
        assert_attrs_equal(got.get("attributes"), exp.attributes, f"{what}: link[{i}] attributes")

    status = item.get("status")
    assert isinstance(status, dict), f"{what}: status missing: {item!r}"
    assert status.get("code") == OTLP_STATUS[span.status.status_code], (
        f"{what}: status.code {status.get('code')!r} != {OTLP_STATUS[span.status.status_code]}")
    assert status.get("message") == (span.status.description or ""), (
        f"{what}: status.message {status.get('message')!r} != {span.status.description!r}")

    assert_attrs_equal(item.get("resource"), span.resource.attributes, f"{what}: resource")
    assert_scope(item.get("scope"), span.instrumentation_scope, what)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_traces_round_trip(kansoku, transport):
    memory = InMemorySpanExporter()
    otlp = RecordingSpanExporter(span_exporter(kansoku, transport))
    provider = TracerProvider(resource=make_resource(transport, "traces"), sampler=ALWAYS_ON)
    provider.add_span_processor(SimpleSpanProcessor(memory))
    provider.add_span_processor(BatchSpanProcessor(otlp, schedule_delay_millis=60_000))
    try:
        tracer = provider.get_tracer("kansoku.interop.traces", "1.2.3", attributes={"scope.attr": "s", "scope.n": 1})

        # A remote parent: the trace id is known up front, and the trace state
        # it carries is inherited by every span of the trace.
        trace_id = int.from_bytes(secrets.token_bytes(16), "big") | 1
        remote_parent_id = int.from_bytes(secrets.token_bytes(8), "big") | 1
        remote = SpanContext(trace_id, remote_parent_id, is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED),
                             trace_state=TraceState([("vendor", "v1"), ("other", "x-y")]))
        parent_ctx = trace_api.set_span_in_context(NonRecordingSpan(remote))

        linked = SpanContext(int.from_bytes(secrets.token_bytes(16), "big") | 1,
                             int.from_bytes(secrets.token_bytes(8), "big") | 1,
                             is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED),
                             trace_state=TraceState([("linkvendor", "lv")]))

        with tracer.start_as_current_span("GET /checkout", context=parent_ctx, kind=SpanKind.SERVER,
                                          attributes=EVERY_TYPE_ATTRIBUTES) as root:
            root.add_event("request.received", {"size": 1024, "compressed": False, "ratio": 0.5,
                                                "encodings": ["gzip", "br"]})
            with tracer.start_as_current_span("SELECT orders", kind=SpanKind.CLIENT,
                                              attributes={"db.system.name": "postgresql", "db.rows": 3}) as db:
                db.add_event("no-attributes")
                db.set_status(Status(StatusCode.OK))
            with tracer.start_as_current_span("publish order", kind=SpanKind.PRODUCER,
                                              links=[Link(linked, {"link.reason": "fan-in", "link.n": 2})]):
                pass
            with tracer.start_as_current_span("consume order", kind=SpanKind.CONSUMER):
                with tracer.start_as_current_span("compute", kind=SpanKind.INTERNAL) as compute:
                    try:
                        raise ValueError("boom happened")
                    except ValueError as e:
                        compute.record_exception(e, attributes={"handled": True})
                    compute.set_status(Status(StatusCode.ERROR, "computation failed: boom"))
                    # Explicit nanosecond timestamps that a double would round.
                    child = tracer.start_span("timed", start_time=1_700_000_000_123_456_789)
                    child.add_event("tick", timestamp=1_700_000_000_223_456_789)
                    child.end(end_time=1_700_000_000_987_654_321)

        assert provider.force_flush(FLUSH_TIMEOUT_MS), "TracerProvider.force_flush timed out"
        assert_all_succeeded(otlp, "trace")
    finally:
        provider.shutdown()

    spans = memory.get_finished_spans()
    assert len(spans) == 6
    items = kansoku.debug("traces", traceId=hex_trace_id(trace_id))
    by_id = index_unique(items, lambda i: i.get("spanId"), "traces")
    expected_ids = {hex_span_id(s.context.span_id) for s in spans}
    assert set(by_id) == expected_ids, (
        f"stored span ids {sorted(by_id)} != exported {sorted(expected_ids)} for trace {hex_trace_id(trace_id)}")
    link_states = sent_link_trace_states(spans)
    for span in spans:
        assert_span_matches(by_id[hex_span_id(span.context.span_id)], span, f"[{transport}] span {span.name!r}",
                            link_states)

    # Spot checks that do not depend on the SDK's view of things.
    root_item = next(i for i in items if i["name"] == "GET /checkout")
    assert root_item["parentSpanId"] == hex_span_id(remote_parent_id)
    assert root_item["kind"] == 2
    assert root_item["attributes"]["int.max"] == 9223372036854775807
    assert root_item["attributes"]["int.beyond_double"] == 9007199254740993
    assert root_item["attributes"]["bool.true"] is True
    compute_item = next(i for i in items if i["name"] == "compute")
    assert compute_item["status"] == {"code": 2, "message": "computation failed: boom"}
    assert [e["name"] for e in compute_item["events"]] == ["exception"]
    assert compute_item["events"][0]["attributes"]["exception.message"] == "boom happened"
    timed_item = next(i for i in items if i["name"] == "timed")
    assert timed_item["startTimeUnixNano"] == "1700000000123456789"
    assert timed_item["endTimeUnixNano"] == "1700000000987654321"
    assert timed_item["events"][0]["timeUnixNano"] == "1700000000223456789"
    assert {i["kind"] for i in items} == {1, 2, 3, 4, 5}


# ---------------------------------------------------------------------------
# Logs
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("transport", TRANSPORTS)
def test_logs_round_trip(kansoku, transport):
    resource = make_resource(transport, "logs")
    memory = InMemoryLogRecordExporter()
    otlp = RecordingLogExporter(log_exporter(kansoku, transport))
    log_provider = LoggerProvider(resource=resource)
    log_provider.add_log_record_processor(SimpleLogRecordProcessor(memory))
    log_provider.add_log_record_processor(BatchLogRecordProcessor(otlp, schedule_delay_millis=60_000))

    span_memory = InMemorySpanExporter()
    tracer_provider = TracerProvider(resource=resource, sampler=ALWAYS_ON)
    tracer_provider.add_span_processor(SimpleSpanProcessor(span_memory))
    tracer = tracer_provider.get_tracer("kansoku.interop.logs")

    py_logger = logging.getLogger(f"kansoku.interop.bridge.{transport}.{uuid.uuid4().hex[:8]}")
    py_logger.setLevel(logging.DEBUG)
    py_logger.propagate = False
    handler = LoggingHandler(level=logging.NOTSET, logger_provider=log_provider)
    py_logger.addHandler(handler)
    otel_logger = log_provider.get_logger("kansoku.interop.logs.api", "0.4.2", attributes={"scope.kind": "api"})

    try:
        with tracer.start_as_current_span("outer") as outer:
            py_logger.warning("order %s failed after %d tries", "A-17", 3,
                              extra={"seq": 1, "order.id": "A-17", "retry.count": 3, "amount": 12.5,
                                     "paid": False, "tags": ["x", "y"]})
            with tracer.start_as_current_span("inner") as inner:
                py_logger.info("inside inner ✓", extra={"seq": 2})
                otel_logger.emit(
                    timestamp=1_700_000_000_000_000_123,
                    observed_timestamp=1_700_000_000_000_000_456,
                    severity_number=SeverityNumber.ERROR2,
                    severity_text="ERROR2",
                    body={"message": "structured body", "nested": {"a": 1, "ok": True},
                          "list": [1, "two", 3.5], "raw": b"\x00\x01\xfe\xff"},
                    attributes={"seq": 3, "http.response.status_code": 503, "error": True},
                    event_name="kansoku.test.event",
                )
            outer_ctx, inner_ctx = outer.get_span_context(), inner.get_span_context()
        assert log_provider.force_flush(FLUSH_TIMEOUT_MS), "LoggerProvider.force_flush timed out"
        assert_all_succeeded(otlp, "log")
    finally:
        py_logger.removeHandler(handler)
        log_provider.shutdown()
        tracer_provider.shutdown()

    captured = memory.get_finished_logs()
    assert len(captured) == 3, f"the SDK produced {len(captured)} log records, expected 3"
    expected_by_seq = {rec.log_record.attributes["seq"]: rec for rec in captured}
    trace_hex = hex_trace_id(outer_ctx.trace_id)
    items = kansoku.debug("logs", traceId=trace_hex)
    by_seq = index_unique(items, lambda i: (i.get("attributes") or {}).get("seq"), "logs")
    assert set(by_seq) == {1, 2, 3}, f"stored log records for trace {trace_hex}: {items!r}"

    expected_span = {1: outer_ctx.span_id, 2: inner_ctx.span_id, 3: inner_ctx.span_id}
    for seq, rec in sorted(expected_by_seq.items()):
        item, lr, what = by_seq[seq], rec.log_record, f"[{transport}] log seq={seq}"
        assert normalize(item.get("body")) == normalize(lr.body), f"{what}: body {item.get('body')!r} != {lr.body!r}"
        assert item.get("severityNumber") == lr.severity_number.value, (
            f"{what}: severityNumber {item.get('severityNumber')!r} != {lr.severity_number.value}")
        assert item.get("severityText") == (lr.severity_text or ""), (
            f"{what}: severityText {item.get('severityText')!r} != {lr.severity_text!r}")
        assert_attrs_equal(item.get("attributes"), lr.attributes, f"{what}: attributes")
        assert item.get("traceId") == trace_hex, f"{what}: traceId {item.get('traceId')!r} != {trace_hex}"
        assert item.get("spanId") == hex_span_id(expected_span[seq]) == hex_span_id(lr.span_id), (
            f"{what}: spanId {item.get('spanId')!r} != {hex_span_id(expected_span[seq])}")
        assert item.get("flags") == int(lr.trace_flags), f"{what}: flags {item.get('flags')!r} != {int(lr.trace_flags)}"
        assert nano(item.get("timeUnixNano"), f"{what}.timeUnixNano") == (lr.timestamp or 0), f"{what}: time"
        assert nano(item.get("observedTimeUnixNano"), f"{what}.observedTimeUnixNano") == lr.observed_timestamp, (
            f"{what}: observed time")
        assert item.get("eventName") == (lr.event_name or ""), (
            f"{what}: eventName {item.get('eventName')!r} != {lr.event_name!r}")
        assert_attrs_equal(item.get("resource"), rec.resource.attributes, f"{what}: resource")
        assert_scope(item.get("scope"), rec.instrumentation_scope, what)

    # Independent spot checks.
    warn = by_seq[1]
    assert warn["body"] == "order A-17 failed after 3 tries"
    assert warn["severityNumber"] == 13  # WARN
    assert warn["attributes"]["paid"] is False and warn["attributes"]["tags"] == ["x", "y"]
    assert by_seq[2]["severityNumber"] == 9 and by_seq[2]["body"] == "inside inner ✓"  # INFO
    api = by_seq[3]
    assert api["severityNumber"] == 18 and api["severityText"] == "ERROR2"
    assert api["body"] == {"message": "structured body", "nested": {"a": 1, "ok": True},
                           "list": [1, "two", 3.5], "raw": base64.b64encode(b"\x00\x01\xfe\xff").decode()}
    assert api["timeUnixNano"] == "1700000000000000123"
    assert api["observedTimeUnixNano"] == "1700000000000000456"
    assert api["eventName"] == "kansoku.test.event"
    assert api["scope"]["name"] == "kansoku.interop.logs.api" and api["scope"]["version"] == "0.4.2"


# ---------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Hand-written OTLP/JSON
# ---------------------------------------------------------------------------

def json_trace_body(trace_hex: str, root_hex: str, child_hex: str, service: str) -> dict:
    """An OTLP/JSON ExportTraceServiceRequest as the spec writes it: hex ids,
    int64/fixed64 as strings, enums as integers, lowerCamelCase keys."""
    return {
        "resourceSpans": [{
            "resource": {"attributes": [
                {"key": "service.name", "value": {"stringValue": service}},
                {"key": "host.cpu.count", "value": {"intValue": "8"}},
            ]},
            "scopeSpans": [{
                "scope": {"name": "hand.written", "version": "0.0.1",
                          "attributes": [{"key": "scope.flag", "value": {"boolValue": True}}]},
                "spans": [
                    {
                        "traceId": trace_hex,
                        "spanId": root_hex,
                        "traceState": "k=v",
                        "name": "json-root",
                        "kind": 2,
                        "startTimeUnixNano": "1700000000000000001",
                        "endTimeUnixNano": "1700000001000000002",
                        "attributes": [
                            {"key": "s", "value": {"stringValue": "text"}},
                            {"key": "i", "value": {"intValue": "-9223372036854775808"}},
                            {"key": "i.num", "value": {"intValue": 17}},
                            {"key": "d", "value": {"doubleValue": 2.5}},
                            {"key": "b", "value": {"boolValue": True}},
                            {"key": "bytes", "value": {"bytesValue": base64.b64encode(b"\x00hi\xff").decode()}},
                            {"key": "arr", "value": {"arrayValue": {"values": [
                                {"stringValue": "x"}, {"intValue": "2"}, {"boolValue": False}]}}},
                            {"key": "kv", "value": {"kvlistValue": {"values": [
                                {"key": "inner", "value": {"doubleValue": 0.5}}]}}},
                            {"key": "empty", "value": {}},
                        ],
                        "events": [{"timeUnixNano": "1700000000500000000", "name": "ev",
                                    "attributes": [{"key": "ek", "value": {"stringValue": "ev"}}]}],
                        "status": {"code": 2, "message": "json error"},
                    },
                    {
                        "traceId": trace_hex,
                        "spanId": child_hex,
                        "parentSpanId": root_hex,
                        "name": "json-child",
                        "kind": 3,
                        "startTimeUnixNano": "1700000000100000000",
                        "endTimeUnixNano": "1700000000200000000",
                        "links": [{"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331",
                                   "traceState": "lk=lv",
                                   "attributes": [{"key": "la", "value": {"intValue": "1"}}]}],
                        "status": {},
                    },
                ],
            }],
        }],
    }


def check_json_trace(kansoku, trace_hex, root_hex, child_hex, service, what):
    items = kansoku.debug("traces", traceId=trace_hex)
    by_id = index_unique(items, lambda i: i.get("spanId"), what)
    assert set(by_id) == {root_hex, child_hex}, f"{what}: stored span ids {sorted(by_id)}"
    root, child = by_id[root_hex], by_id[child_hex]
    assert root["traceId"] == trace_hex and root["parentSpanId"] == "" and root["traceState"] == "k=v"
    assert (root["name"], root["kind"]) == ("json-root", 2), f"{what}: {root!r}"
    assert (root["startTimeUnixNano"], root["endTimeUnixNano"]) == ("1700000000000000001", "1700000001000000002")
    assert_attrs_equal(root["attributes"], {
        "s": "text", "i": -9223372036854775808, "i.num": 17, "d": 2.5, "b": True,
        "bytes": base64.b64encode(b"\x00hi\xff").decode(),
        "arr": ["x", 2, False], "kv": {"inner": 0.5}, "empty": None,
    }, f"{what}: root attributes")
    assert len(root["events"]) == 1 and root["events"][0]["name"] == "ev", f"{what}: events {root['events']!r}"
    assert root["events"][0]["timeUnixNano"] == "1700000000500000000"
    assert_attrs_equal(root["events"][0]["attributes"], {"ek": "ev"}, f"{what}: event attributes")
    assert root["links"] == [], f"{what}: root links {root['links']!r}"
    assert root["status"] == {"code": 2, "message": "json error"}, f"{what}: status {root['status']!r}"
    assert_attrs_equal(root["resource"], {"service.name": service, "host.cpu.count": 8}, f"{what}: resource")
    assert_scope(root["scope"], SimpleNamespace(name="hand.written", version="0.0.1",
                                                attributes={"scope.flag": True}), what)

    assert child["parentSpanId"] == root_hex and child["kind"] == 3 and child["name"] == "json-child"
    assert child["traceState"] == "" and child["events"] == [] and child["attributes"] == {}
    assert child["status"] == {"code": 0, "message": ""}, f"{what}: child status {child['status']!r}"
    assert len(child["links"]) == 1, f"{what}: child links {child['links']!r}"
    link = child["links"][0]
    assert (link["traceId"], link["spanId"], link["traceState"]) == (
        "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "lk=lv"), f"{what}: link {link!r}"
    assert_attrs_equal(link["attributes"], {"la": 1}, f"{what}: link attributes")


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_json_traces(kansoku, compressed):
    trace_hex, root_hex, child_hex = secrets.token_hex(16), secrets.token_hex(8), secrets.token_hex(8)
    service = f"interop-json-{uuid.uuid4().hex[:8]}"
    # OTLP/JSON ids are "case-insensitive hex-encoded strings": send one upper-case
    # trace id and expect it back (lower-case, per the contract) under the same id.
    body = json.dumps(json_trace_body(trace_hex.upper() if not compressed else trace_hex,
                                      root_hex, child_hex, service)).encode()
    headers = {"Content-Type": "application/json"}
    if compressed:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    r = new_session().post(kansoku.otlp_url("traces"), data=body, headers=headers, timeout=30)
    assert r.status_code == 200, f"POST /v1/traces (JSON, gzip={compressed}) -> {r.status_code}: {r.text[:1000]!r}"
    assert r.headers.get("Content-Type", "").startswith("application/json"), (
        f"a JSON request must get a JSON response; Content-Type: {r.headers.get('Content-Type')!r}")
    response = r.json()
    rejected = int(response.get("partialSuccess", {}).get("rejectedSpans", 0) or 0)
    assert rejected == 0, f"valid JSON spans were rejected: {response!r}"
    check_json_trace(kansoku, trace_hex, root_hex, child_hex, service, f"JSON (gzip={compressed})")
