"""Pre-encoded, realistic OTLP export requests for the ingest benchmark.

Every function here builds a list of *distinct* serialized
`Export{Trace,Metrics,Logs}ServiceRequest` messages (protobuf bytes), once,
before any timing starts. The senders only cycle through these bytes, so the
client spends its CPU on the network and not on protobuf encoding.

Shapes (per batch, `batch_size` items, default 512 = the OpenTelemetry SDK's
default export batch):

* traces  - one resource (6 attributes), one scope, `batch_size` spans grouped
            into traces of 16 spans (one SERVER root, INTERNAL and CLIENT
            children with real parent ids and nested timestamps); every span
            has exactly 10 attributes (strings, ints, a bool, a double).
* logs    - one resource (6 attributes), one scope, `batch_size` log records
            with a ~200-byte body line, severity number and text, 5 attributes
            (string, int, double, bool, string) and trace/span ids.
* metrics - one resource (6 attributes), one scope, 63 gauge/sum metrics x 8
            attribute sets + 1 explicit-bucket histogram x 8 attribute sets
            = 512 data points (scaled when `batch_size` differs).

Trace and span ids are unique within a batch and, with overwhelming
probability, across batches (random 128/64-bit values from a seeded RNG, so
runs are reproducible). Generation is deterministic for a given seed apart
from the timestamps, which are anchored at "now".
"""

from __future__ import annotations

import gzip
import random
import time
from dataclasses import dataclass

from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.logs.v1 import logs_pb2
from opentelemetry.proto.metrics.v1 import metrics_pb2
from opentelemetry.proto.resource.v1 import resource_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

SIGNALS = ("traces", "metrics", "logs")

# What one "item" is, per signal (used in the result table).
ITEM_NAME = {"traces": "spans", "metrics": "data points", "logs": "log records"}

GRPC_METHOD = {
    "traces": "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
    "metrics": "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
    "logs": "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
}
HTTP_PATH = {"traces": "/v1/traces", "metrics": "/v1/metrics", "logs": "/v1/logs"}

REQUEST_CLASS = {
    "traces": trace_service_pb2.ExportTraceServiceRequest,
    "metrics": metrics_service_pb2.ExportMetricsServiceRequest,
    "logs": logs_service_pb2.ExportLogsServiceRequest,
}
RESPONSE_CLASS = {
    "traces": trace_service_pb2.ExportTraceServiceResponse,
    "metrics": metrics_service_pb2.ExportMetricsServiceResponse,
    "logs": logs_service_pb2.ExportLogsServiceResponse,
}
# Field of `partial_success` that counts the items the server refused.
REJECTED_FIELD = {"traces": "rejected_spans", "metrics": "rejected_data_points", "logs": "rejected_log_records"}

SPANS_PER_TRACE = 16
METRIC_ATTRIBUTE_SETS = 8
HISTOGRAM_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0]

SERVICES = [
    ("checkout", "2.14.3"), ("cart", "1.9.0"), ("payment", "3.2.1"), ("inventory", "0.31.7"),
    ("frontend", "5.0.2"), ("shipping", "1.4.11"), ("recommendation", "0.8.5"), ("auth", "4.1.0"),
]
ROUTES = [
    ("GET", "/api/v1/orders/{id}"), ("POST", "/api/v1/orders"), ("GET", "/api/v1/cart"),
    ("PUT", "/api/v1/cart/items/{sku}"), ("GET", "/api/v1/products"), ("GET", "/api/v1/products/{sku}"),
    ("POST", "/api/v1/payments"), ("DELETE", "/api/v1/cart/items/{sku}"),
]
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "okhttp/4.12.0",
    "python-requests/2.31.0",
]
STATUS_CODES = [200] * 14 + [201, 204, 304, 400, 404, 429, 500, 503]
DB_STATEMENTS = [
    ("SELECT", "orders", "SELECT id, customer_id, total, currency, status FROM orders WHERE id = $1"),
    ("SELECT", "order_items", "SELECT sku, quantity, unit_price FROM order_items WHERE order_id = $1"),
    ("INSERT", "orders", "INSERT INTO orders (customer_id, total, currency, status) VALUES ($1, $2, $3, $4)"),
    ("UPDATE", "inventory", "UPDATE inventory SET reserved = reserved + $1 WHERE sku = $2"),
    ("SELECT", "products", "SELECT sku, name, price, stock FROM products WHERE sku = ANY($1)"),
]
INTERNAL_OPS = ["validate_request", "render_response", "compute_discounts", "serialize_order", "load_session"]
OUTGOING = [("inventory", "/internal/stock/{sku}"), ("payment", "/internal/authorize"), ("shipping", "/internal/quote")]


