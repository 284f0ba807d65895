"""A known distributed trace for the traces and service-map UI tests
(test_ui_traces.py, test_ui_servicemap.py), produced with the real
OpenTelemetry Python SDK and exported over OTLP/HTTP.

Three services, each with its own TracerProvider and LoggerProvider (as three
processes would have): frontend → checkout (a CLIENT span whose SERVER child
runs in checkout, the context carried by the W3C propagator as over HTTP) →
payments. Span times are given explicitly, so the tree, the durations and the
critical path are known in advance; log records are emitted through Python's
logging bridge while a span is current, so they carry its trace and span id.

Not a test module; the UI tests import `emit_checkout_traces`.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field

from opentelemetry import trace as trace_api
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_ON
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from conftest import hex_span_id, hex_trace_id
from sdk_support import RecordingLogExporter, RecordingSpanExporter, assert_all_succeeded, log_exporter, span_exporter

SERVICES = ("frontend", "checkout", "payments")
MS = 1_000_000  # nanoseconds

# (key, service, name, kind, parent key, start ms, end ms) of every span; offsets from the trace's start.
# The critical path runs root → frontend client → checkout server → charge → payments server → fraud-check,
# plus render-page, validate-cart and write-audit, which run alone; "load-recommendations" (concurrent
# with the checkout call) and "SELECT cards" (concurrent with fraud-check) finish earlier than what
# follows them, so they are off the path.
LAYOUT = [
    ("root", "frontend", "GET /checkout", SpanKind.SERVER, None, 0, 100),
    ("render", "frontend", "render-page", SpanKind.INTERNAL, "root", 2, 9),
    ("recommend", "frontend", "load-recommendations", SpanKind.INTERNAL, "root", 12, 50),
    ("fe_client", "frontend", "POST /api/checkout", SpanKind.CLIENT, "root", 10, 92),
    ("co_server", "checkout", "POST /api/checkout", SpanKind.SERVER, "fe_client", 12, 90),
    ("validate", "checkout", "validate-cart", SpanKind.INTERNAL, "co_server", 14, 20),
    ("charge", "checkout", "charge", SpanKind.CLIENT, "co_server", 22, 80),
    ("pay_server", "payments", "POST /charge", SpanKind.SERVER, "charge", 24, 78),
    ("select", "payments", "SELECT cards", SpanKind.CLIENT, "pay_server", 26, 40),
    ("fraud", "payments", "fraud-check", SpanKind.INTERNAL, "pay_server", 30, 70),
    ("audit", "checkout", "write-audit", SpanKind.INTERNAL, "co_server", 82, 86),
]
OFF_CRITICAL_PATH = {"recommend", "select"}
# Spans whose parent runs in another service: their context crosses "the wire".
REMOTE_CHILDREN = {"co_server", "pay_server"}


@dataclass
class ExpectedSpan:
    key: str
    service: str
    name: str
    span_id: str
    parent_id: str  # "" for the root
    depth: int
    error: bool


@dataclass
class ExpectedTrace:
    trace_id: str
    failed: bool
    spans: list[ExpectedSpan] = field(default_factory=list)
    logs: list[tuple[str, str, str]] = field(default_factory=list)  # (level, message, span key)

    def span(self, key: str) -> ExpectedSpan:
        return next(s for s in self.spans if s.key == key)

    @property
    def critical_ids(self) -> set[str]:
        return {s.span_id for s in self.spans if s.key not in OFF_CRITICAL_PATH}


class _Service:
    """The providers one service's process would have, exporting to the server."""

    def __init__(self, server, name: str, run: str):
        resource = Resource.create({"service.name": name, "service.version": "1.4.0",
                                    "deployment.environment.name": "ui-test", "service.instance.id": f"{name}-{run}"})
        self.spans = RecordingSpanExporter(span_exporter(server, "http"))
        self.tracer_provider = TracerProvider(resource=resource, sampler=ALWAYS_ON)
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.tracer = self.tracer_provider.get_tracer(f"shop.{name}", "1.4.0")
        self.logs = RecordingLogExporter(log_exporter(server, "http"))
        self.log_provider = LoggerProvider(resource=resource)
        self.log_provider.add_log_record_processor(SimpleLogRecordProcessor(self.logs))
        self.logger = logging.getLogger(f"shop.{name}.{run}")
        self.logger.setLevel(logging.DEBUG)
        self.logger.propagate = False
        self.logger.addHandler(LoggingHandler(level=logging.NOTSET, logger_provider=self.log_provider))

    def shutdown(self) -> None:
        assert_all_succeeded(self.spans, "trace")
        assert_all_succeeded(self.logs, "log")
        self.tracer_provider.shutdown()
        self.log_provider.shutdown()


