"""The deterministic log workload of the Loki golden test.

Thirteen streams over three hours, from T0 = 2025-06-02T09:00:00Z to END = T0 + 3 h,
generated from a fixed seed (the same lines, labels and nanosecond timestamps
every time, on every machine):

  app=nginx   (prod nginx-0, nginx-1; staging nginx-s0)  nginx "combined" access
              lines plus the request time in seconds
  app=api     (prod api-0, api-1, api-2; staging api-s0)  JSON lines: level, msg,
              method, path, status, duration ("153ms"), latency_ms (float),
              resp_size ("12kB"), trace_id, nested user {id, region}; api-2
              stops at T0 + 2 h (for absent_over_time)
  app=worker  (prod worker-0, worker-1; staging worker-s0) logfmt lines: level,
              msg, job, queue, duration ("1.234s"), attempts, size ("2.5MB"),
              trace_id; the streams carry the stream label job="worker", which
              the logfmt key `job` collides with (-> job_extracted); worker-1
              is silent from T0 + 80 min to T0 + 100 min
  app=db      (prod db-0) PostgreSQL-style text lines for the regexp parser
  app=sidecar (prod sidecar-0) lines packed by Promtail's `pack` stage:
              {"_entry": original line, "container": ..., "stage": ...} for `unpack`
  app=cli     (staging ci-runner-0) CI output with ANSI colour codes (`decolorize`)

Every stream has its own line rate (so per-stream counts rarely tie, which
keeps topk/bottomk unambiguous), every timestamp in the workload is unique
and none is a whole second (queries use whole-second times and steps, so no
line ever sits on a window boundary). Lines are pushed as Loki push JSON, in
time order per stream, in 15-minute slices of all streams; both Loki and
Kansoku get byte-identical request bodies.
"""

from __future__ import annotations

import json
import random

SEED = 20250602
T0 = 1_748_854_800  # 2025-06-02T09:00:00Z, in seconds
DURATION_S = 3 * 3600
END = T0 + DURATION_S
NS = 1_000_000_000
SLICE_S = 15 * 60

# (labels, kind, mean seconds between lines, active [from, to) in seconds after T0)
STREAMS = [
    ({"app": "nginx", "env": "prod", "namespace": "web", "pod": "nginx-0"}, "nginx", 21, [(0, DURATION_S)]),
    ({"app": "nginx", "env": "prod", "namespace": "web", "pod": "nginx-1"}, "nginx", 29, [(0, DURATION_S)]),
    ({"app": "nginx", "env": "staging", "namespace": "web", "pod": "nginx-s0"}, "nginx", 67, [(0, DURATION_S)]),
    ({"app": "api", "env": "prod", "namespace": "shop", "pod": "api-0"}, "json", 17, [(0, DURATION_S)]),
    ({"app": "api", "env": "prod", "namespace": "shop", "pod": "api-1"}, "json", 23, [(0, DURATION_S)]),
    ({"app": "api", "env": "prod", "namespace": "shop", "pod": "api-2"}, "json", 41, [(0, 2 * 3600)]),
    ({"app": "api", "env": "staging", "namespace": "shop", "pod": "api-s0"}, "json", 83, [(0, DURATION_S)]),
    ({"app": "worker", "env": "prod", "job": "worker", "namespace": "jobs", "pod": "worker-0"}, "logfmt", 33, [(0, DURATION_S)]),
    ({"app": "worker", "env": "prod", "job": "worker", "namespace": "jobs", "pod": "worker-1"}, "logfmt", 47,
     [(0, 80 * 60), (100 * 60, DURATION_S)]),
    ({"app": "worker", "env": "staging", "job": "worker", "namespace": "jobs", "pod": "worker-s0"}, "logfmt", 97, [(0, DURATION_S)]),
    ({"app": "db", "env": "prod", "namespace": "data", "pod": "db-0"}, "db", 53, [(0, DURATION_S)]),
    ({"app": "sidecar", "env": "prod", "namespace": "ops", "pod": "sidecar-0"}, "packed", 89, [(0, DURATION_S)]),
    ({"app": "cli", "env": "staging", "namespace": "ops", "pod": "ci-runner-0"}, "ansi", 151, [(0, DURATION_S)]),
]

IPS = [f"10.0.{a}.{b}" for a, b in ((0, 4), (0, 17), (1, 9), (1, 23), (2, 5), (2, 77), (3, 1), (3, 200), (4, 42), (5, 8))]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0", "curl/8.5.0", "Go-http-client/1.1",
          "Mozilla/5.0 (Macintosh) Safari/605.1.15", "kube-probe/1.30"]
NGINX_PATHS = ["/", "/login", "/static/app.js", "/static/app.css", "/api/v1/items", "/api/v1/cart", "/healthz"]
API_ROUTES = [("GET", "/api/v1/users"), ("GET", "/api/v1/items"), ("POST", "/api/v1/orders"),
              ("GET", "/api/v1/orders"), ("PUT", "/api/v1/cart"), ("DELETE", "/api/v1/cart")]