@dataclass(frozen=True)
class PayloadSet:
    """The pre-encoded requests for one signal."""

    signal: str
    batches: list[bytes]  # serialized Export*ServiceRequest messages
    items_per_batch: int
    generation_seconds: float

    @property
    def mean_bytes(self) -> float:
        return sum(len(b) for b in self.batches) / len(self.batches)

    def gzipped(self) -> "PayloadSet":
        """The same requests, each gzip-compressed once (for `Content-Encoding: gzip`)."""
        return PayloadSet(self.signal, [gzip.compress(b, 6) for b in self.batches],
                          self.items_per_batch, self.generation_seconds)


# --------------------------------------------------------------------------- helpers

def _kv(key: str, value) -> common_pb2.KeyValue:
    kv = common_pb2.KeyValue(key=key)
    if isinstance(value, bool):  # before int: bool is an int subclass
        kv.value.bool_value = value
    elif isinstance(value, int):
        kv.value.int_value = value
    elif isinstance(value, float):
        kv.value.double_value = value
    else:
        kv.value.string_value = str(value)
    return kv


def _attrs(pairs) -> list[common_pb2.KeyValue]:
    return [_kv(k, v) for k, v in pairs]


def _resource(rng: random.Random, batch_index: int) -> resource_pb2.Resource:
    name, version = SERVICES[batch_index % len(SERVICES)]
    pod = f"{name}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}"
    return resource_pb2.Resource(attributes=_attrs([
        ("service.name", name),
        ("service.version", version),
        ("host.name", f"ip-10-42-{batch_index % 16}-{17 + batch_index % 200}.eu-west-1.compute.internal"),
        ("k8s.pod.name", pod),
        ("k8s.namespace.name", "shop-prod"),
        ("deployment.environment", "production"),
    ]))


def _scope(name: str) -> common_pb2.InstrumentationScope:
    return common_pb2.InstrumentationScope(name=name, version="1.45.0")


def _id(rng: random.Random, nbytes: int) -> bytes:
    while True:
        v = rng.getrandbits(nbytes * 8)
        if v:  # an all-zero id is invalid in OTLP
            return v.to_bytes(nbytes, "big")


def _anchor_ns(batch_index: int, n_batches: int) -> int:
    """Batches stand for consecutive one-second exports ending now."""
    return time.time_ns() - (n_batches - batch_index) * 1_000_000_000


# --------------------------------------------------------------------------- traces

def _server_span_attrs(rng: random.Random, method: str, route: str, status: int, dur_ms: float):
    concrete = route.replace("{id}", str(rng.randint(100000, 9999999))).replace("{sku}", f"SKU-{rng.randint(1000, 99999)}")
    return [
        ("http.method", method),
        ("http.route", route),
        ("url.full", f"https://shop.example.com{concrete}?locale=en-GB&session={rng.getrandbits(48):012x}"),
        ("user_agent.original", rng.choice(USER_AGENTS)),
        ("http.status_code", status),
        ("server.port", 8080),
        ("client.address", f"10.42.{rng.randint(0, 255)}.{rng.randint(1, 254)}"),
        ("http.response.body.size", rng.randint(120, 48000)),
        ("cache.hit", rng.random() < 0.3),
        ("http.server.duration_ms", round(dur_ms, 3)),
    ]


def _db_span_attrs(rng: random.Random, op: str, table: str, statement: str, dur_ms: float):
    return [
        ("db.system", "postgresql"),
        ("db.name", "shop"),
        ("db.operation", op),
        ("db.sql.table", table),
        ("db.statement", statement),
        ("server.address", "orders-db.shop-prod.svc.cluster.local"),
        ("server.port", 5432),
        ("db.rows_returned", rng.randint(0, 40)),
        ("db.prepared", rng.random() < 0.8),
        ("db.duration_ms", round(dur_ms, 3)),
    ]


def _client_span_attrs(rng: random.Random, peer: str, path: str, status: int, dur_ms: float):
    concrete = path.replace("{sku}", f"SKU-{rng.randint(1000, 99999)}")
    return [
        ("http.method", "POST" if "authorize" in path else "GET"),
        ("url.full", f"http://{peer}.shop-prod.svc.cluster.local:8080{concrete}"),
        ("server.address", f"{peer}.shop-prod.svc.cluster.local"),
        ("server.port", 8080),
        ("http.status_code", status),
        ("network.protocol.version", "1.1"),
        ("user_agent.original", "shop-http-client/2.3"),
        ("http.request.resend_count", 0),
        ("http.retried", False),
        ("http.client.duration_ms", round(dur_ms, 3)),
    ]


