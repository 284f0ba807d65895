"""Loki push API: what Promtail / Grafana Alloy / the Loki clients post to
/loki/api/v1/push (snappy block-compressed protobuf, or JSON) is stored as log
records and read back through the debug endpoint.

Mapping under test: one resource per stream whose attributes are the stream
labels, an empty scope, one log record per entry with the entry timestamp as
timeUnixNano, observedTimeUnixNano 0, the line as a string body, structured
metadata as attributes, and no severity. Loki answers 204 No Content when
everything was stored.

The protobuf body is encoded by hand (logproto.PushRequest, see
Proto/loki/push.proto) and compressed with cramjam's raw snappy (the block
format Loki expects, not the framed one).
"""

from __future__ import annotations

import gzip
import json
import secrets

import cramjam

from conftest import assert_attrs_equal, nano, new_session

PUSH_PATH = "/loki/api/v1/push"


# -- hand-encoded protobuf ---------------------------------------------------

def _varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64  # int64 as two's complement, 10 bytes
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _len_field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _varint_field(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value) if value else b""


def _timestamp(seconds: int, nanos: int) -> bytes:
    """google.protobuf.Timestamp {seconds = 1; nanos = 2}."""
    return _varint_field(1, seconds) + _varint_field(2, nanos)


def _entry(seconds: int, nanos: int, line: str, metadata: dict[str, str] | None = None) -> bytes:
    """logproto.EntryAdapter {timestamp = 1; line = 2; structuredMetadata = 3}."""
    body = _len_field(1, _timestamp(seconds, nanos)) + _len_field(2, line.encode())
    for name, value in (metadata or {}).items():
        body += _len_field(3, _len_field(1, name.encode()) + _len_field(2, value.encode()))
    return body


def _stream(labels: str, entries: list[bytes]) -> bytes:
    """logproto.StreamAdapter {labels = 1; entries = 2}."""
    return _len_field(1, labels.encode()) + b"".join(_len_field(2, e) for e in entries)


def push_request(streams: list[bytes]) -> bytes:
    """logproto.PushRequest {streams = 1}, uncompressed."""
    return b"".join(_len_field(1, s) for s in streams)


def snappy_block(data: bytes) -> bytes:
    return bytes(cramjam.snappy.compress_raw(data))


# -- helpers -------------------------------------------------------------------

def post(kansoku, body: bytes, content_type: str | None, **headers) -> "requests.Response":
    if content_type is not None:
        headers["Content-Type"] = content_type
    return new_session().post(f"{kansoku.api_url}{PUSH_PATH}", data=body, headers=headers, timeout=30)


def records_of_run(kansoku, run: str) -> list[dict]:
    """Stored log records whose stream carried the label run=<run>."""
    return [i for i in kansoku.debug("logs") if (i.get("resource") or {}).get("run") == run]


def assert_loki_record(item: dict, *, resource: dict, time_ns: int, line: str, metadata: dict | None, what: str) -> None:
    assert_attrs_equal(item.get("resource"), resource, f"{what}: resource (stream labels)")
    assert nano(item.get("timeUnixNano"), f"{what}.timeUnixNano") == time_ns, f"{what}: time {item.get('timeUnixNano')}"
    assert nano(item.get("observedTimeUnixNano"), f"{what}.observedTimeUnixNano") == 0, f"{what}: observed time"
    assert item.get("body") == line, f"{what}: body {item.get('body')!r} != {line!r}"
    assert_attrs_equal(item.get("attributes"), metadata or {}, f"{what}: attributes (structured metadata)")
    assert item.get("severityNumber") == 0 and item.get("severityText") == "", (
        f"{what}: severity is not derived from labels: {item.get('severityNumber')!r} {item.get('severityText')!r}")
    assert item.get("traceId") == "" and item.get("spanId") == "", f"{what}: no trace context"
    scope = item.get("scope") or {}
    assert scope.get("name") == "" and scope.get("version") == "", f"{what}: scope {scope!r}"


# -- tests ---------------------------------------------------------------------

def test_protobuf_snappy_push_is_stored(kansoku):
    run = secrets.token_hex(8)
    api_labels = f'{{app="loki-interop", env="test", run="{run}"}}'
    # Labels as Promtail writes them (Go-quoted), here with escapes and odd spacing.
    odd_labels = f'{{ run = "{run}", app="loki-interop", quote="say \\"hi\\" \\\\o/" }}'
    body = push_request([
        _stream(api_labels, [
            _entry(1, 2, "GET /health 200"),
            _entry(1_700_000_000, 123_456_789, "GET /cart 500", {"trace_id": "0af7651916cd43dd", "user": "42"}),
        ]),
        _stream(odd_labels, [_entry(3, 0, "level=error msg=\"boom\"")]),
    ])
    r = post(kansoku, snappy_block(body), "application/x-protobuf")
    assert r.status_code == 204, f"protobuf push answered {r.status_code}: {r.text}"

    items = {i["body"]: i for i in records_of_run(kansoku, run)}
    assert set(items) == {"GET /health 200", "GET /cart 500", "level=error msg=\"boom\""}, f"stored: {sorted(items)}"
    api = {"app": "loki-interop", "env": "test", "run": run}
    assert_loki_record(items["GET /health 200"], resource=api, time_ns=1_000_000_002, line="GET /health 200",
                       metadata=None, what="protobuf entry 0")
    assert_loki_record(items["GET /cart 500"], resource=api, time_ns=1_700_000_000_123_456_789, line="GET /cart 500",
                       metadata={"trace_id": "0af7651916cd43dd", "user": "42"}, what="protobuf entry 1")
    assert_loki_record(items["level=error msg=\"boom\""],
                       resource={"run": run, "app": "loki-interop", "quote": 'say "hi" \\o/'},
                       time_ns=3_000_000_000, line="level=error msg=\"boom\"", metadata=None, what="escaped labels")


