"""Zipkin v2 ingest: what a Zipkin reporter posts to /api/v2/spans (JSON or
zipkin.proto3 protobuf) is stored as spans of the shared model and read back
through the debug endpoint and the Jaeger query API."""

from __future__ import annotations

import gzip
import ipaddress
import json
import secrets
import struct

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
    r = post(kansoku, b"[]", **{"Content-Type": "text/plain"})
    assert r.status_code == 415, f"an unknown Content-Type: {r.status_code} {r.text!r}"
    assert post(kansoku, b"[]").status_code == 202, "an empty list is fine"


# -- protobuf ---------------------------------------------------------------
# zipkin.proto3 written by hand (field numbers from Zipkin's zipkin.proto):
# ListOfSpans { repeated Span spans = 1 }; Span { trace_id 1, parent_id 2, id 3,
# kind 4 (CLIENT 1, SERVER 2), name 5, timestamp 6 (fixed64 µs), duration 7,
# local_endpoint 8, remote_endpoint 9, annotations 10, tags 11 (map), debug 12,
# shared 13 }; Endpoint { service_name 1, ipv4 2, ipv6 3, port 4 };
# Annotation { timestamp 1 (fixed64), value 2 }.

def varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def ld(field: int, data: bytes) -> bytes:
    return varint(field << 3 | 2) + varint(len(data)) + data


def vint(field: int, n: int) -> bytes:
    return varint(field << 3) + varint(n)


def fixed64(field: int, n: int) -> bytes:
    return varint(field << 3 | 1) + struct.pack("<Q", n)


def endpoint(service: str, ip: str | None = None, port: int = 0) -> bytes:
    out = ld(1, service.encode())
    if ip:
        addr = ipaddress.ip_address(ip)
        out += ld(2 if addr.version == 4 else 3, addr.packed)
    return out + (vint(4, port) if port else b"")


def proto_span(trace: str, span_id: str, name: str, kind: int, ts: int, dur: int, local: bytes, *,
               parent: str | None = None, remote: bytes | None = None, annotations=(), tags=None,
               shared: bool = False) -> bytes:
    out = ld(1, bytes.fromhex(trace)) + (ld(2, bytes.fromhex(parent)) if parent else b"") + ld(3, bytes.fromhex(span_id))
    out += (vint(4, kind) if kind else b"") + ld(5, name.encode()) + fixed64(6, ts) + vint(7, dur) + ld(8, local)
    if remote is not None:
        out += ld(9, remote)
    for at, value in annotations:
        out += ld(10, fixed64(1, at) + ld(2, value.encode()))
    for key, value in (tags or {}).items():
        out += ld(11, ld(1, key.encode()) + ld(2, value.encode()))
    return out + (vint(13, 1) if shared else b"") + vint(99, 7)  # field 99: unknown, skipped


def list_of_spans(*spans: bytes) -> bytes:
    return b"".join(ld(1, s) for s in spans)


def jaeger_trace(kansoku, trace_hex: str) -> dict:
    r = new_session().get(f"{kansoku.api_url}/api/traces/{trace_hex}", timeout=30)
    assert r.status_code == 200, f"Jaeger /api/traces/{trace_hex}: {r.status_code} {r.text}"
    (trace,) = r.json()["data"]
    return trace


