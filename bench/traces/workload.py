"""The traces benchmark's workload: realistic traces across ~20 services,
encoded once as OTLP/HTTP protobuf export requests (for Kansoku) and as
ClickHouse RowBinary rows (for the SigNoz-like tables), span for span the same.

Shape (deterministic for a given seed and span count):

* 20 services, 3 instances (pods) each = 60 resources with 6 attributes
  (service.name, service.version, host.name, k8s.pod.name,
  k8s.namespace.name, deployment.environment);
* traces of 5-30 spans: a SERVER root at an entry service, then INTERNAL
  steps, database CLIENT calls and HTTP CLIENT calls each answered by a
  SERVER span in the called service; parent ids are real, children nest in
  their parent's interval; root durations are log-normal (median 60 ms);
* span names per service (its routes, its database statements, the routes it
  calls, its internal steps); 10-11 attributes per span, built by
  bench/otlp-ingest/payloads.py's attribute builders (http.method,
  http.route, http.status_code, url.full, db.system, db.statement,
  server.address, ... plus enduser.id on SERVER spans);
* ~3 % error spans (status ERROR, HTTP 500 where HTTP), each with an
  `exception` event; ~2 % more spans carry a log event: events on ~5 %;
* spans are exported the way an SDK's batch processor does: each instance
  buffers its own spans and sends them when 512 are waiting or the oldest
  has waited 5 s of the workload's time, one resource per request.

Generation is split in time chunks that worker processes build in parallel
(each chunk has its own seed), so the result does not depend on the number of
processes. Output goes to a cache directory, reused when the span count, seed
and format version match.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import random
import struct
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "otlp-ingest"))
import payloads  # noqa: E402  (bench/otlp-ingest: attribute builders, OTLP helpers)
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2  # noqa: E402
from opentelemetry.proto.common.v1 import common_pb2  # noqa: E402
from opentelemetry.proto.resource.v1 import resource_pb2  # noqa: E402
from opentelemetry.proto.trace.v1 import trace_pb2  # noqa: E402

FORMAT_VERSION = 4
SPANS_PER_REQUEST = 512         # OpenTelemetry SDK BatchSpanProcessor defaults: at most 512 spans a request,
EXPORT_DELAY_NS = 5_000_000_000  # and a request at least every 5 s (in the workload's time) while spans wait
CLICKHOUSE_ROWS_PER_INSERT = 100_000
SPANS_PER_CHUNK = 250_000       # unit of parallel generation
INSTANCES_PER_SERVICE = 3

SERVICE_NAMES = [
    "frontend", "api-gateway", "checkout", "cart", "payment", "inventory", "shipping", "recommendation",
    "auth", "catalog", "pricing", "search", "user-profile", "notification", "email", "fraud-detection",
    "currency", "ads", "reviews", "order-history",
]
ENTRY_SERVICES = ["frontend"] * 5 + ["api-gateway"] * 3 + ["search", "checkout"]
ROUTE_STEMS = ["orders", "items", "quote", "status", "profile", "lookup", "batch", "events", "config", "health"]
METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"]
DB_STATEMENTS = payloads.DB_STATEMENTS
INTERNAL_OPS = payloads.INTERNAL_OPS + ["authorize_user", "apply_rules", "encode_payload", "cache_lookup", "retry_policy"]
ERROR_RATE = 0.03
LOG_EVENT_RATE = 0.021          # on top of the exception events of error spans: ~5 % of spans have events
KIND = trace_pb2.Span


class Service:
    def __init__(self, index: int, rng: random.Random):
        self.name = SERVICE_NAMES[index]
        self.version = f"{rng.randint(0, 5)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"
        stems = rng.sample(ROUTE_STEMS, rng.randint(3, 6))
        self.routes = []
        for stem in stems:
            route = f"/api/v{rng.randint(1, 2)}/{self.name.replace('-', '')}/{stem}" + ("/{id}" if rng.random() < 0.5 else "")
            self.routes.append((rng.choice(METHODS), route))
        self.has_db = rng.random() < 0.7
        self.statements = rng.sample(DB_STATEMENTS, 3) if self.has_db else []
        self.internal = rng.sample(INTERNAL_OPS, rng.randint(2, 4))
        self.callees: list[int] = []
        self.instances = []
        for i in range(INSTANCES_PER_SERVICE):
            pod = f"{self.name}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}"
            host = f"ip-10-42-{rng.randint(0, 15)}-{rng.randint(2, 250)}.eu-west-1.compute.internal"
            resource = resource_pb2.Resource(attributes=payloads._attrs([
                ("service.name", self.name), ("service.version", self.version), ("host.name", host),
                ("k8s.pod.name", pod), ("k8s.namespace.name", "shop-prod"), ("deployment.environment", "production"),
            ]))
            self.instances.append(resource)


def services(seed: int) -> list[Service]:
    rng = random.Random(f"{seed}/services")
    out = [Service(i, rng) for i in range(len(SERVICE_NAMES))]
    # A call graph without cycles: a service calls only services after it in the list.
    for i, s in enumerate(out):
        later = list(range(max(i + 1, 2), len(out)))
        s.callees = rng.sample(later, min(len(later), rng.randint(2, 4))) if later else []
    return out


def resource_attrs(resource) -> list[tuple[str, str]]:
    return [(kv.key, kv.value.string_value) for kv in resource.attributes]


# --------------------------------------------------------------------------- one trace

class Node:
    __slots__ = ("parent", "service", "kind", "op", "start", "dur", "span_id", "children", "status", "peer", "instance")

    def __init__(self, parent, service, kind, op, instance):
        self.parent, self.service, self.kind, self.op, self.instance = parent, service, kind, op, instance
        self.children: list[Node] = []
        self.status = 200


def _build_tree(rng: random.Random, svcs: list[Service]) -> list[Node]:
    target = rng.randint(5, 30)
    entry = SERVICE_NAMES.index(rng.choice(ENTRY_SERVICES))
    root = Node(None, entry, KIND.SPAN_KIND_SERVER, rng.choice(svcs[entry].routes), rng.randrange(INSTANCES_PER_SERVICE))
    nodes, servers = [root], [root]
    while len(nodes) < target:
        # Deeper server spans are likelier to get the next child, so traces fan out downstream.
        parent = servers[-1] if rng.random() < 0.5 else rng.choice(servers)
        s = svcs[parent.service]
        r = rng.random()
        if r < 0.45 and s.callees and len(nodes) + 2 <= target:
            callee = rng.choice(s.callees)
            method, route = rng.choice(svcs[callee].routes)
            client = Node(parent, parent.service, KIND.SPAN_KIND_CLIENT, (method, route), parent.instance)
            client.peer = callee
            server = Node(client, callee, KIND.SPAN_KIND_SERVER, (method, route), rng.randrange(INSTANCES_PER_SERVICE))
            parent.children.append(client)
            client.children.append(server)
            nodes += [client, server]
            servers.append(server)
        elif r < 0.75 and s.has_db:
            node = Node(parent, parent.service, KIND.SPAN_KIND_CLIENT, rng.choice(s.statements), parent.instance)
            node.peer = None
            parent.children.append(node)
            nodes.append(node)
        else:
            node = Node(parent, parent.service, KIND.SPAN_KIND_INTERNAL, rng.choice(s.internal), parent.instance)
            parent.children.append(node)
            nodes.append(node)
    return nodes


def _layout(rng: random.Random, node: Node, start: int, dur: int) -> None:
    node.start, node.dur = start, max(dur, 1000)
    k = len(node.children)
    if not k:
        return
    pad = node.dur // 20
    slot = max((node.dur - 2 * pad) // k, 1000)
    for i, child in enumerate(node.children):
        if node.kind == KIND.SPAN_KIND_CLIENT:  # the server side of a call: a little inside the client span
            _layout(rng, child, start + pad, node.dur - 2 * pad)
        else:
            cstart = start + pad + i * slot
            _layout(rng, child, cstart, int(slot * rng.uniform(0.3, 0.95)))


def _id(rng: random.Random, nbytes: int) -> bytes:
    while True:
        v = rng.getrandbits(nbytes * 8)
        if v:
            return v.to_bytes(nbytes, "big")


def gen_trace(rng: random.Random, svcs: list[Service], start_ns: int):
    """(trace id, [(node, otlp Span)]) for one trace starting at start_ns."""
    nodes = _build_tree(rng, svcs)
    root_dur = int(min(30e9, max(1e6, rng.lognormvariate(math.log(60e6), 1.0))))
    _layout(rng, nodes[0], start_ns, root_dur)
    trace_id = _id(rng, 16)
    for n in nodes:
        n.span_id = _id(rng, 8)
    out = []
    for n in nodes:
        dur_ms = n.dur / 1e6
        error = rng.random() < ERROR_RATE
        s = svcs[n.service]
        if n.kind == KIND.SPAN_KIND_SERVER:
            method, route = n.op
            status = 500 if error else rng.choice(payloads.STATUS_CODES[:-2])
            name = f"{method} {route}"
            attrs = payloads._server_span_attrs(rng, method, route, status, dur_ms)
            attrs.append(("enduser.id", f"usr_{rng.randint(1, 200_000):06d}"))
        elif n.kind == KIND.SPAN_KIND_CLIENT and n.peer is not None:
            method, route = n.op
            status = 500 if error else rng.choice(payloads.STATUS_CODES[:-2])
            name = f"{method} {route}"
            attrs = payloads._client_span_attrs(rng, SERVICE_NAMES[n.peer], route.replace("{id}", "{sku}"), status, dur_ms)
            attrs[0] = ("http.method", method)
            attrs.insert(1, ("http.route", route))
        elif n.kind == KIND.SPAN_KIND_CLIENT:
            op, table, stmt = n.op
            name = f"{op} shop.{table}"
            attrs = payloads._db_span_attrs(rng, op, table, stmt, dur_ms)
        else:
            name = n.op
            attrs = payloads._internal_span_attrs(rng, n.op, dur_ms)
        span = trace_pb2.Span(
            trace_id=trace_id, span_id=n.span_id, parent_span_id=n.parent.span_id if n.parent else b"",
            name=name, kind=n.kind, start_time_unix_nano=n.start, end_time_unix_nano=n.start + n.dur,
            attributes=payloads._attrs(attrs))
        events = []
        if error:
            span.status.code = trace_pb2.Status.STATUS_CODE_ERROR
            span.status.message = "upstream request failed" if n.kind != KIND.SPAN_KIND_INTERNAL else "step failed"
            events.append(("exception", n.start + n.dur - n.dur // 10, [
                ("exception.type", "TimeoutError" if rng.random() < 0.5 else "ConnectionResetError"),
                ("exception.message", f"{name} failed after {dur_ms:.1f} ms"),
                ("exception.stacktrace", f"Traceback (most recent call last):\n  File \"src/handlers/{s.internal[0]}.py\", "
                                         f"line {rng.randint(20, 900)}, in handle\n    raise TimeoutError()\n"),
            ]))
        elif rng.random() < LOG_EVENT_RATE:
            events.append((rng.choice(["cache.miss", "retry", "feature_flag.evaluated"]), n.start + n.dur // 2, [
                ("message", rng.choice(["cache entry expired", "retrying after 50 ms", "flag new_pricing=on"])),
                ("attempt", rng.randint(1, 3)),
            ]))
        for ev_name, ev_time, ev_attrs in events:
            span.events.append(trace_pb2.Span.Event(time_unix_nano=ev_time, name=ev_name, attributes=payloads._attrs(ev_attrs)))
        out.append((n, span, attrs, events))
    return trace_id, out


# --------------------------------------------------------------------------- ClickHouse rows

def _uvarint(n: int) -> bytes:
    if n < 0x80:
        return _SMALL[n]
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


_SMALL = [bytes((i,)) for i in range(0x80)]
_RB_CACHE: dict[str, bytes] = {}


def _rb_str(s: str) -> bytes:
    b = s.encode()
    n = len(b)
    return (_SMALL[n] if n < 0x80 else _uvarint(n)) + b


def _rb_cached(s: str) -> bytes:
    """_rb_str of a string that repeats (keys, names, services): encoded once."""
    b = _RB_CACHE.get(s)
    if b is None:
        b = _RB_CACHE[s] = _rb_str(s)
    return b


def _rb_strs(items, encode=_rb_str) -> bytes:
    return _uvarint(len(items)) + b"".join([encode(x) for x in items])


def _text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


KIND_NAMES = {0: "UNSPECIFIED", 1: "INTERNAL", 2: "SERVER", 3: "CLIENT", 4: "PRODUCER", 5: "CONSUMER"}


_RESOURCE_CACHE: dict[tuple[int, int], tuple[bytes, dict]] = {}
_KEYS_CACHE: dict[tuple, bytes] = {}
_PACK_INDEX = struct.Struct("<bQhB").pack
_PACK_TS = struct.Struct("<Q").pack
_JSON = json.JSONEncoder(separators=(",", ":")).encode


def _resource_row(svcs, service: int, instance: int) -> tuple[bytes, dict]:
    """RowBinary of the resource key and value arrays, and the map for the model, per instance."""
    got = _RESOURCE_CACHE.get((service, instance))
    if got is None:
        res = resource_attrs(svcs[service].instances[instance])
        got = _RESOURCE_CACHE[(service, instance)] = (
            _rb_strs([k for k, _ in res], _rb_cached) + _rb_strs([v for _, v in res], _rb_cached), dict(res))
    return got


def clickhouse_rows(svcs, trace_id: bytes, spans) -> tuple[bytes, bytes]:
    """RowBinary rows of the index table and of the model table (see clickhouse.py's schema)."""
    tid_text = trace_id.hex()
    tid = tid_text.encode()
    index, model = [], []
    c = _rb_cached
    for n, span, attrs, events in spans:
        service = SERVICE_NAMES[n.service]
        res_bytes, res_map = _resource_row(svcs, n.service, n.instance)
        tags = {k: _text(v) for k, v in attrs}
        keys = tuple(tags)
        keys_bytes = _KEYS_CACHE.get(keys)
        if keys_bytes is None:
            keys_bytes = _KEYS_CACHE[keys] = _rb_strs(keys, c)
        code = span.status.code
        has_error = 1 if code == trace_pb2.Status.STATUS_CODE_ERROR else 0
        ev_json = [_JSON({"name": e[0], "timeUnixNano": e[1], "attributeMap": {k: _text(v) for k, v in e[2]}})
                   for e in events]
        span_id = span.span_id.hex()
        parent = span.parent_span_id.hex()
        start = span.start_time_unix_nano
        dur = span.end_time_unix_nano - start
        message = span.status.message
        get = tags.get
        index.append(b"".join([
            _PACK_TS(start), tid, _rb_str(span_id), _rb_str(parent), c(service), c(span.name),
            _PACK_INDEX(span.kind, dur, code, has_error), c(message),
            c(get("http.method", "")), c(get("http.route", "")), c(get("http.status_code", "")),
            c(get("db.system", "")), c(get("server.address", "")),
            keys_bytes, _rb_strs(list(tags.values())), res_bytes,
            _rb_strs(ev_json) if ev_json else b"\x00",
        ]))
        doc = {
            "traceId": tid_text, "spanId": span_id, "parentSpanId": parent, "name": span.name,
            "durationNano": dur, "startTimeUnixNano": start, "serviceName": service,
            "kind": span.kind, "spanKind": KIND_NAMES[span.kind],
            "references": [{"traceId": tid_text, "spanId": parent, "refType": "CHILD_OF"}] if parent else [],
            "tagMap": tags, "resourceTagsMap": res_map, "event": ev_json, "hasError": bool(has_error),
            "statusCode": code, "statusMessage": message,
        }
        model.append(_PACK_TS(start) + tid + _rb_str(_JSON(doc)))
    return b"".join(index), b"".join(model)


# --------------------------------------------------------------------------- chunks and files

def _frame(payload: bytes, count: int) -> bytes:
    return struct.pack("<II", len(payload), count) + payload


def read_frames(path: Path):
    """(payload, item count) for every frame in a file written by generate()."""
    with open(path, "rb") as f:
        while True:
            head = f.read(8)
            if not head:
                return
            size, count = struct.unpack("<II", head)
            yield f.read(size), count


def _chunk(args) -> dict:
    seed, chunk, n_spans, t0, t1, out_dir, with_clickhouse = args
    rng = random.Random(f"{seed}/chunk/{chunk}")
    svcs = services(seed)
    scope = common_pb2.InstrumentationScope(name="io.opentelemetry.instrumentation", version="2.4.0")
    buffers: dict[tuple[int, int], list] = {}
    oldest: dict[tuple[int, int], float] = {}  # workload time of each buffer's first span
    otlp = open(out_dir / f"otlp.{chunk:05d}", "wb")
    ch_index = open(out_dir / f"ch-index.{chunk:05d}", "wb") if with_clickhouse else None
    ch_model = open(out_dir / f"ch-model.{chunk:05d}", "wb") if with_clickhouse else None
    index_rows, model_rows, rows_pending = [], [], 0
    sample_ids, spans_done, traces = [], 0, 0
    gap = (t1 - t0) / max(n_spans / 17.5, 1)
    t = float(t0)
    next_timer = t + 1e9

    def flush(key):
        svc, inst = key
        req = trace_service_pb2.ExportTraceServiceRequest(resource_spans=[trace_pb2.ResourceSpans(
            resource=svcs[svc].instances[inst], scope_spans=[trace_pb2.ScopeSpans(scope=scope, spans=buffers[key])])])
        otlp.write(_frame(req.SerializeToString(), len(buffers[key])))
        buffers[key] = []
        oldest.pop(key, None)

    def flush_ch():
        nonlocal index_rows, model_rows, rows_pending
        if rows_pending and with_clickhouse:
            ch_index.write(_frame(b"".join(index_rows), rows_pending))
            ch_model.write(_frame(b"".join(model_rows), rows_pending))
        index_rows, model_rows, rows_pending = [], [], 0

    while spans_done < n_spans:
        t += rng.expovariate(1 / gap)
        trace_id, spans = gen_trace(rng, svcs, int(min(t, t1)))
        if len(spans) > n_spans - spans_done:
            spans = spans[:n_spans - spans_done]  # the chunk's last trace may be cut to land on the exact count
        traces += 1
        if rng.random() < 0.01 and len(sample_ids) < 2000:
            sample_ids.append(trace_id.hex())
        if t >= next_timer:  # each second of workload time: the export timers that are due
            for key in sorted(k for k, first in oldest.items() if first <= t - EXPORT_DELAY_NS):
                flush(key)
            next_timer = t + 1e9
        for n, span, _, _ in spans:
            key = (n.service, n.instance)
            buffers.setdefault(key, []).append(span)
            oldest.setdefault(key, t)
            if len(buffers[key]) >= SPANS_PER_REQUEST:
                flush(key)
        if with_clickhouse:
            ix, md = clickhouse_rows(svcs, trace_id, spans)
            index_rows.append(ix)
            model_rows.append(md)
        rows_pending += len(spans)
        if rows_pending >= CLICKHOUSE_ROWS_PER_INSERT:
            flush_ch()
        spans_done += len(spans)
    for key in sorted(buffers):
        if buffers[key]:
            flush(key)
    flush_ch()
    for f in (otlp, ch_index, ch_model):
        if f:
            f.close()
    return {"chunk": chunk, "spans": spans_done, "traces": traces, "sample_trace_ids": sample_ids}


def generate(n_spans: int, seed: int, hours: float, cache: Path, processes: int | None = None,
             with_clickhouse: bool = True, end_ns: int | None = None) -> dict:
    """Writes (or reuses) the workload under `cache`; returns its meta (also in meta.json)."""
    out_dir = cache / f"spans-{n_spans}-seed-{seed}-h{hours:g}-v{FORMAT_VERSION}"
    meta_path = out_dir / "meta.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        # Timestamps are anchored at generation time; older than a week is too close to default retentions.
        if time.time() - meta["generated_at"] < 7 * 86400:
            return meta
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.iterdir():
        old.unlink()
    end = end_ns or (time.time_ns() // 3_600_000_000_000) * 3_600_000_000_000  # the last full hour
    start = end - int(hours * 3600e9)
    chunks = max(1, math.ceil(n_spans / SPANS_PER_CHUNK))
    per = [n_spans // chunks + (1 if i < n_spans % chunks else 0) for i in range(chunks)]
    span = (end - start) / chunks
    jobs = [(seed, i, per[i], int(start + i * span), int(start + (i + 1) * span), out_dir, with_clickhouse)
            for i in range(chunks)]
    t0 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes or os.cpu_count() or 1) as pool:
        results = sorted(pool.map(_chunk, jobs, chunksize=1), key=lambda r: r["chunk"])
    meta = {
        "spans": sum(r["spans"] for r in results), "traces": sum(r["traces"] for r in results),
        "chunks": chunks, "seed": seed, "start_ns": start, "end_ns": end + 60_000_000_000,
        "generated_at": time.time(), "generation_seconds": time.perf_counter() - t0,
        "services": SERVICE_NAMES,
        "sample_trace_ids": [t for r in results for t in r["sample_trace_ids"]],
        "otlp_bytes": sum(f.stat().st_size for f in out_dir.glob("otlp.*")),
    }
    meta_path.write_text(json.dumps(meta))
    return meta


def files(meta_dir: Path, kind: str) -> list[Path]:
    return sorted(meta_dir.glob(f"{kind}.*"))


if __name__ == "__main__":
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("--spans", type=int, default=20000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--hours", type=float, default=6)
    p.add_argument("--cache", default="/tmp/kansoku-bench-traces")
    a = p.parse_args()
    m = generate(a.spans, a.seed, a.hours, Path(a.cache))
    print({k: v for k, v in m.items() if k != "sample_trace_ids"})