def test_protobuf_without_content_type_is_taken_as_protobuf(kansoku):
    run = secrets.token_hex(8)
    body = snappy_block(push_request([_stream(f'{{run="{run}"}}', [_entry(1, 2, "no content type")])]))
    r = post(kansoku, body, None)
    assert r.status_code == 204, f"{r.status_code}: {r.text}"
    assert [i["body"] for i in records_of_run(kansoku, run)] == ["no content type"]


def test_json_push_is_stored(kansoku):
    run = secrets.token_hex(8)
    push = {"streams": [
        {"stream": {"app": "loki-json", "run": run},
         "values": [["1700000000123456789", "plain line"],
                    ["1700000000123456790", "with metadata", {"trace_id": "abc", "pod": "p-1"}]]},
        {"stream": {"app": "loki-json-2", "run": run}, "values": [["5", "tiny timestamp"]]},
    ]}
    r = post(kansoku, json.dumps(push).encode(), "application/json")
    assert r.status_code == 204, f"JSON push answered {r.status_code}: {r.text}"

    items = {i["body"]: i for i in records_of_run(kansoku, run)}
    assert set(items) == {"plain line", "with metadata", "tiny timestamp"}, f"stored: {sorted(items)}"
    assert_loki_record(items["plain line"], resource={"app": "loki-json", "run": run},
                       time_ns=1_700_000_000_123_456_789, line="plain line", metadata=None, what="json entry 0")
    assert items["plain line"]["timeUnixNano"] == "1700000000123456789", "nanoseconds kept exactly"
    assert_loki_record(items["with metadata"], resource={"app": "loki-json", "run": run},
                       time_ns=1_700_000_000_123_456_790, line="with metadata",
                       metadata={"trace_id": "abc", "pod": "p-1"}, what="json entry 1")
    assert_loki_record(items["tiny timestamp"], resource={"app": "loki-json-2", "run": run},
                       time_ns=5, line="tiny timestamp", metadata=None, what="json stream 2")


def test_gzipped_json_push(kansoku):
    run = secrets.token_hex(8)
    push = {"streams": [{"stream": {"run": run}, "values": [["7", "gzipped"]]}]}
    r = post(kansoku, gzip.compress(json.dumps(push).encode()), "application/json", **{"Content-Encoding": "gzip"})
    assert r.status_code == 204, f"{r.status_code}: {r.text}"
    assert [i["body"] for i in records_of_run(kansoku, run)] == ["gzipped"]


def test_invalid_streams_and_entries_are_rejected_alone(kansoku):
    run = secrets.token_hex(8)
    body = push_request([
        _stream("{foo=}", [_entry(1, 0, "bad labels")]),
        _stream(f'{{run="{run}"}}', [_entry(2, 0, "kept"), _entry(-1, 0, "negative time")]),
    ])
    r = post(kansoku, snappy_block(body), "application/x-protobuf")
    assert r.status_code == 400, f"{r.status_code}: {r.text}"
    assert "rejected 2" in r.text and "Error parsing labels '{foo=}'" in r.text, r.text
    assert [i["body"] for i in records_of_run(kansoku, run)] == ["kept"], "the valid entry is stored"

    push = {"streams": [
        {"stream": {"run": run}, "values": [["not-a-number", "bad"], ["8", "kept too"]]},
        {"stream": {}, "values": [["9", "no labels"]]},
    ]}
    r = post(kansoku, json.dumps(push).encode(), "application/json")
    assert r.status_code == 400, f"{r.status_code}: {r.text}"
    assert "rejected 2" in r.text and "not-a-number" in r.text and "at least one label pair" in r.text, r.text
    assert sorted(i["body"] for i in records_of_run(kansoku, run)) == ["kept", "kept too"]


def test_malformed_pushes(kansoku):
    proto = "application/x-protobuf"
    # Not snappy at all, and uncompressed protobuf (a client that forgot snappy).
    for body, what in [(b"\xff\xff\xff\xff\xff\xff\xff", "bad snappy header"),
                       (push_request([_stream('{a="b"}', [_entry(1, 0, "x" * 40)])]), "uncompressed protobuf"),
                       (snappy_block(b"\x0a\x05\x01"), "truncated protobuf")]:
        r = post(kansoku, body, proto)
        assert r.status_code == 400 and r.text.strip(), f"{what}: {r.status_code} {r.text!r}"
    for body, what in [(b"{not json", "invalid JSON"), (b"[]", "a list"), (b"{}", "no streams")]:
        r = post(kansoku, body, "application/json")
        assert r.status_code == 400 and r.text.strip(), f"{what}: {r.status_code} {r.text!r}"
    r = post(kansoku, b"hello", "text/plain")
    assert r.status_code == 415, f"text/plain: {r.status_code} {r.text!r}"
    # A snappy header declaring ~4 GiB is refused before anything is inflated.
    r = post(kansoku, b"\xff\xff\xff\xff\x0f", proto)
    assert r.status_code == 413, f"huge declared length: {r.status_code} {r.text!r}"
    assert post(kansoku, snappy_block(b""), proto).status_code == 204, "an empty PushRequest is fine"
    assert post(kansoku, b'{"streams": []}', "application/json").status_code == 204, "no streams is fine"