def test_zipkin_protobuf_spans_are_stored(kansoku):
    trace_hex, short_trace = secrets.token_hex(16), secrets.token_hex(8)
    root, client, server, solo = (secrets.token_hex(8) for _ in range(4))
    t0 = 1_700_000_000_000_000
    body = list_of_spans(
        proto_span(trace_hex, root, "GET /cart", 2, t0, 30_000, endpoint("frontend", "10.0.0.1", 8080),
                   tags={"http.method": "GET"}),
        proto_span(trace_hex, client, "call backend", 1, t0 + 1_000, 25_000, endpoint("frontend"), parent=root,
                   remote=endpoint("backend", "2001:db8::7", 9000),
                   annotations=[(t0 + 1_100, "ws"), (t0 + 25_900, "wr")]),
        proto_span(trace_hex, server, "call backend", 2, t0 + 1_500, 20_000, endpoint("backend", "10.0.0.2", 9000),
                   parent=client, shared=True, tags={"error": "upstream timeout", "http.status_code": "500"}),
        proto_span(short_trace, solo, "render", 0, t0, 250, endpoint("frontend"), tags={"span.kind": "internal"}),
    )
    r = post(kansoku, gzip.compress(body), **{"Content-Type": "application/x-protobuf", "Content-Encoding": "gzip"})
    assert r.status_code == 202, f"Zipkin protobuf POST answered {r.status_code}: {r.text}"

    trace = jaeger_trace(kansoku, trace_hex)
    assert trace["traceID"] == trace_hex
    spans = {s["spanID"]: s for s in trace["spans"]}
    assert set(spans) == {root, client, server}, f"stored span ids {sorted(spans)}"
    service = {sid: trace["processes"][s["processID"]]["serviceName"] for sid, s in spans.items()}
    assert service == {root: "frontend", client: "frontend", server: "backend"}
    parent = {sid: [ref["spanID"] for ref in s["references"] if ref["refType"] == "CHILD_OF"] for sid, s in spans.items()}
    assert parent == {root: [], client: [root], server: [client]}
    tags = {sid: {t["key"]: t["value"] for t in s["tags"]} for sid, s in spans.items()}
    assert [tags[sid].get("span.kind") for sid in (root, client, server)] == ["server", "client", "server"]
    assert tags[root]["http.method"] == "GET" and tags[root]["net.host.ip"] == "10.0.0.1"
    assert tags[client]["net.peer.ip"] == "2001:db8::7", "ipv6 bytes become the address text"
    assert tags[client]["peer.service"] == "backend" and tags[client]["net.peer.port"] == 9000
    assert tags[server].get("otel.status_code") == "ERROR", f"an error tag marks the span as failed: {tags[server]}"
    assert tags[server]["error"] == "upstream timeout", "and its message stays an attribute, as in the Collector"
    assert (spans[root]["startTime"], spans[root]["duration"]) == (t0, 30_000), "microseconds, as sent"
    assert [(log["timestamp"], log["fields"][0]["value"]) for log in spans[client]["logs"]] == [(t0 + 1_100, "ws"), (t0 + 25_900, "wr")]

    # A 64-bit trace id is the low half of a 128-bit one; Jaeger finds it by either spelling.
    short = jaeger_trace(kansoku, short_trace)
    assert short["traceID"] == "0" * 16 + short_trace
    (render,) = short["spans"]
    assert render["spanID"] == solo and {t["key"]: t["value"] for t in render["tags"]}.get("span.kind") == "internal"


def test_invalid_zipkin_protobuf_is_rejected(kansoku):
    trace_hex, good = secrets.token_hex(16), secrets.token_hex(8)
    ok = proto_span(trace_hex, good, "ok", 0, 1_700_000_000_000_000, 1, endpoint("svc"))
    bad = ld(1, bytes.fromhex("0102030405")) + ld(3, bytes.fromhex(secrets.token_hex(8)))
    r = post(kansoku, list_of_spans(ok, bad), **{"Content-Type": "application/protobuf"})
    assert r.status_code == 400 and "rejected 1" in r.text and "spans[1].trace_id" in r.text, f"{r.status_code} {r.text}"
    assert [s["spanID"] for s in jaeger_trace(kansoku, trace_hex)["spans"]] == [good], "the valid span is kept"

    r = post(kansoku, b"\x0a\x05\x01", **{"Content-Type": "application/x-protobuf"})
    assert r.status_code == 400 and "invalid protobuf ListOfSpans" in r.text, f"a truncated list: {r.status_code} {r.text}"
    assert post(kansoku, b"", **{"Content-Type": "application/x-protobuf"}).status_code == 202, "an empty list is fine"