def _attributes(key: str, index: int) -> dict:
    return {
        "root": {"http.request.method": "GET", "url.path": "/checkout", "http.response.status_code": 200},
        "fe_client": {"http.request.method": "POST", "server.address": "checkout", "cart.items": 3},
        "co_server": {"http.request.method": "POST", "url.path": "/api/checkout", "order.id": f"ord-{index}"},
        "charge": {"rpc.system": "grpc", "rpc.service": "Payments", "amount": 42.5},
        "pay_server": {"rpc.system": "grpc", "card.brand": "visa"},
        "select": {"db.system.name": "postgresql", "db.query.text": "SELECT * FROM cards WHERE id = $1"},
    }.get(key, {"step": key})


def emit_checkout_traces(server, count: int = 3) -> list[ExpectedTrace]:
    """Sends `count` checkout traces (the first one fails in payments) and their logs; returns what
    each should look like, most recent last. Times are placed in the last minute before now."""
    run = uuid.uuid4().hex[:8]
    services = {name: _Service(server, name, run) for name in SERVICES}
    propagator = TraceContextTextMapPropagator()
    traces = []
    now = time.time_ns()
    try:
        for index in range(count):
            failed = index == 0
            base = now - (count - index) * 5_000 * MS  # one trace every 5 s, all in the past
            spans: dict[str, object] = {}
            expected = ExpectedTrace(trace_id="", failed=failed)
            for key, service_name, name, kind, parent_key, start_ms, end_ms in LAYOUT:
                service = services[service_name]
                context = None
                if parent_key is not None:
                    context = trace_api.set_span_in_context(spans[parent_key])
                    if key in REMOTE_CHILDREN:
                        carrier: dict[str, str] = {}
                        propagator.inject(carrier, context=context)
                        context = propagator.extract(carrier)
                span = service.tracer.start_span(name, context=context, kind=kind, start_time=base + start_ms * MS,
                                                 attributes=_attributes(key, index))
                spans[key] = span
            _decorate(spans, services, expected, base, failed)
            for key, _, _, _, _, _, end_ms in reversed(LAYOUT):
                spans[key].end(end_time=base + end_ms * MS)
            depth: dict[str, int] = {}
            for key, service_name, name, _, parent_key, _, _ in LAYOUT:
                context = spans[key].get_span_context()
                depth[key] = 0 if parent_key is None else depth[parent_key] + 1
                expected.trace_id = hex_trace_id(context.trace_id)
                expected.spans.append(ExpectedSpan(
                    key=key, service=service_name, name=name, span_id=hex_span_id(context.span_id),
                    parent_id="" if parent_key is None else hex_span_id(spans[parent_key].get_span_context().span_id),
                    depth=depth[key], error=failed and key in ("charge", "pay_server")))
            traces.append(expected)
    finally:
        for service in services.values():
            service.shutdown()
    return traces


def _decorate(spans: dict, services: dict, expected: ExpectedTrace, base: int, failed: bool) -> None:
    """Events, statuses and log lines, the parts a person looks at in the span details."""
    def log(service: str, key: str, level: int, message: str, *args) -> None:
        with trace_api.use_span(spans[key], end_on_exit=False):
            services[service].logger.log(level, message, *args)
        expected.logs.append((logging.getLevelName(level).lower(), message % args, key))

    spans["root"].add_event("request.received", {"client.address": "10.0.0.7"}, timestamp=base + 1 * MS)
    log("frontend", "root", logging.INFO, "checkout page requested")
    log("checkout", "co_server", logging.INFO, "placing order with %d items", 3)
    pay = spans["pay_server"]
    pay.add_event("card.authorization.started", {"attempt": 1}, timestamp=base + 25 * MS)
    if failed:
        pay.add_event("exception", {"exception.type": "CardDeclined", "exception.message": "card declined by issuer"},
                      timestamp=base + 71 * MS)
        pay.set_status(Status(StatusCode.ERROR, "card declined"))
        spans["charge"].set_status(Status(StatusCode.ERROR, "payment failed"))
        log("payments", "pay_server", logging.ERROR, "charge failed: card declined by issuer")
        log("checkout", "charge", logging.WARNING, "payment failed, order kept as pending")
    else:
        pay.set_status(Status(StatusCode.OK))
        log("payments", "pay_server", logging.INFO, "charge accepted")
