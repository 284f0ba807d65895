"""Hand-written OTLP/JSON trace requests (plain and gzip-compressed) against the
real server; what was stored is read back through the debug endpoint
(docs/CONTRACTS.md) and compared field by field with what was sent."""

from __future__ import annotations

import base64
import gzip
import json
import secrets
import uuid
from types import SimpleNamespace

import pytest

from conftest import assert_attrs_equal, new_session
from sdk_support import assert_scope, index_unique


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
