"""Durability across crashes: a span acknowledged with HTTP 200 must survive a
`kill -9` of the server at any moment (docs/CONTRACTS.md: the debug endpoint
reads only what was acknowledged as durable, and an ingest call is answered
only once its batch is durable)."""

from __future__ import annotations

import secrets
import threading
import time
import uuid

import requests
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, InstrumentationScope, KeyValue
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span

from conftest import new_session, wait_until

SPANS_PER_REQUEST = 50
MAX_REQUESTS_PER_SECOND = 100  # keeps the read-back small whatever the server's speed
STREAM_BEFORE_KILL_S = 2.0
KILLS = 2
DEBUG_LIMIT = 10_000_000


class Streamer(threading.Thread):
    """Posts OTLP/HTTP protobuf batches of fresh spans back to back; a span
    counts as acknowledged only once its request got a 200 with no rejections."""

    def __init__(self, url: str, service: str, round_no: int):
        super().__init__(name=f"streamer-{round_no}", daemon=True)
        self.url, self.service, self.round_no = url, service, round_no
        self.acked: dict[str, str] = {}  # span id hex -> trace id hex
        self.sent: dict[str, str] = {}  # every span ever sent, acknowledged or not
        self.ok_requests = 0
        self.failures: list[str] = []
        self.protocol_errors: list[str] = []
        self._stop_event = threading.Event()
        self.in_flight = threading.Event()  # set while a POST is outstanding
        self._lock = threading.Lock()
        self._seq = 0

    def acked_count(self) -> int:
        with self._lock:
            return len(self.acked)

    def stop(self) -> None:
        self._stop_event.set()

    def _batch(self) -> tuple[bytes, dict[str, str]]:
        self._seq += 1
        trace_id = secrets.token_bytes(16)
        spans, ids = [], {}
        for i in range(SPANS_PER_REQUEST):
            span_id = secrets.token_bytes(8)
            spans.append(Span(
                trace_id=trace_id, span_id=span_id, name=f"r{self.round_no}-b{self._seq}-s{i}",
                kind=Span.SPAN_KIND_SERVER,
                start_time_unix_nano=time.time_ns(), end_time_unix_nano=time.time_ns() + 1000,
                attributes=[KeyValue(key="batch", value=AnyValue(int_value=self._seq)),
                            KeyValue(key="round", value=AnyValue(int_value=self.round_no))],
            ))
            ids[span_id.hex()] = trace_id.hex()
        req = ExportTraceServiceRequest(resource_spans=[ResourceSpans(
            resource=Resource(attributes=[KeyValue(key="service.name", value=AnyValue(string_value=self.service))]),
            scope_spans=[ScopeSpans(scope=InstrumentationScope(name="interop.crash"), spans=spans)],
        )])
        return req.SerializeToString(), ids

    def run(self) -> None:
        session = new_session()
        interval = 1.0 / MAX_REQUESTS_PER_SECOND
        while not self._stop_event.is_set():
            started = time.monotonic()
            body, ids = self._batch()
            with self._lock:
                self.sent.update(ids)
            self.in_flight.set()
            try:
                r = session.post(self.url, data=body, headers={"Content-Type": "application/x-protobuf"}, timeout=10)
            except requests.RequestException as e:
                self.failures.append(type(e).__name__)
                self._stop_event.wait(0.05)
                continue
            finally:
                self.in_flight.clear()
            if r.status_code == 200:
                try:
                    response = ExportTraceServiceResponse.FromString(r.content)
                except Exception as e:  # noqa: BLE001 - reported by the test
                    self.protocol_errors.append(f"undecodable 200 response {r.content[:100]!r}: {e}")
                    continue
                if response.partial_success.rejected_spans:
                    self.protocol_errors.append(f"valid spans rejected: {response.partial_success}")
                    continue
                with self._lock:
                    self.acked.update(ids)
                self.ok_requests += 1
            else:
                self.failures.append(f"HTTP {r.status_code}")
            self._stop_event.wait(max(0.0, interval - (time.monotonic() - started)))


