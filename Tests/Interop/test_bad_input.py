"""Bad input to the OTLP receivers: every refusal has the status the OTLP
specification asks for, and none of them disturbs the server (a valid request
right after still succeeds, and everything accepted before is still readable).

The server of this module runs with `--max-request-bytes 1048576`."""

from __future__ import annotations

import gzip
import http.client
import json
import secrets
import select
import socket
import uuid

import grpc
import pytest
from google.rpc import status_pb2
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, InstrumentationScope, KeyValue
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span

from conftest import new_session

MAX_REQUEST_BYTES = 1_048_576
SERVICE = f"interop-bad-input-{uuid.uuid4().hex[:8]}"
PROTOBUF = "application/x-protobuf"
TRACE_EXPORT_METHOD = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
HTTP_TIMEOUT_S = 30


@pytest.fixture(scope="module")
def kansoku(module_server_factory):
    return module_server_factory("--max-request-bytes", str(MAX_REQUEST_BYTES))


# Span ids (hex) accepted so far in this module; all must stay readable.
ACCEPTED: dict[str, str] = {}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def trace_request(n_spans: int = 1, padding: int = 0, name: str = "valid") -> tuple[ExportTraceServiceRequest, dict]:
    """A valid request with fresh ids; returns it and {span_hex: trace_hex}."""
    trace_id = secrets.token_bytes(16)
    spans, ids = [], {}
    for i in range(n_spans):
        span_id = secrets.token_bytes(8)
        attrs = [KeyValue(key="i", value=AnyValue(int_value=i))]
        if padding and i == 0:
            attrs.append(KeyValue(key="padding", value=AnyValue(string_value="p" * padding)))
        spans.append(Span(trace_id=trace_id, span_id=span_id, name=f"{name}-{i}", kind=Span.SPAN_KIND_INTERNAL,
                          start_time_unix_nano=1_700_000_000_000_000_000 + i,
                          end_time_unix_nano=1_700_000_000_000_001_000 + i, attributes=attrs))
        ids[span_id.hex()] = trace_id.hex()
    req = ExportTraceServiceRequest(resource_spans=[ResourceSpans(
        resource=Resource(attributes=[KeyValue(key="service.name", value=AnyValue(string_value=SERVICE))]),
        scope_spans=[ScopeSpans(scope=InstrumentationScope(name="interop.bad_input"), spans=spans)],
    )])
    return req, ids


def request_of_size(size: int) -> tuple[ExportTraceServiceRequest, dict]:
    """A valid request whose serialized size is exactly `size` bytes."""
    padding = max(0, size - 200)
    for _ in range(20):
        req, ids = trace_request(padding=padding, name="sized")
        actual = req.ByteSize()
        if actual == size:
            return req, ids
        padding += size - actual
    raise AssertionError(f"could not build a request of exactly {size} bytes")


def error_text(status: int, headers, body: bytes) -> str:
    """The message of an OTLP error response: a google.rpc.Status, protobuf or JSON."""
    content_type = (headers.get("Content-Type") or "").lower()
    if "json" in content_type:
        try:
            doc = json.loads(body)
            if isinstance(doc, dict) and doc.get("message"):
                return str(doc["message"])
        except ValueError:
            pass
    elif "protobuf" in content_type:
        try:
            st = status_pb2.Status.FromString(body)
            if st.message:
                return st.message
        except Exception:
            pass
    return body.decode("utf-8", errors="replace")


