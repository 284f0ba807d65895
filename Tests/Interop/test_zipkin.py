"""Zipkin v2 ingest: what a Zipkin reporter posts to /api/v2/spans is stored
as spans of the shared model and read back through the debug endpoint."""

from __future__ import annotations

import gzip
import json
import secrets

from conftest import new_session


def zipkin_trace(trace_hex: str, client_id: str, server_id: str) -> list[dict]:
    return [
        {
            "traceId": trace_hex, "id": client_id, "name": "get /cart", "kind": "CLIENT",
            "timestamp": 1_700_000_000_000_000, "duration": 25_000,
            "localEndpoint": {"serviceName": "frontend", "ipv4": "10.0.0.1"},
            "remoteEndpoint": {"serviceName": "backend", "ipv4": "10.0.0.2", "port": 8080},
            "annotations": [{"timestamp": 1_700_000_000_001_000, "value": "ws"}],
            "tags": {"http.method": "GET", "http.path": "/cart"},
        },
        {
            "traceId": trace_hex, "id": server_id, "parentId": client_id, "name": "get /cart", "kind": "SERVER",
            "timestamp": 1_700_000_000_002_000, "duration": 20_000, "shared": True,
            "localEndpoint": {"serviceName": "backend", "ipv4": "10.0.0.2", "port": 8080},
            "tags": {"http.status_code": "500", "error": "upstream timeout"},
        },
    ]


def post(kansoku, body: bytes, **headers) -> "requests.Response":
    return new_session().post(f"{kansoku.api_url}/api/v2/spans", data=body,
                              headers={"Content-Type": "application/json", **headers}, timeout=30)


def test_zipkin_spans_are_stored_with_their_services(kansoku):
    trace_hex = secrets.token_hex(16)
    client_id, server_id = secrets.token_hex(8), secrets.token_hex(8)
    r = post(kansoku, gzip.compress(json.dumps(zipkin_trace(trace_hex, client_id, server_id)).encode()),
             **{"Content-Encoding": "gzip"})
    assert r.status_code == 202, f"Zipkin POST answered {r.status_code}: {r.text}"

    items = {item["spanId"]: item for item in kansoku.debug("traces", traceId=trace_hex)}
    assert set(items) == {client_id, server_id}, f"stored span ids {sorted(items)}"
    client, server = items[client_id], items[server_id]
    assert client["resource"]["service.name"] == "frontend"
    assert server["resource"]["service.name"] == "backend"
    assert (client["kind"], server["kind"]) == (3, 2), "CLIENT/SERVER map to OTLP kinds 3/2"
    assert server["parentSpanId"] == client_id and client["parentSpanId"] == ""
    assert int(client["startTimeUnixNano"]) == 1_700_000_000_000_000_000
    assert int(client["endTimeUnixNano"]) == 1_700_000_000_025_000_000
    assert [e["name"] for e in client["events"]] == ["ws"]
    assert int(client["events"][0]["timeUnixNano"]) == 1_700_000_000_001_000_000
    assert client["attributes"]["http.method"] == "GET"
    assert server["status"]["code"] == 2, f"an error tag marks the span as failed: {server['status']}"


def test_invalid_zipkin_spans_are_rejected_alone(kansoku):
    trace_hex = secrets.token_hex(16)
    good = secrets.token_hex(8)
    spans = [
        {"traceId": trace_hex, "id": good, "name": "ok", "timestamp": 1_700_000_000_000_000, "duration": 1,
         "localEndpoint": {"serviceName": "svc"}},
        {"traceId": trace_hex, "id": "not-hex!", "name": "bad", "timestamp": 1_700_000_000_000_000, "duration": 1},
    ]
    r = post(kansoku, json.dumps(spans).encode())
    assert r.status_code == 400 and "rejected 1" in r.text and "not-hex!" in r.text, f"{r.status_code} {r.text}"
    assert [i["spanId"] for i in kansoku.debug("traces", traceId=trace_hex)] == [good], "the valid span is kept"


def test_malformed_zipkin_bodies(kansoku):
    for body, what in [(b"{not json", "invalid JSON"), (b'{"traceId": "x"}', "an object instead of a list")]:
        r = post(kansoku, body)
        assert r.status_code == 400 and r.text.strip(), f"{what}: {r.status_code} {r.text!r}"
    r = post(kansoku, b"[]", **{"Content-Type": "application/x-protobuf"})
    assert r.status_code == 415, f"Zipkin protobuf: {r.status_code} {r.text!r}"
    assert post(kansoku, b"[]").status_code == 202, "an empty list is fine"
