"""Logs: the real OpenTelemetry Python SDK and OTLP exporters (gRPC and
HTTP/protobuf) against the real server; what was stored is read back through
the debug endpoint (docs/CONTRACTS.md) and compared field by field with what
the SDK produced (captured with in-memory exporters attached alongside)."""

from __future__ import annotations

import base64
import logging
import uuid

import pytest

from opentelemetry._logs import SeverityNumber
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import (
    BatchLogRecordProcessor,
    InMemoryLogRecordExporter,
    SimpleLogRecordProcessor,
)
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_ON

from conftest import assert_attrs_equal, hex_span_id, hex_trace_id, nano, normalize
from sdk_support import (
    FLUSH_TIMEOUT_MS,
    TRANSPORTS,
    RecordingLogExporter,
    assert_all_succeeded,
    assert_scope,
    index_unique,
    log_exporter,
    make_resource,
)


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