def post(kansoku, body: bytes, content_type: str | None = PROTOBUF, encoding: str | None = None,
         signal_name: str = "traces"):
    headers = {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if encoding is not None:
        headers["Content-Encoding"] = encoding
    return new_session().post(kansoku.otlp_url(signal_name), data=body, headers=headers, timeout=HTTP_TIMEOUT_S)


class RawResponse:
    def __init__(self, status: int, headers, body: bytes):
        self.status_code, self.headers, self.content = status, headers, body


def raw_post(port: int, path: str, headers: dict, body: bytes, chunked: bool = False) -> RawResponse:
    """POST over a plain socket that keeps reading while it sends, so a server
    that answers 413 before it has read the whole body is seen answering 413
    (requests would report a broken pipe instead)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=HTTP_TIMEOUT_S)
    try:
        head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}")
        payload = bytearray(("\r\n".join(head) + "\r\n\r\n").encode())
        step = 64 * 1024
        for off in range(0, len(body), step):
            piece = body[off:off + step]
            payload += (f"{len(piece):x}\r\n".encode() + piece + b"\r\n") if chunked else piece
        if chunked:
            payload += b"0\r\n\r\n"
        view = memoryview(bytes(payload))
        sent = 0
        while sent < len(view):
            readable, writable, _ = select.select([sock], [sock], [], HTTP_TIMEOUT_S)
            if readable:
                break  # the server answered early; read what it said
            if not writable:
                raise AssertionError(f"server neither read the request nor answered within {HTTP_TIMEOUT_S}s")
            try:
                sent += sock.send(view[sent:sent + step])
            except (BrokenPipeError, ConnectionResetError):
                break
        response = http.client.HTTPResponse(sock, method="POST")
        try:
            response.begin()
            data = response.read()
        except (ConnectionResetError, http.client.RemoteDisconnected) as e:
            raise AssertionError(
                f"the server closed the connection without an HTTP response ({e!r}) after {sent} of "
                f"{len(view)} request bytes") from None
        return RawResponse(response.status, response.headers, data)
    finally:
        sock.close()


def assert_refused(response, status: int, what: str) -> str:
    body = response.content
    assert response.status_code == status, (
        f"{what}: expected HTTP {status}, got {response.status_code}: {body[:500]!r}")
    message = error_text(response.status_code, response.headers, body)
    assert message.strip(), f"{what}: HTTP {status} without an error message in the body"
    return message


def assert_still_healthy(kansoku, what: str) -> None:
    """A valid request succeeds, and every span accepted so far (this one too) is readable."""
    req, ids = trace_request(n_spans=3, name="after")
    r = post(kansoku, req.SerializeToString())
    assert r.status_code == 200, f"after {what}: a valid request failed with {r.status_code}: {r.content[:500]!r}"
    response = ExportTraceServiceResponse.FromString(r.content)
    assert response.partial_success.rejected_spans == 0, f"after {what}: valid spans rejected: {response}"
    ACCEPTED.update(ids)
    stored = {i["spanId"] for i in kansoku.debug("traces", service=SERVICE)}
    missing = sorted(set(ACCEPTED) - stored)
    assert not missing, f"after {what}: {len(missing)} accepted spans are no longer readable: {missing[:10]}"
    assert kansoku.is_running(), f"after {what}: the server exited:\n{kansoku.output_tail()}"


# ---------------------------------------------------------------------------
# OTLP/HTTP
# ---------------------------------------------------------------------------

def test_valid_protobuf_baseline(kansoku):
    assert_still_healthy(kansoku, "nothing")


@pytest.mark.parametrize("body", [
    b"\x0a\x10\x01",  # field 1, length 16, but only 1 byte follows
    b"\x0a\xff\xff\xff\xff\x0f",  # a length far past the end
    b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",  # a varint tag longer than 10 bytes
    b"\x0f",  # field 1 with wire type 7, which does not exist
], ids=["truncated", "huge-length", "bad-varint", "bad-wire-type"])
def test_malformed_protobuf(kansoku, body):
    r = post(kansoku, body)
    assert_refused(r, 400, f"malformed protobuf {body!r}")
    assert r.headers.get("Content-Type", "").startswith(PROTOBUF), (
        f"an error for a protobuf request should be a protobuf google.rpc.Status; "
        f"Content-Type: {r.headers.get('Content-Type')!r}")
    status = status_pb2.Status.FromString(r.content)
    assert status.message, f"the google.rpc.Status has no message: {status}"
    assert_still_healthy(kansoku, "malformed protobuf")


@pytest.mark.parametrize("body", [
    b'{"resourceSpans": [ {',
    b"not json at all",
    b'{"resourceSpans": 5}',
    b'{"resourceSpans": [{"scopeSpans": [{"spans": [{"name": 7, "traceId": {}}]}]}]}',
], ids=["truncated", "not-json", "wrong-type", "wrong-field-types"])
def test_malformed_json(kansoku, body):
    r = post(kansoku, body, content_type="application/json")
    assert_refused(r, 400, f"malformed JSON {body!r}")
    assert_still_healthy(kansoku, "malformed JSON")


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", None])
def test_unsupported_content_type(kansoku, content_type):
    req, _ = trace_request()
    r = post(kansoku, req.SerializeToString(), content_type=content_type)
    assert_refused(r, 415, f"Content-Type {content_type!r}")
    assert_still_healthy(kansoku, f"Content-Type {content_type!r}")


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_body_over_limit(kansoku, chunked):
    req, _ = request_of_size(MAX_REQUEST_BYTES + 1)
    r = raw_post(kansoku.otlp_http_port, "/v1/traces", {"Content-Type": PROTOBUF}, req.SerializeToString(),
                 chunked=chunked)
    assert_refused(r, 413, f"a body of {MAX_REQUEST_BYTES + 1} bytes (chunked={chunked})")
    assert_still_healthy(kansoku, "an oversized body")


def test_gzip_bomb(kansoku):
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < MAX_REQUEST_BYTES
    r = raw_post(kansoku.otlp_http_port, "/v1/traces", {"Content-Type": PROTOBUF, "Content-Encoding": "gzip"}, bomb)
    assert_refused(r, 413, f"a gzip bomb ({len(bomb)} bytes inflating to 64 MiB)")
    assert_still_healthy(kansoku, "a gzip bomb")


def test_gzip_bomb_of_valid_json(kansoku):
    # Decompresses to well-formed JSON, just far too much of it.
    doc = b'{"resourceSpans": [' + b",".join([b'{"scopeSpans": []}'] * 400_000) + b"]}"
    assert len(doc) > MAX_REQUEST_BYTES
    bomb = gzip.compress(doc)
    r = raw_post(kansoku.otlp_http_port, "/v1/traces",
                 {"Content-Type": "application/json", "Content-Encoding": "gzip"}, bomb)
    assert_refused(r, 413, f"gzipped JSON inflating to {len(doc)} bytes")
    assert_still_healthy(kansoku, "a gzipped oversized JSON body")


@pytest.mark.parametrize("body", [
    b"this is not gzip",
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage after a gzip header",
    None,  # a valid gzip stream cut in half
], ids=["not-gzip", "bad-deflate", "truncated"])
def test_invalid_gzip(kansoku, body):
    if body is None:
        req, _ = trace_request(n_spans=20)
        whole = gzip.compress(req.SerializeToString())
        body = whole[: len(whole) // 2]
    r = post(kansoku, body, encoding="gzip")
    assert_refused(r, 400, f"invalid gzip {body[:20]!r}...")
    assert_still_healthy(kansoku, "invalid gzip")


def json_span(trace_hex: str, span_hex: str, name: str) -> dict:
    return {"traceId": trace_hex, "spanId": span_hex, "name": name, "kind": 1,
            "startTimeUnixNano": "1700000000000000000", "endTimeUnixNano": "1700000000000001000"}


@pytest.mark.parametrize("bad", [
    {"traceId": "0123456789"},  # 5 bytes
    {"spanId": "0123"},  # 2 bytes
], ids=["trace-id-10-hex", "span-id-4-hex"])
def test_invalid_id_length_in_json(kansoku, bad):
    trace_hex = secrets.token_hex(16)
    good1, good2, bad_span = secrets.token_hex(8), secrets.token_hex(8), secrets.token_hex(8)
    bad_item = {**json_span(trace_hex, bad_span, "bad"), **bad}
    body = {"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": SERVICE}}]},
        "scopeSpans": [{"scope": {"name": "interop.bad_input"}, "spans": [
            json_span(trace_hex, good1, "good-1"), bad_item, json_span(trace_hex, good2, "good-2")]}],
    }]}
    r = post(kansoku, json.dumps(body).encode(), content_type="application/json")
    if r.status_code == 400:
        assert error_text(r.status_code, r.headers, r.content).strip(), "400 without an error message"
    else:
        assert r.status_code == 200, f"expected 400 or 200 with partial success, got {r.status_code}: {r.text!r}"
        partial = r.json().get("partialSuccess") or {}
        rejected = int(partial.get("rejectedSpans", 0) or 0)
        assert rejected >= 1, f"the span with {bad} was accepted without a partial_success rejection: {r.text!r}"
        stored = {i["spanId"]: i for i in kansoku.debug("traces", traceId=trace_hex)}
        assert {good1, good2} <= set(stored), (
            f"partial success must keep the valid spans of the batch; stored: {sorted(stored)}")
        assert stored[good1]["name"] == "good-1" and stored[good2]["name"] == "good-2"
        ACCEPTED.update({good1: trace_hex, good2: trace_hex})
    assert_still_healthy(kansoku, f"a span with {bad}")


def test_error_response_for_json_request_is_json(kansoku):
    r = post(kansoku, b"{", content_type="application/json")
    assert r.status_code == 400
    assert r.headers.get("Content-Type", "").startswith("application/json"), (
        f"an error for a JSON request should be a JSON google.rpc.Status; Content-Type: "
        f"{r.headers.get('Content-Type')!r}, body {r.content[:200]!r}")
    doc = r.json()
    assert isinstance(doc, dict) and doc.get("message"), f"JSON Status without message: {doc!r}"


# ---------------------------------------------------------------------------
# OTLP/gRPC
# ---------------------------------------------------------------------------

@pytest.fixture
def raw_export(kansoku):
    channel = grpc.insecure_channel(kansoku.grpc_target, options=[("grpc.enable_http_proxy", 0)])
    try:
        yield channel.unary_unary(TRACE_EXPORT_METHOD, request_serializer=None, response_deserializer=None)
    finally:
        channel.close()


def grpc_code(call, payload: bytes):
    try:
        return grpc.StatusCode.OK, call(payload, timeout=HTTP_TIMEOUT_S), ""
    except grpc.RpcError as e:
        return e.code(), None, e.details()


def test_grpc_valid_raw_request(kansoku, raw_export):
    req, ids = trace_request(n_spans=2, name="grpc-raw")
    code, response, details = grpc_code(raw_export, req.SerializeToString())
    assert code == grpc.StatusCode.OK, f"a valid raw gRPC export failed: {code} {details}"
    assert ExportTraceServiceResponse.FromString(response).partial_success.rejected_spans == 0
    ACCEPTED.update(ids)
    assert_still_healthy(kansoku, "a valid raw gRPC request")


@pytest.mark.parametrize("payload", [
    b"\x0a\x10\x01",
    b"\x0f",
    b"\xff" * 11,
], ids=["truncated", "bad-wire-type", "bad-varint"])
def test_grpc_garbage(kansoku, raw_export, payload):
    code, _, details = grpc_code(raw_export, payload)
    assert code == grpc.StatusCode.INVALID_ARGUMENT, (
        f"gRPC Export with garbage {payload!r}: expected INVALID_ARGUMENT, got {code} ({details!r})")
    assert_still_healthy(kansoku, f"gRPC garbage {payload!r}")
    code, _, details = grpc_code(raw_export, trace_request()[0].SerializeToString())
    assert code == grpc.StatusCode.OK, f"the gRPC receiver failed after garbage: {code} {details}"


def test_grpc_over_limit(kansoku, raw_export):
    req, _ = request_of_size(2 * MAX_REQUEST_BYTES)
    code, _, details = grpc_code(raw_export, req.SerializeToString())
    assert_still_healthy(kansoku, "an oversized gRPC request")
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED, (
        f"gRPC Export of {2 * MAX_REQUEST_BYTES} bytes with --max-request-bytes {MAX_REQUEST_BYTES}: "
        f"expected RESOURCE_EXHAUSTED, got {code} ({details!r})")


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_body_exactly_at_limit_is_accepted(server_factory, compressed):
    """A body of exactly --max-request-bytes is accepted, stored and readable,
    also after smaller batches (its own server: a failure here must not take
    the module's server down with it)."""
    server = server_factory("--max-request-bytes", str(MAX_REQUEST_BYTES))
    small, small_ids = trace_request(n_spans=2, name="before-big")
    r = post(server, small.SerializeToString())
    assert r.status_code == 200, f"a small valid request failed: {r.status_code} {r.content[:300]!r}"
    req, ids = request_of_size(MAX_REQUEST_BYTES)
    body = req.SerializeToString()
    assert len(body) == MAX_REQUEST_BYTES
    r = post(server, gzip.compress(body) if compressed else body, encoding="gzip" if compressed else None)
    assert r.status_code == 200, (
        f"a body of exactly --max-request-bytes ({MAX_REQUEST_BYTES}) bytes (gzip={compressed}) was refused: "
        f"{r.status_code} {r.content[:500]!r}")
    stored = {i["spanId"]: i for i in server.debug("traces", service=SERVICE)}
    missing = sorted((set(small_ids) | set(ids)) - set(stored))
    assert not missing, f"accepted spans not readable: {missing}"
    (big_id,) = ids
    sent_padding = req.resource_spans[0].scope_spans[0].spans[0].attributes[1].value.string_value
    assert stored[big_id]["attributes"].get("padding") == sent_padding, "the big span's padding attribute differs"
    assert server.ready_status() == 200


def test_everything_accepted_is_still_there(kansoku):
    """Last: the whole module's accepted spans, read back in one go, each exactly once."""
    items = [i for i in kansoku.debug("traces", service=SERVICE)]
    counts: dict[str, int] = {}
    for i in items:
        counts[i["spanId"]] = counts.get(i["spanId"], 0) + 1
    missing = sorted(set(ACCEPTED) - set(counts))
    assert not missing, f"{len(missing)} accepted spans missing: {missing[:10]}"
    dupes = {k: v for k, v in counts.items() if v > 1 and k in ACCEPTED}
    assert not dupes, f"spans stored more than once: {dupes}"
    for i in items:
        if i["spanId"] in ACCEPTED:
            assert i["traceId"] == ACCEPTED[i["spanId"]], f"span {i['spanId']} has the wrong traceId: {i!r}"
    assert kansoku.ready_status() == 200
