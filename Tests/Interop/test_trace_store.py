"""Trace storage end to end: spans move from the write-ahead log into trace
blocks in the background, WAL segments are deleted once persisted, and a
trace is found by id from blocks and WAL alike, across a restart."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span

from conftest import new_session, wait_until

TRACES = 40
ROUNDS = 12  # each round adds one span to every trace, so traces straddle many segments


def post_round(server, traces: list[bytes], round_no: int, service: str) -> dict[str, list[str]]:
    spans, ids = [], {}
    for trace_id in traces:
        span_id = secrets.token_bytes(8)
        now = time.time_ns()
        spans.append(Span(trace_id=trace_id, span_id=span_id, name=f"op-{round_no}", kind=Span.SPAN_KIND_SERVER,
                          start_time_unix_nano=now, end_time_unix_nano=now + 1000,
                          attributes=[KeyValue(key="padding", value=AnyValue(string_value="x" * 200))]))
        ids.setdefault(trace_id.hex(), []).append(span_id.hex())
    body = ExportTraceServiceRequest(resource_spans=[ResourceSpans(
        resource=Resource(attributes=[KeyValue(key="service.name", value=AnyValue(string_value=service))]),
        scope_spans=[ScopeSpans(spans=spans)])]).SerializeToString()
    r = new_session().post(server.otlp_url("traces"), data=body,
                           headers={"Content-Type": "application/x-protobuf"}, timeout=30)
    assert r.status_code == 200, r.text
    return ids


def trace_span_ids(server, trace_hex: str) -> list[str]:
    r = new_session().get(f"{server.api_url}/api/kansoku/v1/traces/{trace_hex}", timeout=30)
    assert r.status_code == 200, r.text
    return sorted(item["spanId"] for item in r.json()["items"])


def test_spans_move_into_blocks_and_stay_findable(server_factory, tmp_path):
    server = server_factory("--wal-segment-bytes", "16384", "--compaction-interval-seconds", "1")
    service = f"store-{secrets.token_hex(4)}"
    traces = [secrets.token_bytes(16) for _ in range(TRACES)]
    expected: dict[str, list[str]] = {}
    for round_no in range(ROUNDS):
        for trace_hex, span_ids in post_round(server, traces, round_no, service).items():
            expected.setdefault(trace_hex, []).extend(span_ids)

    data_dir = Path(server.data_dir)
    blocks = data_dir / "traces" / "blocks"
    wal = data_dir / "wal" / "traces"
    # Every closed segment becomes a block and is deleted; only the active one stays.
    wait_until(lambda: len(list(wal.glob("*.wal"))) == 1, timeout=60,
               what=f"compaction of closed WAL segments (left: {sorted(p.name for p in wal.glob('*.wal'))})")
    assert len(list(blocks.glob("*.ktb"))) >= 3, sorted(p.name for p in blocks.iterdir())

    for trace_hex, span_ids in expected.items():
        assert trace_span_ids(server, trace_hex) == sorted(span_ids), f"trace {trace_hex} by id"
    stored = [i for i in server.debug("traces", service=service)]
    assert sorted(i["spanId"] for i in stored) == sorted(s for ids in expected.values() for s in ids), \
        "every span is stored exactly once across blocks and WAL"

    assert server.stop() == 0
    server.start()
    for trace_hex, span_ids in list(expected.items())[:10]:
        assert trace_span_ids(server, trace_hex) == sorted(span_ids), f"trace {trace_hex} after a restart"

    r = new_session().get(f"{server.api_url}/api/kansoku/v1/traces/not-a-trace-id", timeout=10)
    assert r.status_code == 400 and "invalid trace id" in r.text
    assert trace_span_ids(server, secrets.token_hex(16)) == []
