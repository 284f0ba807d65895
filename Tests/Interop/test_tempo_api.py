"""Grafana Tempo's API under /tempo, as the Tempo data source calls it, over
spans produced by the real OpenTelemetry SDK."""

from __future__ import annotations

import uuid

from opentelemetry.proto.trace.v1.trace_pb2 import TracesData

from conftest import new_session
from test_jaeger_api import produce_trace

PREFIX = "/tempo"


def get(kansoku, path: str, headers=None, **params):
    return new_session().get(f"{kansoku.api_url}{PREFIX}{path}", params=params, headers=headers or {}, timeout=30)


def test_tempo_trace_search_and_tags(kansoku):
    suffix = uuid.uuid4().hex[:6]
    trace_hex = produce_trace(kansoku, suffix)
    pay, check = f"payments-{suffix}", f"checkout-{suffix}"

    r = get(kansoku, "/api/echo")
    assert r.status_code == 200 and r.text == "echo"
    assert get(kansoku, "/api/status/buildinfo").json()["version"]

    r = get(kansoku, f"/api/traces/{trace_hex}")
    assert r.status_code == 200, r.text
    spans = [s for b in r.json()["batches"] for ss in b["scopeSpans"] for s in ss["spans"]]
    assert len(spans) == 4 and {s["traceId"] for s in spans} == {trace_hex}, "OTLP/JSON with hex ids"

    r = get(kansoku, f"/api/traces/{trace_hex}", headers={"Accept": "application/protobuf"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/protobuf")
    data = TracesData.FromString(r.content)
    assert sum(len(ss.spans) for rs in data.resource_spans for ss in rs.scope_spans) == 4

    r = get(kansoku, f"/api/v2/traces/{trace_hex}")
    assert r.status_code == 200 and len(r.json()["trace"]["resourceSpans"]) == 3, "one entry per service" + r.text
    assert get(kansoku, f"/api/traces/{'e' * 32}").status_code == 404

    r = get(kansoku, "/api/search", q=f'{{resource.service.name="{pay}" && status=error}}', limit=5)
    assert r.status_code == 200, r.text
    found = r.json()["traces"]
    assert [t["traceID"] for t in found] == [trace_hex], found
    assert found[0]["rootServiceName"] == f"frontend-{suffix}" and found[0]["rootTraceName"] == "GET /cart"

    r = get(kansoku, "/api/search", q=f'{{resource.service.name="{check}"}} > {{name="charge"}}')
    assert [t["traceID"] for t in r.json()["traces"]] == [trace_hex], "structural parent > child"
    r = get(kansoku, "/api/search", tags=f"service.name={check}")
    assert [t["traceID"] for t in r.json()["traces"]] == [trace_hex], "tag search"
    r = get(kansoku, "/api/search", q=f'{{resource.service.name="{check}" && duration > 1h}}')
    assert r.json()["traces"] == []

    r = get(kansoku, "/api/search", q='{ span.http.status_code = }')
    assert r.status_code == 400 and "parse error" in r.text, r.text

    assert "service.name" in get(kansoku, "/api/search/tags").json()["tagNames"]
    scopes = {s["name"]: s["tags"] for s in get(kansoku, "/api/v2/search/tags").json()["scopes"]}
    assert "service.name" in scopes["resource"] and "http.status_code" in scopes["span"], scopes
    assert pay in get(kansoku, "/api/search/tag/service.name/values").json()["tagValues"]
    values = get(kansoku, "/api/v2/search/tag/resource.service.name/values").json()["tagValues"]
    assert {"type": "string", "value": check} in values, values