def _internal_span_attrs(rng: random.Random, op: str, dur_ms: float):
    return [
        ("code.function", op),
        ("code.namespace", "com.example.shop.handlers"),
        ("code.filepath", f"src/handlers/{op}.py"),
        ("code.lineno", rng.randint(20, 900)),
        ("thread.name", f"worker-{rng.randint(0, 15)}"),
        ("thread.id", rng.randint(1000, 40000)),
        ("app.items.count", rng.randint(1, 12)),
        ("app.customer.tier", rng.choice(["free", "plus", "business"])),
        ("app.feature_flag.new_pricing", rng.random() < 0.5),
        ("app.step.duration_ms", round(dur_ms, 3)),
    ]


def _trace_batch(rng: random.Random, batch_index: int, n_batches: int, batch_size: int) -> bytes:
    anchor = _anchor_ns(batch_index, n_batches)
    spans = []
    while len(spans) < batch_size:
        n = min(SPANS_PER_TRACE, batch_size - len(spans))
        trace_id = _id(rng, 16)
        method, route = rng.choice(ROUTES)
        status = rng.choice(STATUS_CODES)
        root_start = anchor - rng.randint(0, 900_000_000)
        root_dur = rng.randint(5_000_000, 250_000_000)  # 5-250 ms
        root_id = _id(rng, 8)
        root = trace_pb2.Span(
            trace_id=trace_id, span_id=root_id, name=f"{method} {route}",
            kind=trace_pb2.Span.SPAN_KIND_SERVER,
            start_time_unix_nano=root_start, end_time_unix_nano=root_start + root_dur,
            attributes=_attrs(_server_span_attrs(rng, method, route, status, root_dur / 1e6)),
        )
        if status >= 500:
            root.status.code = trace_pb2.Status.STATUS_CODE_ERROR
            root.status.message = "upstream request failed"
        spans.append(root)
        # Children: sequential slices of the root's duration.
        slot = root_dur // max(n, 2)
        for c in range(1, n):
            start = root_start + c * slot - slot // 2
            dur = max(1000, int(slot * rng.uniform(0.2, 0.9)))
            pick = c % 3
            if pick == 0:
                op, table, stmt = rng.choice(DB_STATEMENTS)
                name, kind = f"{op} shop.{table}", trace_pb2.Span.SPAN_KIND_CLIENT
                attrs = _db_span_attrs(rng, op, table, stmt, dur / 1e6)
            elif pick == 1:
                peer, path = rng.choice(OUTGOING)
                name, kind = f"{'POST' if 'authorize' in path else 'GET'} {path}", trace_pb2.Span.SPAN_KIND_CLIENT
                attrs = _client_span_attrs(rng, peer, path, rng.choice(STATUS_CODES), dur / 1e6)
            else:
                op = rng.choice(INTERNAL_OPS)
                name, kind = op, trace_pb2.Span.SPAN_KIND_INTERNAL
                attrs = _internal_span_attrs(rng, op, dur / 1e6)
            spans.append(trace_pb2.Span(
                trace_id=trace_id, span_id=_id(rng, 8), parent_span_id=root_id, name=name, kind=kind,
                start_time_unix_nano=start, end_time_unix_nano=start + dur, attributes=_attrs(attrs),
            ))
    req = trace_service_pb2.ExportTraceServiceRequest(resource_spans=[trace_pb2.ResourceSpans(
        resource=_resource(rng, batch_index),
        scope_spans=[trace_pb2.ScopeSpans(scope=_scope("opentelemetry.instrumentation.flask"), spans=spans)],
    )])
    return req.SerializeToString()


# --------------------------------------------------------------------------- logs

SEVERITIES = ([(9, "INFO")] * 12) + [(5, "DEBUG")] * 3 + [(13, "WARN")] * 2 + [(17, "ERROR")]
LOG_TEMPLATES = [
    "order placed order_id={n} customer_id=cus_{h} items={k} total={amt} currency=EUR payment=card_visa latency_ms={ms} route=/api/v1/orders",
    "cache miss for product catalogue page key=catalogue:v3:page:{k}:{h} fallback=postgres rows={n} elapsed_ms={ms} region=eu-west-1",
    "payment authorization declined by issuer reason=insufficient_funds attempt={k} order_id={n} psp_ref=psp_{h} amount={amt} EUR",
    "upstream inventory service responded slowly sku=SKU-{n} status=200 duration_ms={ms} threshold_ms=250 retries={k} pod=inventory-{h}",
    "session refreshed user_id=usr_{h} expires_in=3600 scopes=cart,orders,profile ip=10.42.{k}.{o} user_agent=okhttp/4.12.0 ms={ms}",
]


