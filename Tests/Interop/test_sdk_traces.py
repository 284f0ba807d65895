"""Traces: the real OpenTelemetry Python SDK and OTLP exporters (gRPC and
HTTP/protobuf) against the real server; what was stored is read back through
the debug endpoint (docs/CONTRACTS.md) and compared field by field with what
the SDK produced (captured with in-memory exporters attached alongside)."""

from __future__ import annotations

import secrets

import pytest

from opentelemetry import trace as trace_api
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_ON
from opentelemetry.trace import Link, SpanContext, SpanKind, Status, StatusCode, TraceFlags, TraceState
from opentelemetry.trace.span import NonRecordingSpan

from conftest import assert_attrs_equal, hex_span_id, hex_trace_id, nano
from sdk_support import (
    FLUSH_TIMEOUT_MS,
    OTLP_KIND,
    OTLP_STATUS,
    TRANSPORTS,
    RecordingSpanExporter,
    assert_all_succeeded,
    assert_scope,
    index_unique,
    make_resource,
    span_exporter,
)


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
