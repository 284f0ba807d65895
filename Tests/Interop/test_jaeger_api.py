"""The Jaeger query API as Grafana's Jaeger data source calls it, over spans
produced by the real OpenTelemetry SDK in three services (a client→server hop
and an error)."""

from __future__ import annotations

import json
import uuid

from opentelemetry import trace as trace_api
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode

from conftest import new_session


def provider(kansoku, service: str) -> TracerProvider:
    p = TracerProvider(resource=Resource.create({"service.name": service, "deployment.environment": "test"}))
    p.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=kansoku.otlp_url("traces"), timeout=20)))
    return p


def produce_trace(kansoku, suffix: str) -> str:
    frontend, checkout, payments = (provider(kansoku, f"{name}-{suffix}") for name in ("frontend", "checkout", "payments"))
    with frontend.get_tracer("web").start_as_current_span("GET /cart", kind=SpanKind.SERVER) as root:
        with frontend.get_tracer("web").start_as_current_span("call checkout", kind=SpanKind.CLIENT) as call:
            call.set_attribute("http.status_code", 500)
            ctx = trace_api.set_span_in_context(call)
            with checkout.get_tracer("svc").start_as_current_span("POST /checkout", context=ctx, kind=SpanKind.SERVER) as srv:
                with payments.get_tracer("svc").start_as_current_span("charge", kind=SpanKind.INTERNAL) as charge:
                    charge.set_status(Status(StatusCode.ERROR, "card declined"))
                    charge.add_event("retry", {"attempt": 2})
                srv.set_status(Status(StatusCode.ERROR))
        trace_hex = format(root.get_span_context().trace_id, "032x")
    for p in (frontend, checkout, payments):
        p.shutdown()
    return trace_hex


def get(kansoku, path: str, **params):
    r = new_session().get(f"{kansoku.api_url}{path}", params=params, timeout=30)
    return r.status_code, r.json()


def test_jaeger_api_answers_grafana_calls(kansoku):
    suffix = uuid.uuid4().hex[:6]
    trace_hex = produce_trace(kansoku, suffix)

    status, services = get(kansoku, "/api/services")
    assert status == 200 and {f"frontend-{suffix}", f"checkout-{suffix}", f"payments-{suffix}"} <= set(services["data"])

    status, ops = get(kansoku, f"/api/services/frontend-{suffix}/operations")
    assert status == 200 and sorted(ops["data"]) == ["GET /cart", "call checkout"], ops
    status, ops = get(kansoku, "/api/operations", service=f"frontend-{suffix}", spanKind="client")
    assert status == 200 and [o["name"] for o in ops["data"]] == ["call checkout"], ops

    status, body = get(kansoku, f"/api/traces/{trace_hex}")
    assert status == 200, body
    (trace,) = body["data"]
    assert trace["traceID"] == trace_hex and len(trace["spans"]) == 4
    by_name = {s["operationName"]: s for s in trace["spans"]}
    services_of = {name: trace["processes"][s["processID"]]["serviceName"] for name, s in by_name.items()}
    assert services_of == {"GET /cart": f"frontend-{suffix}", "call checkout": f"frontend-{suffix}",
                           "POST /checkout": f"checkout-{suffix}", "charge": f"payments-{suffix}"}
    # Nesting: each span's CHILD_OF reference points at its parent.
    parent = {name: next((r["spanID"] for r in s["references"] if r["refType"] == "CHILD_OF"), None)
              for name, s in by_name.items()}
    assert parent["GET /cart"] is None
    assert parent["call checkout"] == by_name["GET /cart"]["spanID"]
    assert parent["POST /checkout"] == by_name["call checkout"]["spanID"]
    assert parent["charge"] == by_name["POST /checkout"]["spanID"]
    tags = {t["key"]: t["value"] for t in by_name["charge"]["tags"]}
    assert tags.get("error") is True and tags.get("otel.status_description") == "card declined", tags
    kinds = {name: {t["key"]: t["value"] for t in s["tags"]}.get("span.kind") for name, s in by_name.items()}
    assert kinds == {"GET /cart": "server", "call checkout": "client", "POST /checkout": "server", "charge": "internal"}
    assert [l["fields"][0]["value"] for l in by_name["charge"]["logs"]] == ["retry"]

    # Search as Grafana does: service, then tags and duration filters.
    status, found = get(kansoku, "/api/traces", service=f"checkout-{suffix}", limit=20, lookback="1h")
    assert status == 200 and [t["traceID"] for t in found["data"]] == [trace_hex], found
    status, found = get(kansoku, "/api/traces", service=f"frontend-{suffix}", tags=json.dumps({"http.status_code": "500"}))
    assert status == 200 and [t["traceID"] for t in found["data"]] == [trace_hex]
    status, found = get(kansoku, "/api/traces", service=f"frontend-{suffix}", operation="GET /cart", minDuration="1h")
    assert status == 200 and found["data"] == [], "nothing lasts an hour"

    status, err = get(kansoku, "/api/traces")
    assert status == 400 and "service" in json.dumps(err["errors"])
    status, err = get(kansoku, "/api/traces", service="x", minDuration="soon")
    assert status == 400 and "minDuration" in json.dumps(err["errors"])
    status, _ = get(kansoku, f"/api/traces/{'f' * 32}")
    assert status == 404


def test_service_map_and_red_from_sdk_spans(kansoku):
    suffix = uuid.uuid4().hex[:6]
    produce_trace(kansoku, suffix)
    front, check, pay = (f"{n}-{suffix}" for n in ("frontend", "checkout", "payments"))

    status, deps = get(kansoku, "/api/dependencies", lookback=3_600_000)
    assert status == 200, deps
    edges = {(d["parent"], d["child"]): d["callCount"] for d in deps["data"]}
    assert edges.get((front, check)) == 1 and edges.get((check, pay)) == 1, edges

    status, graph = get(kansoku, "/api/kansoku/v1/servicemap")
    assert status == 200, graph
    by_pair = {(e["source"], e["target"]): e for e in graph["edges"]}
    assert by_pair[(front, check)]["calls"] == 1 and by_pair[(front, check)]["errors"] == 1, "the server side failed"
    assert by_pair[(check, pay)]["errors"] == 1, by_pair[(check, pay)]
    assert by_pair[(front, check)]["p95Seconds"] is not None

    status, red = get(kansoku, "/api/kansoku/v1/red", service=pay)
    assert status == 200, red
    assert [(s["spanName"], s["requests"], s["errors"]) for s in red["series"]] == [("charge", 1, 1)], red

    status, bad = get(kansoku, "/api/kansoku/v1/servicemap", start="yesterday")
    assert status == 400 and "start" in json.dumps(bad)