def _log_body(rng: random.Random, when_ns: int, severity_text: str) -> str:
    ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(when_ns / 1e9)) + f".{(when_ns // 1_000_000) % 1000:03d}Z"
    line = f"{ts} {severity_text:<5} [{rng.choice(INTERNAL_OPS)}] " + rng.choice(LOG_TEMPLATES).format(
        n=rng.randint(100000, 9999999), h=f"{rng.getrandbits(40):010x}", k=rng.randint(1, 9),
        amt=f"{rng.uniform(3, 900):.2f}", ms=rng.randint(1, 2500), o=rng.randint(1, 254))
    # Pad or trim to about 200 bytes, as a typical application log line.
    target = 200
    if len(line) < target:
        line += " " + "request_id=" + f"{rng.getrandbits(128):032x}"
    return line[:target]


def _log_batch(rng: random.Random, batch_index: int, n_batches: int, batch_size: int) -> bytes:
    anchor = _anchor_ns(batch_index, n_batches)
    records = []
    trace_id, span_id = _id(rng, 16), _id(rng, 8)
    for i in range(batch_size):
        if i % 4 == 0:  # a few log lines per span, a new trace every 4 lines
            trace_id = _id(rng, 16)
        span_id = _id(rng, 8)
        when = anchor - rng.randint(0, 999_000_000)
        sev_num, sev_text = rng.choice(SEVERITIES)
        method, route = rng.choice(ROUTES)
        records.append(logs_pb2.LogRecord(
            time_unix_nano=when,
            observed_time_unix_nano=when + rng.randint(50_000, 5_000_000),
            severity_number=sev_num, severity_text=sev_text,
            body=common_pb2.AnyValue(string_value=_log_body(rng, when, sev_text)),
            attributes=_attrs([
                ("logger.name", f"com.example.shop.{rng.choice(INTERNAL_OPS)}"),
                ("thread.id", rng.randint(1000, 40000)),
                ("http.route", route),
                ("app.request.duration_ms", round(rng.uniform(0.5, 900.0), 3)),
                ("app.retry", rng.random() < 0.05),
            ]),
            trace_id=trace_id, span_id=span_id, flags=1,
        ))
    req = logs_service_pb2.ExportLogsServiceRequest(resource_logs=[logs_pb2.ResourceLogs(
        resource=_resource(rng, batch_index),
        scope_logs=[logs_pb2.ScopeLogs(scope=_scope("opentelemetry.sdk._logs"), log_records=records)],
    )])
    return req.SerializeToString()


# --------------------------------------------------------------------------- metrics

_METRIC_COMPONENTS = ["http.server", "http.client", "db.client", "cache", "queue", "rpc.server", "process", "runtime"]
_METRIC_MEASURES = [
    ("active_requests", "sum_nonmono", "{request}"), ("requests", "sum", "{request}"),
    ("errors", "sum", "{error}"), ("bytes.sent", "sum", "By"), ("bytes.received", "sum", "By"),
    ("utilization", "gauge", "1"), ("queue.depth", "gauge", "{item}"), ("latency.last", "gauge", "ms"),
]


def _metric_specs(n: int) -> list[tuple[str, str, str]]:
    base = [(f"{c}.{m}", kind, unit) for c in _METRIC_COMPONENTS for (m, kind, unit) in _METRIC_MEASURES]
    # More than 64 metrics (batch sizes above 520): repeat the names per "shard".
    return [(name if i < len(base) else f"{name}.shard{i // len(base)}", kind, unit)
            for i, (name, kind, unit) in ((i, base[i % len(base)]) for i in range(n))]


def _metric_attr_sets() -> list[list[tuple[str, object]]]:
    sets = []
    for i in range(METRIC_ATTRIBUTE_SETS):
        method, route = ROUTES[i % len(ROUTES)]
        sets.append([("http.request.method", method), ("http.route", route),
                     ("http.response.status_code", [200, 200, 201, 404, 200, 500, 200, 204][i]),
                     ("network.protocol.version", "1.1")])
    return sets