def _wait_in_flight(streamer: Streamer, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not streamer.in_flight.is_set():
        time.sleep(0.0002)


def stored_spans(server, service: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for item in server.debug("traces", service=service, limit=DEBUG_LIMIT):
        out.setdefault(item["spanId"], []).append(item)
    return out


def check_after_restart(server, service: str, acked: dict[str, str], sent: dict[str, str], what: str) -> None:
    assert server.ready_status() == 200, f"{what}: /-/ready is not 200 after the restart"
    crash = server.crash_lines()
    assert not crash, f"{what}: the restarted server logged crash-like lines:\n" + "\n".join(crash[:20])
    stored = stored_spans(server, service)
    missing = sorted(set(acked) - set(stored))
    assert not missing, (
        f"{what}: {len(missing)} of {len(acked)} acknowledged spans are gone after kill -9 "
        f"(e.g. {missing[:5]}); {len(stored)} spans of this service are readable")
    unknown = sorted(set(stored) - set(sent))
    assert not unknown, f"{what}: spans that were never sent are readable: {unknown[:5]}"
    dupes = {k: len(v) for k, v in stored.items() if len(v) > 1}
    assert not dupes, f"{what}: spans stored more than once after recovery: {list(dupes.items())[:5]}"
    for span_id, (item,) in stored.items():
        assert item["traceId"] == sent[span_id], f"{what}: span {span_id} has traceId {item['traceId']}"
        assert item["kind"] == 2 and item["name"].startswith("r"), f"{what}: span {span_id} damaged: {item!r}"


def test_acknowledged_spans_survive_kill_9(server_factory):
    server = server_factory()
    service = f"interop-crash-{uuid.uuid4().hex[:8]}"
    acked: dict[str, str] = {}
    sent: dict[str, str] = {}

    for round_no in range(1, KILLS + 1):
        streamer = Streamer(server.otlp_url("traces"), service, round_no)
        streamer.start()
        try:
            wait_until(lambda: streamer.acked_count() >= 5 * SPANS_PER_REQUEST, timeout=60,
                       what=f"round {round_no}: 5 acknowledged requests (failures so far: {streamer.failures[:5]})")
            time.sleep(STREAM_BEFORE_KILL_S)
            assert streamer.is_alive(), "the streaming thread died"
            assert not streamer.protocol_errors, f"round {round_no}: {streamer.protocol_errors[:5]}"
            # Kill while a request is outstanding (best effort: the wait is bounded
            # and the test does not depend on winning the race).
            _wait_in_flight(streamer)
            server.kill9()  # mid-stream: the streamer is still posting
        finally:
            streamer.stop()
            streamer.join(timeout=30)
        assert not streamer.is_alive(), "the streaming thread did not stop"
        assert not streamer.protocol_errors, f"round {round_no}: {streamer.protocol_errors[:5]}"
        acked.update(streamer.acked)
        sent.update(streamer.sent)
        print(f"round {round_no}: {streamer.ok_requests} requests acknowledged "
              f"({len(streamer.acked)} spans), {len(streamer.failures)} failed before/after the kill")

        server.start()  # same data dir
        check_after_restart(server, service, acked, sent, f"after kill -9 #{round_no}")

    # The recovered server still takes writes, and they survive a clean restart too.
    streamer = Streamer(server.otlp_url("traces"), service, KILLS + 1)
    streamer.start()
    try:
        wait_until(lambda: streamer.acked_count() >= 2 * SPANS_PER_REQUEST, timeout=60,
                   what=f"writes after recovery (failures: {streamer.failures[:5]})")
    finally:
        streamer.stop()
        streamer.join(timeout=30)
    assert not streamer.protocol_errors, streamer.protocol_errors[:5]
    acked.update(streamer.acked)
    sent.update(streamer.sent)
    status = server.stop()
    assert status == 0, f"the server did not exit cleanly on SIGTERM: status {status}\n{server.output_tail()}"
    server.start()
    check_after_restart(server, service, acked, sent, "after a clean restart following the crashes")
    assert server.is_running()


def test_sigterm_while_streaming_drains_and_flushes(server_factory):
    """SIGTERM in the middle of a stream: in-flight requests finish, the logs
    are flushed, the process exits 0, and everything acknowledged is there."""
    server = server_factory()
    service = f"interop-sigterm-{uuid.uuid4().hex[:8]}"
    streamer = Streamer(server.otlp_url("traces"), service, 1)
    streamer.start()
    try:
        wait_until(lambda: streamer.acked_count() >= 5 * SPANS_PER_REQUEST, timeout=60,
                   what=f"5 acknowledged requests (failures so far: {streamer.failures[:5]})")
        _wait_in_flight(streamer)
        status = server.stop()
    finally:
        streamer.stop()
        streamer.join(timeout=30)
    assert status == 0, f"SIGTERM during a stream: exit status {status}\n{server.output_tail()}"
    assert "storage flushed" in server.output(), f"no flush was logged on SIGTERM:\n{server.output_tail()}"
    assert not streamer.protocol_errors, streamer.protocol_errors[:5]
    server.start()
    check_after_restart(server, service, streamer.acked, streamer.sent, "after SIGTERM during a stream")