REGIONS = ["eu-west", "us-east", "ap-south"]
JOBS = ["email", "thumbnail", "invoice", "cleanup"]
QUEUES = ["high", "default", "low"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _weighted(rng: random.Random, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def _clock(ns: int):
    import datetime
    return datetime.datetime.fromtimestamp(ns // NS, tz=datetime.timezone.utc), (ns % NS) // 1_000_000


def _iso(ns: int) -> str:
    dt, ms = _clock(ns)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + f".{ms:03d}Z"


def _duration_text(ms: float) -> str:
    """A Go duration string: "153ms", "1.25s", "2m3.5s"."""
    if ms < 1000:
        return f"{int(ms)}ms"
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.3f}".rstrip("0").rstrip(".") + "s"
    minutes = int(seconds // 60)
    return f"{minutes}m" + f"{seconds - minutes * 60:.1f}".rstrip("0").rstrip(".") + "s"


def _bytes_text(rng: random.Random) -> str:
    """A humanize-style size: "512B", "12kB", "3KiB", "1.5MB"."""
    unit = _weighted(rng, [("B", 2), ("kB", 5), ("KiB", 2), ("MB", 2), ("MiB", 1)])
    if unit == "B":
        return f"{rng.randint(10, 999)}B"
    if unit in ("kB", "KiB"):
        return f"{rng.randint(1, 900)}{unit}"
    return f"{rng.randint(1, 40) / 4:g}{unit}"


def _nginx(rng: random.Random, ns: int) -> str:
    dt, _ = _clock(ns)
    method = _weighted(rng, [("GET", 70), ("POST", 20), ("PUT", 6), ("DELETE", 4)])
    path = rng.choice(NGINX_PATHS)
    if path == "/api/v1/items" and rng.random() < 0.5:
        path += f"?id={rng.randint(1, 500)}"
    status = _weighted(rng, [(200, 70), (201, 5), (301, 3), (304, 6), (404, 7), (500, 4), (502, 2), (503, 3)])
    size = rng.randint(0, 60_000) if status < 300 else rng.randint(0, 600)
    rt = round(rng.expovariate(1 / 0.25), 3) + (1.8 if status >= 500 and rng.random() < 0.5 else 0)
    user = "-" if rng.random() < 0.9 else rng.choice(["alice", "bob"])
    referer = "-" if rng.random() < 0.7 else "https://shop.example/"
    stamp = f"{dt.day:02d}/{MONTHS[dt.month - 1]}/{dt.year}:{dt:%H:%M:%S} +0000"
    return (f'{rng.choice(IPS)} - {user} [{stamp}] "{method} {path} HTTP/1.1" {status} {size} '
            f'"{referer}" "{rng.choice(AGENTS)}" {rt:.3f}')


def _json(rng: random.Random, ns: int, pod_index: int) -> str:
    method, path = rng.choice(API_ROUTES)
    level = _weighted(rng, [("debug", 10), ("info", 70), ("warn", 12), ("error", 8)])
    if level == "error":
        status = _weighted(rng, [(500, 5), (502, 2), (503, 3)])
        msg = rng.choice(["upstream timeout", "connection refused by inventory", "panic recovered in handler",
                          "database error: deadlock"])
    elif level == "warn":
        status = _weighted(rng, [(404, 5), (409, 2), (429, 3)])
        msg = rng.choice(["slow request", "retrying request", "rate limited"])
    else:
        status = 201 if method == "POST" else 200
        msg = "request completed" if level == "info" else "cache lookup"
    latency = round(rng.lognormvariate(3.5, 1.0) + (400 if level == "error" else 0), 2)
    doc = {
        "level": level, "ts": _iso(ns), "msg": msg, "method": method, "path": path, "status": status,
        "duration": _duration_text(latency), "latency_ms": latency, "resp_size": _bytes_text(rng),
        "trace_id": f"{rng.getrandbits(128):032x}", "user": {"id": f"u{rng.randint(1, 300)}", "region": rng.choice(REGIONS)},
        "retries": _weighted(rng, [(0, 85), (1, 10), (2, 4), (3, 1)]), "worker": pod_index,
    }
    return json.dumps(doc, separators=(",", ":"))


def _logfmt(rng: random.Random, ns: int) -> str:
    level = _weighted(rng, [("debug", 8), ("info", 75), ("warn", 10), ("error", 7)])
    job = rng.choice(JOBS)
    queue = _weighted(rng, [("high", 2), ("default", 5), ("low", 3)])
    duration_ms = rng.lognormvariate(6.5, 1.1)
    attempts = _weighted(rng, [(1, 80), (2, 12), (3, 6), (5, 2)])
    msg = {"debug": "job picked", "info": "job finished", "warn": "job slow", "error": "job failed"}[level]
    extra = ' err="smtp: 421 too many connections"' if level == "error" and job == "email" else (
        ' err="context deadline exceeded"' if level == "error" else "")
    return (f'ts={_iso(ns)} level={level} caller=worker.go:{rng.randint(40, 240)} msg="{msg}" job={job} '
            f'queue={queue} duration={_duration_text(duration_ms)} attempts={attempts} size={_bytes_text(rng)} '
            f'trace_id={rng.getrandbits(128):032x}{extra}')


def _db(rng: random.Random, ns: int) -> str:
    dt, ms = _clock(ns)
    stamp = f"{dt:%Y-%m-%d %H:%M:%S}.{ms:03d} UTC"
    pid = rng.choice([4242, 4243, 5120, 6001])
    kind = _weighted(rng, [("dur", 70), ("warn", 15), ("error", 8), ("ckpt", 7)])
    if kind == "dur":
        table = rng.choice(["orders", "users", "items", "carts"])
        return (f"{stamp} [{pid}] LOG:  duration: {rng.lognormvariate(2.0, 1.2):.3f} ms  statement: "
                f"SELECT * FROM {table} WHERE id = {rng.randint(1, 9999)}")
    if kind == "warn":
        return f"{stamp} [{pid}] WARNING:  there is no transaction in progress"
    if kind == "error":
        return f"{stamp} [{pid}] ERROR:  deadlock detected"
    return f"{stamp} [{pid}] LOG:  checkpoint complete: wrote {rng.randint(10, 4000)} buffers"


def _packed(rng: random.Random, ns: int) -> str:
    inner = _logfmt(rng, ns)
    doc = {"container": rng.choice(["envoy", "istio-proxy"]), "stage": rng.choice(["canary", "stable"]), "_entry": inner}
    return json.dumps(doc, separators=(",", ":"))


def _ansi(rng: random.Random, ns: int) -> str:
    step = rng.randint(1, 7)
    if rng.random() < 0.15:
        return f"\x1b[1;31mERROR\x1b[0m step {step}/7 test failed: exit code {rng.choice([1, 2, 137])}"
    if rng.random() < 0.2:
        return f"\x1b[33mWARN\x1b[0m step {step}/7 cache miss for key deps-{rng.getrandbits(24):06x}"
    return f"\x1b[32mINFO\x1b[0m step {step}/7 finished in {rng.lognormvariate(2, 1):.1f}s"


def generate() -> list[dict]:
    """The workload: a list of {"stream": labels, "values": [[ns string, line], ...]} in time order."""
    rng = random.Random(SEED)
    used: set[int] = set()
    out = []
    for index, (labels, kind, mean_gap, active) in enumerate(STREAMS):
        values = []
        for lo, hi in active:
            t = float(lo) + rng.uniform(0, mean_gap)
            while t < hi:
                ns = (T0 * NS) + int(t * 1_000_000) * 1000 + rng.randint(1, 999)
                while ns in used or ns % NS == 0:
                    ns += 7
                used.add(ns)
                if kind == "nginx":
                    line = _nginx(rng, ns)
                elif kind == "json":
                    line = _json(rng, ns, index)
                elif kind == "logfmt":
                    line = _logfmt(rng, ns)
                elif kind == "packed":
                    line = _packed(rng, ns)
                elif kind == "ansi":
                    line = _ansi(rng, ns)
                else:
                    line = _db(rng, ns)
                values.append([str(ns), line])
                t += rng.expovariate(1 / mean_gap)
        out.append({"stream": dict(labels), "values": values})
    return out


def push_bodies(streams: list[dict] | None = None) -> list[bytes]:
    """Loki push JSON request bodies: one per 15-minute slice, holding that slice of every stream."""
    streams = generate() if streams is None else streams
    bodies = []
    for lo in range(T0 * NS, END * NS, SLICE_S * NS):
        hi = lo + SLICE_S * NS
        part = []
        for s in streams:
            values = [v for v in s["values"] if lo <= int(v[0]) < hi]
            if values:
                part.append({"stream": s["stream"], "values": values})
        bodies.append(json.dumps({"streams": part}, separators=(",", ":")).encode())
    return bodies


def push(session, base_url: str, timeout: float = 60) -> int:
    """Pushes the whole workload to `base_url` (Loki or Kansoku); returns the number of lines."""
    lines = 0
    for body in push_bodies():
        r = session.post(f"{base_url}/loki/api/v1/push", data=body,
                         headers={"Content-Type": "application/json"}, timeout=timeout)
        if r.status_code != 204:
            raise RuntimeError(f"push to {base_url} answered {r.status_code}: {r.text[:500]}")
        lines += sum(len(s["values"]) for s in json.loads(body)["streams"])
    return lines


if __name__ == "__main__":
    streams = generate()
    for s in streams:
        print(s["stream"], len(s["values"]), s["values"][0][1][:100])
    print("total lines", sum(len(s["values"]) for s in streams))