def _metric_batch(rng: random.Random, batch_index: int, n_batches: int, batch_size: int) -> bytes:
    anchor = _anchor_ns(batch_index, n_batches)
    start = anchor - 3600 * 1_000_000_000  # cumulative streams started an hour ago
    sets = [_attrs(s) for s in _metric_attr_sets()]
    n_metrics = batch_size // METRIC_ATTRIBUTE_SETS  # metrics with one point per attribute set
    n_scalar = max(0, n_metrics - 1)  # the last of them is the histogram
    metrics = []
    for name, kind, unit in _metric_specs(n_scalar):
        m = metrics_pb2.Metric(name=name, unit=unit, description=f"{name} ({unit})")
        as_int = kind != "gauge"  # counters as ints, gauges as doubles
        points = []
        for attrs in sets:
            p = metrics_pb2.NumberDataPoint(attributes=attrs, time_unix_nano=anchor)
            if kind != "gauge":
                p.start_time_unix_nano = start
            if as_int:
                p.as_int = rng.randint(0, 5_000_000) + batch_index * 100
            else:
                p.as_double = rng.uniform(0, 100)
            points.append(p)
        if kind == "gauge":
            m.gauge.data_points.extend(points)
        else:
            m.sum.data_points.extend(points)
            m.sum.aggregation_temporality = metrics_pb2.AGGREGATION_TEMPORALITY_CUMULATIVE
            m.sum.is_monotonic = kind == "sum"
        metrics.append(m)
    if n_metrics >= 1:
        metrics.append(_histogram(rng, sets, start, anchor))
    # Pad with single-point gauges when batch_size is not a multiple of 8.
    for i in range(batch_size - n_metrics * METRIC_ATTRIBUTE_SETS):
        g = metrics_pb2.Metric(name=f"app.extra.gauge.{i}", unit="1")
        g.gauge.data_points.append(metrics_pb2.NumberDataPoint(attributes=sets[0], time_unix_nano=anchor,
                                                               as_double=rng.uniform(0, 1)))
        metrics.append(g)
    req = metrics_service_pb2.ExportMetricsServiceRequest(resource_metrics=[metrics_pb2.ResourceMetrics(
        resource=_resource(rng, batch_index),
        scope_metrics=[metrics_pb2.ScopeMetrics(scope=_scope("opentelemetry.instrumentation.asgi"), metrics=metrics)],
    )])
    return req.SerializeToString()


def _histogram(rng: random.Random, sets, start: int, anchor: int) -> metrics_pb2.Metric:
    hist = metrics_pb2.Metric(name="http.server.request.duration", unit="s",
                              description="Duration of HTTP server requests.")
    hist.histogram.aggregation_temporality = metrics_pb2.AGGREGATION_TEMPORALITY_CUMULATIVE
    for attrs in sets:
        buckets = [rng.randint(0, 4000) for _ in range(len(HISTOGRAM_BOUNDS) + 1)]
        count = sum(buckets)
        hist.histogram.data_points.append(metrics_pb2.HistogramDataPoint(
            attributes=attrs, start_time_unix_nano=start, time_unix_nano=anchor,
            count=count, sum=count * rng.uniform(0.02, 0.4), bucket_counts=buckets,
            explicit_bounds=HISTOGRAM_BOUNDS, min=0.0007, max=rng.uniform(10.0, 30.0),
        ))
    return hist


_BUILDERS = {"traces": _trace_batch, "logs": _log_batch, "metrics": _metric_batch}


def build(signal: str, n_batches: int = 64, batch_size: int = 512, seed: int = 20241121) -> PayloadSet:
    """`n_batches` distinct, pre-encoded export requests of `batch_size` items each."""
    if signal not in _BUILDERS:
        raise ValueError(f"unknown signal {signal!r}")
    if batch_size < 1 or n_batches < 1:
        raise ValueError("batch_size and n_batches must be positive")
    rng = random.Random(f"{seed}/{signal}")
    t0 = time.perf_counter()
    batches = [_BUILDERS[signal](rng, i, n_batches, batch_size) for i in range(n_batches)]
    return PayloadSet(signal, batches, batch_size, time.perf_counter() - t0)


# --------------------------------------------------------------------------- decoding (checks, responses)

def count_items(signal: str, payload: bytes) -> int:
    """Items in a serialized export request (parses it; used by the checks, not while timing)."""
    req = REQUEST_CLASS[signal].FromString(payload)
    if signal == "traces":
        return sum(len(ss.spans) for rs in req.resource_spans for ss in rs.scope_spans)
    if signal == "logs":
        return sum(len(sl.log_records) for rl in req.resource_logs for sl in rl.scope_logs)
    total = 0
    for rm in req.resource_metrics:
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                kind = m.WhichOneof("data")
                total += len(getattr(m, kind).data_points)
    return total


def rejected_items(signal: str, response: bytes) -> int:
    """`partial_success.rejected_*` of a serialized export response (0 when absent or unparsable)."""
    if not response:
        return 0
    try:
        resp = RESPONSE_CLASS[signal].FromString(response)
    except Exception:
        return 0
    return int(getattr(resp.partial_success, REJECTED_FIELD[signal]))
