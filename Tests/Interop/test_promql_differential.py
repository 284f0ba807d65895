"""Differential PromQL test: Kansoku against a real Prometheus.

Both servers receive the very same Prometheus remote_write 1.0 requests
(hand-encoded `prometheus.WriteRequest`, snappy block compressed), carrying a
deterministic (fixed seed) node_exporter-like workload of ~210 series sampled
every 15 s for one hour that ends at T (now, rounded down to a minute):

  * node_cpu_seconds_total{cpu,mode,instance,job}   counters, one has a reset
  * node_memory_MemAvailable_bytes / _MemTotal_bytes gauges
  * node_network_{receive,transmit}_bytes_total     counters (eth0, lo)
  * node_filesystem_avail_bytes{mountpoint,fstype}  slowly draining gauges
  * node_load1                                      gauges; node-d stops 20 min
                                                    before T (no stale marker),
                                                    node-e starts 30 min before T
  * node_uname_info                                 info metric (value 1)
  * up{job,instance}                                api-3 is down for 5 minutes
  * http_requests_total{code,handler}               counters
  * http_request_duration_seconds_{bucket,sum,count} classic histogram
  * process_open_fds                                api-2 ends with a staleness
                                                    marker 35 min before T

The reference is the `prometheus` binary found on $PATH (Debian ships 2.42);
the test is skipped only when there is none. Every query is run as an instant
query at several evaluation times and as range queries (step 60 s and 37 s),
and the `data` of both answers is compared: same resultType, same series
(label sets), same timestamps, and values equal within a relative tolerance of
1e-9 (strings parsed as floats, NaN equals NaN, ±Inf equal only to itself).
Queries Prometheus refuses (flag "error") must be refused by Kansoku with the
same HTTP status and errorType. `/api/v1/series`, `/api/v1/labels` and
`/api/v1/label/<name>/values` are compared as sets. All mismatches are
collected and reported together; every answer pair is also written to
test-artifacts/test_promql_differential.answers.json for inspection.

Ordering rule: range-query matrices and instant vectors are compared as sets
of series (Prometheus only guarantees an order for `sort`/`sort_desc`; `topk`,
`bottomk` and set operators give no order guarantee). For an instant query
whose outermost call is `sort(...)` or `sort_desc(...)` the order matters: both
answers must list the same value at every position (the label set at each
position may differ only among series with equal values, where the order of
ties is unspecified). `sort`/`sort_desc` are only run as instant queries (they
have no effect on range queries).

Known, documented differences between Prometheus 2.x (the reference) and 3.x
(which Kansoku follows) are steered clear of, not compared:

  * Range selectors, the lookback delta and subqueries are left-open in 3.x
    (left-closed in 2.x). Every sample timestamp therefore has a non-zero
    millisecond part (per-target "scrape offsets" of 137..911 ms), while every
    evaluation time, range boundary and subquery step is a whole second, so no
    sample ever sits on a boundary. Subquery evaluation points are aligned to
    multiples of the subquery step (15 s, 30 s, 1 m, 2 m here); no instant
    evaluation time and no point of the 60 s-step range query is a multiple
    of 15 s (they fall on :57, :49, :19, :58, :17 and :07 of a minute), so a
    subquery window boundary never coincides with a subquery point (the
    nested subquery uses an inner range of 10m7s for the same reason). The
    37 s-step range query eventually hits such multiples, so subqueries are
    not run with that step.
  * `holt_winters` (renamed `double_exponential_smoothing` and put behind a
    feature flag in 3.x) is not used; neither are 3.x-only functions
    (`sort_by_label`, `limitk`, `mad_over_time`, `info`, ...).
  * In 3.x the regex `.` also matches a newline: no label value contains one.
  * 3.x normalises classic-histogram `le` and summary `quantile` label values
    to float form ("1" -> "1.0") at scrape time: every `le` written here is a
    non-integer ("0.005" ... "7.5", "+Inf"), identical in both notations.
  * UTF-8 metric/label names: only legacy-valid names are used.
  * 3.x sums with Kahan compensation (sum, avg, *_over_time, regression);
    results may differ in the last bits, hence the 1e-9 relative tolerance.
    Queries whose exact answer is 0 obtained by cancellation (e.g. `deriv` of
    a constant) are avoided, because a relative tolerance cannot absorb that.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

import remote_write_support
from conftest import ARTIFACTS_DIR, free_port, new_session

SEED = 20240601
STEP_MS = 15_000
HOUR_MS = 3_600_000
SLICE_MS = 5 * 60_000
REL_TOL = 1e-9
STALE_NAN_BITS = 0x7FF0000000000002
PROM_READY_TIMEOUT_S = 60.0
HTTP_TIMEOUT_S = 60.0
REPORT_VALUE_CHARS = 700

# Per-target scrape offsets in milliseconds: never 0, so a sample timestamp is
# never a whole second (see the module docstring).
NODE_INSTANCES = {"node-a:9100": 137, "node-b:9100": 402, "node-c:9100": 655, "node-d:9100": 911}
LATE_NODE = ("node-e:9100", 288)
API_INSTANCES = {"api-1:8080": 219, "api-2:8080": 573, "api-3:8080": 764}
LE_BOUNDS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "0.75", "2.5", "7.5", "+Inf"]


# ---------------------------------------------------------------------------
# Workload
# ---------------------------------------------------------------------------

class Series:
    def __init__(self, labels: dict[str, str]):
        self.labels = dict(sorted(labels.items()))
        self.samples: list[tuple[int, float | None]] = []  # (ms, value); None = staleness marker

    def add(self, ts_ms: int, value: float | None) -> None:
        self.samples.append((ts_ms, value))


def build_workload(t_end_ms: int) -> list[Series]:
    """Deterministic node_exporter-like series; sample i of a target is at
    T - 1h + 15 s * i + offset(target), for i in 0..239."""
    rng = random.Random(SEED)
    start = t_end_ms - HOUR_MS
    n = HOUR_MS // STEP_MS  # 240 samples
    out: list[Series] = []

    def ts(i: int, off: int) -> int:
        return start + i * STEP_MS + off

    # -- node targets ----------------------------------------------------
    mem_totals = [8 << 30, 16 << 30, 32 << 30, 16 << 30]
    for k, (inst, off) in enumerate(NODE_INSTANCES.items()):
        base = {"instance": inst, "job": "node"}
        # CPU: 4 cpus x 4 modes; each 15 s is split between the modes.
        cpu_series = {}
        cpu_values = {}
        for cpu in range(4):
            for mode in ("idle", "iowait", "system", "user"):
                s = Series({"__name__": "node_cpu_seconds_total", **base, "cpu": str(cpu), "mode": mode})
                cpu_series[(cpu, mode)] = s
                cpu_values[(cpu, mode)] = round(rng.uniform(1000, 90000) * (8 if mode == "idle" else 1), 2)
                out.append(s)
        for i in range(n):
            for cpu in range(4):
                user = rng.uniform(0.05, 0.45) * 15
                system = rng.uniform(0.02, 0.12) * 15
                iowait = rng.uniform(0.0, 0.05) * 15
                idle = 15 - user - system - iowait
                for mode, inc in (("idle", idle), ("iowait", iowait), ("system", system), ("user", user)):
                    v = round(cpu_values[(cpu, mode)] + inc, 2)
                    if inst == "node-c:9100" and cpu == 1 and mode == "user" and i == 130:
                        v = round(inc, 2)  # counter reset (process restart)
                    cpu_values[(cpu, mode)] = v
                    cpu_series[(cpu, mode)].add(ts(i, off), v)
        # Memory.
        total = mem_totals[k]
        s_total = Series({"__name__": "node_memory_MemTotal_bytes", **base})
        s_avail = Series({"__name__": "node_memory_MemAvailable_bytes", **base})
        avail = total * rng.uniform(0.4, 0.7)
        for i in range(n):
            avail = min(max(avail + rng.gauss(0, total * 0.01), total * 0.1), total * 0.9)
            s_total.add(ts(i, off), float(total))
            s_avail.add(ts(i, off), float(int(avail) // 4096 * 4096))
        out += [s_total, s_avail]
        # Network.
        for device, scale in (("eth0", 1.0), ("lo", 0.02)):
            for direction in ("receive", "transmit"):
                s = Series({"__name__": f"node_network_{direction}_bytes_total", **base, "device": device})
                v = float(rng.randrange(10**9, 10**11))
                for i in range(n):
                    v += float(int(rng.uniform(1e5, 5e6) * scale))
                    s.add(ts(i, off), v)
                out.append(s)
        # Filesystems.
        for mountpoint, fstype in (("/", "ext4"), ("/home", "xfs")):
            s = Series({"__name__": "node_filesystem_avail_bytes", **base, "mountpoint": mountpoint, "fstype": fstype,
                        "device": "/dev/sda1" if mountpoint == "/" else "/dev/sdb1"})
            v = rng.uniform(20e9, 200e9)
            drain = rng.uniform(1e5, 5e6)
            for i in range(n):
                v = v - drain + rng.gauss(0, 2e5)
                s.add(ts(i, off), float(int(v) // 4096 * 4096))
            out.append(s)
        # Load; node-d stops 20 minutes before T (no staleness marker).
        s = Series({"__name__": "node_load1", **base})
        load = rng.uniform(0.2, 2.5)
        last_i = n - 80 if inst == "node-d:9100" else n
        for i in range(last_i):
            load = round(min(max(load + rng.gauss(0, 0.15), 0.01), 6.0), 2)
            s.add(ts(i, off), load)
        out.append(s)
        # Info metric.
        s = Series({"__name__": "node_uname_info", **base, "nodename": inst.split(":")[0] + ".example.org",
                    "release": ["6.1.0-18-amd64", "6.1.0-21-amd64"][k % 2], "sysname": "Linux"})
        for i in range(n):
            s.add(ts(i, off), 1.0)
        out.append(s)
        s = Series({"__name__": "up", **base})
        for i in range(n):
            s.add(ts(i, off), 1.0)
        out.append(s)

    # A node that appears 30 minutes before T.
    inst, off = LATE_NODE
    s = Series({"__name__": "node_load1", "instance": inst, "job": "node"})
    load = 0.8
    for i in range(n - 120, n):
        load = round(min(max(load + rng.gauss(0, 0.2), 0.01), 6.0), 2)
        s.add(ts(i, off), load)
    out.append(s)

    # -- api targets -------------------------------------------------------
    for inst, off in API_INSTANCES.items():
        base = {"instance": inst, "job": "api"}
        s = Series({"__name__": "up", **base})
        for i in range(n):
            s.add(ts(i, off), 0.0 if inst == "api-3:8080" and 100 <= i < 120 else 1.0)
        out.append(s)
        # Open file descriptors; api-2 goes away with a staleness marker.
        s = Series({"__name__": "process_open_fds", **base})
        fds = rng.randrange(40, 90)
        for i in range(n):
            if inst == "api-2:8080" and i >= 100:
                if i == 100:
                    s.add(ts(i, off), None)
                continue
            fds = max(10, fds + rng.randrange(-3, 4))
            s.add(ts(i, off), float(fds))
        out.append(s)
        for handler, mean_latency in (("/api/orders", 0.12), ("/api/users", 0.04)):
            req = {code: Series({"__name__": "http_requests_total", **base, "handler": handler, "code": code})
                   for code in ("200", "500")}
            req_v = {"200": float(rng.randrange(10_000, 50_000)), "500": float(rng.randrange(10, 200))}
            buckets = [Series({"__name__": "http_request_duration_seconds_bucket", **base, "handler": handler, "le": le})
                       for le in LE_BOUNDS]
            bounds = [float(le) for le in LE_BOUNDS]
            counts = [0] * len(LE_BOUNDS)
            h_sum = Series({"__name__": "http_request_duration_seconds_sum", **base, "handler": handler})
            h_count = Series({"__name__": "http_request_duration_seconds_count", **base, "handler": handler})
            total_sum = 0.0
            total_count = 0
            for i in range(n):
                requests_now = rng.randrange(20, 120)
                errors = rng.randrange(0, 4)
                req_v["200"] += requests_now - errors
                req_v["500"] += errors
                for _ in range(requests_now):
                    latency = round(rng.lognormvariate(math.log(mean_latency), 0.9), 4)
                    total_sum += latency
                    total_count += 1
                    for b, bound in enumerate(bounds):
                        if latency <= bound:
                            counts[b] += 1
                for b, series in enumerate(buckets):
                    series.add(ts(i, off), float(counts[b]))
                h_sum.add(ts(i, off), round(total_sum, 4))
                h_count.add(ts(i, off), float(total_count))
                for code in ("200", "500"):
                    req[code].add(ts(i, off), req_v[code])
            out += [*req.values(), *buckets, h_sum, h_count]
    return out


# ---------------------------------------------------------------------------
# remote_write 1.0 requests (encoding in remote_write_support.py)
# ---------------------------------------------------------------------------

STALE_NAN = struct.unpack("<d", struct.pack("<Q", STALE_NAN_BITS))[0]


def write_requests(series: list[Series], t_end_ms: int) -> list[bytes]:
    """One snappy-compressed WriteRequest per 5-minute slice, in time order."""
    bodies = []
    for lo in range(t_end_ms - HOUR_MS, t_end_ms, SLICE_MS):
        hi = lo + SLICE_MS
        payload = b""
        for s in series:
            chunk = [(t, STALE_NAN if v is None else v) for t, v in s.samples if lo <= t < hi]
            if chunk:
                payload += remote_write_support.series(s.labels, chunk)
        bodies.append(remote_write_support.compress(payload))
    return bodies


REMOTE_WRITE_HEADERS = {**remote_write_support.HEADERS, "User-Agent": "kansoku-interop-promql-differential/1"}


# ---------------------------------------------------------------------------
# Reference Prometheus
# ---------------------------------------------------------------------------

class ReferencePrometheus:
    def __init__(self, binary: str):
        self.binary = binary
        self.tmp = tempfile.mkdtemp(prefix="kansoku-prom-ref-")
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = ARTIFACTS_DIR / "test_promql_differential.prometheus.log"
        self.session = new_session()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        config = Path(self.tmp) / "prometheus.yml"
        # evaluation_interval is the default subquery step (`x[5m:]`); 1m is both defaults.
        config.write_text("global:\n  scrape_interval: 15s\n  evaluation_interval: 1m\nscrape_configs: []\n")
        cmd = [
            self.binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={Path(self.tmp) / 'data'}",
            "--storage.tsdb.retention.time=3650d",
            f"--web.listen-address=127.0.0.1:{self.port}",
            "--web.enable-remote-write-receiver",
            "--query.lookback-delta=5m",
        ]
        log = open(self.log_path, "wb")
        log.write(("$ " + " ".join(cmd) + "\n").encode())
        log.flush()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                     cwd=self.tmp, start_new_session=True)
        log.close()
        deadline = time.monotonic() + PROM_READY_TIMEOUT_S
        last = "no attempt"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"prometheus exited with status {self.proc.returncode} before it was ready; "
                            f"log:\n{self.log_path.read_text(errors='replace')[-5000:]}", pytrace=False)
            try:
                r = self.session.get(f"{self.url}/-/ready", timeout=2)
                if r.status_code == 200:
                    return
                last = f"HTTP {r.status_code}"
            except requests.RequestException as e:
                last = repr(e)
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"prometheus not ready after {PROM_READY_TIMEOUT_S:.0f}s (last: {last}); "
                    f"log: {self.log_path}", pytrace=False)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        shutil.rmtree(self.tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def prometheus():
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.skip("the reference `prometheus` binary is not installed (apt-get install prometheus)")
    ref = ReferencePrometheus(binary)
    try:
        ref.start()
        yield ref
    finally:
        ref.stop()


# ---------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------

# (query, flags). Flags: "instant" = instant queries only (sort/sort_desc,
# string literals); "subquery" = not run with the 37 s step (see the module
# docstring); "error" = Prometheus refuses it, and Kansoku must refuse it too
# with the same HTTP status and errorType.
def queries(t_s: int) -> list[tuple[str, set[str]]]:
    at_fixed = t_s - 1800 + 11  # a whole second, not on the sample grid
    q = [
        # -- selectors: =, !=, =~, !~, offset, @ --------------------------------
        ('up', set()),
        ('up{job="node"}', set()),
        ('up{job!="node"}', set()),
        ('node_cpu_seconds_total{mode=~"user|system", cpu="0"}', set()),
        ('node_cpu_seconds_total{mode!~"idle|iowait", instance=~"node-[ab].*"}', set()),
        ('{__name__=~"node_network_.+_bytes_total", device!="lo"}', set()),
        ('{__name__=~"http_request_duration_seconds_(sum|count)", handler="/api/users"}', set()),
        ('node_load1', set()),
        ('process_open_fds', set()),
        ('node_load1 offset 5m', set()),
        ('node_load1 offset -2m', set()),
        (f'node_memory_MemAvailable_bytes @ {at_fixed}', set()),
        ('node_load1 @ start()', set()),
        ('rate(node_network_receive_bytes_total{device="eth0"}[5m] @ end())', set()),
        ('rate(node_cpu_seconds_total{mode="user", cpu="2"}[5m] offset 10m)', set()),
        # -- counters and gauges over ranges ------------------------------------
        ('rate(node_cpu_seconds_total[5m])', set()),
        ('rate(node_cpu_seconds_total{instance="node-c:9100", cpu="1"}[10m])', set()),
        ('irate(node_network_receive_bytes_total[2m])', set()),
        ('increase(http_requests_total[10m])', set()),
        ('resets(node_cpu_seconds_total{instance="node-c:9100"}[30m])', set()),
        ('changes(up[30m])', set()),
        ('delta(node_memory_MemAvailable_bytes[5m])', set()),
        ('idelta(node_memory_MemAvailable_bytes[3m])', set()),
        ('deriv(node_memory_MemAvailable_bytes[10m])', set()),
        ('predict_linear(node_filesystem_avail_bytes[15m], 3600)', set()),
        ('rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m])', set()),
        # -- *_over_time ---------------------------------------------------------
        ('avg_over_time(node_load1[10m])', set()),
        ('min_over_time(node_memory_MemAvailable_bytes[10m])', set()),
        ('max_over_time(node_load1[15m])', set()),
        ('sum_over_time(up[10m])', set()),
        ('count_over_time(node_load1[7m])', set()),
        ('last_over_time(node_load1[10m])', set()),
        ('quantile_over_time(0.9, node_load1[20m])', set()),
        ('stddev_over_time(node_memory_MemAvailable_bytes[10m])', set()),
        ('stdvar_over_time(node_load1[10m])', set()),
        ('present_over_time(process_open_fds[10m])', set()),
        ('absent_over_time(process_open_fds{instance="api-2:8080"}[10m])', set()),
        ('absent_over_time(node_load1{instance="node-d:9100"}[5m])', set()),
        ('absent_over_time(nonexistent_metric{job="x"}[5m])', set()),
        # -- aggregations ----------------------------------------------------------
        ('sum by (job) (rate(http_requests_total[5m]))', set()),
        ('sum by (instance, mode) (rate(node_cpu_seconds_total[5m]))', set()),
        ('avg without (cpu) (rate(node_cpu_seconds_total[5m]))', set()),
        ('min by (instance) (node_filesystem_avail_bytes)', set()),
        ('max without (device) (rate(node_network_receive_bytes_total[5m]))', set()),
        ('count by (job) (up)', set()),
        ('group by (job, instance) (up)', set()),
        ('stddev by (mode) (rate(node_cpu_seconds_total[5m]))', set()),
        ('stdvar without (instance) (node_load1)', set()),
        ('topk(3, rate(node_network_receive_bytes_total[5m]))', set()),
        ('bottomk(2, node_memory_MemAvailable_bytes)', set()),
        ('topk by (instance) (1, rate(node_cpu_seconds_total[5m]))', set()),
        ('quantile(0.75, rate(node_cpu_seconds_total{mode="user"}[5m]))', set()),
        ('quantile by (mode) (0.25, rate(node_cpu_seconds_total[5m]))', set()),
        ('count_values("value", up)', set()),
        ('count_values by (job) ("fds", process_open_fds)', set()),
        ('count by (__name__) ({__name__=~"node_.+"})', set()),
        ('sum(up) by (job)', set()),
        ('count(count by (instance) (node_cpu_seconds_total))', set()),
        ('sum(rate(http_request_duration_seconds_count[5m]))', set()),
        # -- binary operators ------------------------------------------------------
        ('node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes * 100', set()),
        ('node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes', set()),
        ('-node_load1 + 1', set()),
        ('node_load1 ^ 2 % 1.5', set()),
        ('node_load1 > 1.5', set()),
        ('node_load1 > bool 1.5', set()),
        ('up == 0', set()),
        ('node_load1 >= scalar(avg(node_load1))', set()),
        ('http_requests_total{code="500"} / ignoring(code) http_requests_total{code="200"}', set()),
        ('rate(node_cpu_seconds_total{mode="user"}[5m]) * on(instance) group_left(nodename) node_uname_info', set()),
        ('node_uname_info * on(instance) group_right(nodename, release) rate(node_network_receive_bytes_total[5m])', set()),
        ('sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m])) / on(instance) '
         'count by (instance) (node_cpu_seconds_total{mode="idle"})', set()),
        ('node_load1 > 1 and on(instance) up{job="node"} == 1', set()),
        ('node_load1 or on(instance) up', set()),
        ('up unless on(instance) node_load1', set()),
        ('process_open_fds and ignoring(job) up', set()),
        ('1 + 2 * 3', set()),
        ('time() - 60', set()),
        # -- histograms ------------------------------------------------------------
        ('histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))', set()),
        ('histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))', set()),
        ('histogram_quantile(0.99, sum by (le, handler) (rate(http_request_duration_seconds_bucket[10m])))', set()),
        # -- label functions ---------------------------------------------------------
        ('label_replace(up, "host", "$1", "instance", "(.*):.*")', set()),
        ('label_replace(node_load1, "instance", "x-$1", "instance", "node-(a|b).*")', set()),
        ('label_join(up, "endpoint", "/", "job", "instance")', set()),
        # -- math ----------------------------------------------------------------------
        ('abs(delta(node_memory_MemAvailable_bytes[5m]))', set()),
        ('ceil(node_load1)', set()),
        ('floor(node_load1)', set()),
        ('round(node_load1)', set()),
        ('round(node_load1, 0.25)', set()),
        ('clamp(node_load1, 0.5, 2)', set()),
        ('clamp_min(node_load1, 1)', set()),
        ('clamp_max(node_load1, 1)', set()),
        ('sqrt(node_load1)', set()),
        ('exp(node_load1)', set()),
        ('ln(node_memory_MemAvailable_bytes)', set()),
        ('log2(node_memory_MemAvailable_bytes)', set()),
        ('log10(node_filesystem_avail_bytes)', set()),
        ('sgn(delta(node_memory_MemAvailable_bytes[5m]))', set()),
        # -- time functions ----------------------------------------------------------
        ('timestamp(node_load1)', set()),
        ('time()', set()),
        ('hour()', set()),
        ('minute(vector(time()))', set()),
        ('day_of_week()', set()),
        ('day_of_month()', set()),
        ('days_in_month()', set()),
        ('month()', set()),
        ('year()', set()),
        ('hour(timestamp(up{job="api"}))', set()),
        ('minute(timestamp(node_load1))', set()),
        # -- absent, scalar/vector, sort -------------------------------------------------
        ('absent(nonexistent_metric{job="x", instance="y"})', set()),
        ('absent(up{job="node"})', set()),
        ('absent(process_open_fds{instance="api-2:8080"})', set()),
        ('scalar(sum(up))', set()),
        ('vector(1)', set()),
        ('vector(scalar(count(up)))', set()),
        ('sort(node_load1)', {"instant"}),
        ('sort_desc(rate(node_cpu_seconds_total{mode="user"}[5m]))', {"instant"}),
        ('sort_desc(sum by (job) (rate(http_requests_total[5m])))', {"instant"}),
        # -- subqueries --------------------------------------------------------------------
        ('max_over_time(rate(node_network_receive_bytes_total[5m])[30m:1m])', {"subquery"}),
        ('avg_over_time(sum by (instance) (rate(node_cpu_seconds_total{mode="user"}[2m]))[20m:30s])', {"subquery"}),
        ('min_over_time(node_load1[10m:1m])', {"subquery"}),
        ('rate(sum(node_network_transmit_bytes_total)[10m:1m])', {"subquery"}),
        ('sum_over_time(http_requests_total{code="500"}[1m:15s])', {"subquery"}),
        ('max_over_time(node_load1[10m:1m] offset 5m)', {"subquery"}),
        (f'avg_over_time(node_load1[10m:1m] @ {at_fixed})', {"subquery"}),
        ('max_over_time(deriv(rate(node_network_receive_bytes_total[2m])[10m7s:1m])[20m:2m])', {"subquery"}),
        # -- edge cases: matchers --------------------------------------------------------
        ('up{instance=""}', set()),
        ('up{nonexistent=""}', set()),
        ('node_load1{instance!~""}', set()),
        ('up{job=~"(?i)NODE"}', set()),
        ('up{job=~"no.*|api"}', set()),
        ('{job=~".+", __name__!~"node_.*|http_.*"}', set()),
        (r'http_request_duration_seconds_bucket{le=~"0\\.0.*", instance="api-1:8080"}', set()),
        ('rate(http_request_duration_seconds_bucket{le="+Inf"}[5m])', set()),
        # -- edge cases: staleness, resets, gaps --------------------------------------------
        ('rate(process_open_fds[10m])', set()),
        ('count_over_time(process_open_fds[10m])', set()),
        ('last_over_time(process_open_fds[10m])', set()),
        ('timestamp(process_open_fds)', set()),
        ('changes(process_open_fds[1h])', set()),
        ('resets(process_open_fds[1h])', set()),
        ('rate(up[5m])', set()),
        ('irate(up[5m])', set()),
        ('increase(node_cpu_seconds_total{instance="node-c:9100", cpu="1", mode="user"}[1h])', set()),
        ('timestamp(node_load1 offset 1m)', set()),
        (f'timestamp(node_load1 @ {at_fixed})', set()),
        ('rate(node_cpu_seconds_total{cpu="0"}[5m] @ 100)', set()),
        ('stddev_over_time(up[30m])', set()),
        ('predict_linear(node_memory_MemAvailable_bytes[10m] offset 1m, 600)', set()),
        # -- edge cases: special values ------------------------------------------------------
        ('sum(node_load1) / 0', set()),
        ('-sum(node_load1) / 0', set()),
        ('0 * sum(node_load1) / 0', set()),
        ('ln(-node_load1)', set()),
        ('quantile_over_time(0, node_load1[20m])', set()),
        ('quantile_over_time(1.5, node_load1[20m])', set()),
        ('quantile(-0.5, node_load1)', set()),
        ('histogram_quantile(1.5, rate(http_request_duration_seconds_bucket[5m]))', set()),
        ('histogram_quantile(0, rate(http_request_duration_seconds_bucket[5m]))', set()),
        ('histogram_quantile(0.9, rate(http_request_duration_seconds_bucket{le!="+Inf"}[5m]))', set()),
        ('histogram_quantile(0.5, sum by (le) (http_request_duration_seconds_bucket))', set()),
        ('1 > bool 2', set()),
        ('time() % 86400', set()),
        ('vector(time()) % 3600', set()),
        # -- edge cases: formatting and labels ---------------------------------------------------
        ('count_values("value", node_load1)', set()),
        ('count_values("value", node_memory_MemTotal_bytes)', set()),
        ('count_values("value", node_memory_MemTotal_bytes * 1e15)', set()),
        ('count_values("value", node_load1 / 1e7)', set()),
        ('count_values("value", round(rate(node_cpu_seconds_total{mode="user", cpu="0"}[5m]), 0.001))', set()),
        ('sort_desc(count_values("value", up))', {"instant"}),
        ('label_replace(up, "foo", "$1", "instance", "nomatch(.*)")', set()),
        ('label_replace(up, "job", "", "job", ".*")', set()),
        ('label_join(node_load1, "instance", ",", "instance", "job")', set()),
        ('sum without (instance, job) (up)', set()),
        ('avg by (nonexistent) (up)', set()),
        ('topk(2, node_load1 offset 1m)', set()),
        ('topk(scalar(count(up)) - 5, node_load1)', set()),
        ('bottomk(3, sum by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])))', set()),
        ('count(up) by (job) > 3', set()),
        ('up{job="node"} + ignoring(job) up{job="api"}', set()),
        ('node_load1 == bool node_load1 offset 1m', set()),
        ('sum by (job) (rate(http_requests_total[5m])) / ignoring(job) group_left sum(rate(http_requests_total[5m]))',
         set()),
        ('absent(sum(nonexistent_metric))', set()),
        ('sum by (le) (http_request_duration_seconds_bucket)', set()),
        ('"hello"', {"instant"}),
        ('max_over_time(node_load1[5m:])', {"subquery"}),
        ('absent(nonexistent_metric{job="a", job="b", env="x"})', set()),
        ('absent_over_time(nonexistent_metric{job=~"x", env="y"}[5m])', set()),
        ('topk(2.7, node_load1)', set()),
        ('count_values("job", up)', set()),
        ('sum by (__name__) (up)', set()),
        ('clamp(node_load1, 2, 1)', set()),
        ('round(node_load1, 0)', set()),
        ('scalar(up)', set()),
        ('timestamp(vector(1))', set()),
        ('-node_load1 offset 1m', set()),
        ('sum by (mode) (rate(node_cpu_seconds_total[5m])) and on(mode) sum by (mode) (rate(node_cpu_seconds_total[5m])) > 1',
         set()),
        ('label_replace(up, "x", "$1", "instance", "(")', {"error"}),
        # -- errors: both must refuse ---------------------------------------------------------------
        ('up * on() node_load1', {"error"}),
        ('rate(up)', {"error"}),
        ('node_uname_info * on(instance) group_left rate(node_cpu_seconds_total[5m])', {"error"}),
    ]
    return q


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------

def _num(text) -> float:
    return float(text)  # handles "NaN", "+Inf", "-Inf"


def _values_equal(a: str, b: str) -> bool:
    x, y = _num(a), _num(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    return math.isclose(x, y, rel_tol=REL_TOL, abs_tol=0.0)


def _ts(v) -> int:
    return round(float(v) * 1000)


def _point_diff(p, k) -> str | None:
    if not (isinstance(p, list) and isinstance(k, list) and len(p) == 2 and len(k) == 2):
        return f"malformed sample: prometheus {p!r}, kansoku {k!r}"
    if _ts(p[0]) != _ts(k[0]):
        return f"timestamp {k[0]!r} != {p[0]!r}"
    if not _values_equal(p[1], k[1]):
        return f"value at {p[0]}: kansoku {k[1]!r} != prometheus {p[1]!r}"
    return None


def _labels_key(metric: dict) -> tuple:
    return tuple(sorted((metric or {}).items()))


def _fmt_labels(key: tuple) -> str:
    return "{" + ", ".join(f'{k}="{v}"' for k, v in key) + "}"


def compare_data(p: dict, k: dict, ordered: bool) -> list[str]:
    """Differences between two `data` objects (empty when equal)."""
    if not isinstance(k, dict):
        return [f"kansoku data is not an object: {k!r}"]
    pt, kt = p.get("resultType"), k.get("resultType")
    if pt != kt:
        return [f"resultType: kansoku {kt!r} != prometheus {pt!r}"]
    pr, kr = p.get("result"), k.get("result")
    if pt in ("scalar", "string"):
        d = _point_diff(pr, kr) if pt == "scalar" else (None if pr == kr else f"{kr!r} != {pr!r}")
        return [d] if d else []
    if not isinstance(kr, list):
        return [f"kansoku result is not a list: {kr!r}"]
    diffs = []
    field = "value" if pt == "vector" else "values"
    pmap = {_labels_key(s.get("metric")): s for s in pr}
    kmap = {}
    for s in kr:
        key = _labels_key(s.get("metric"))
        if key in kmap:
            diffs.append(f"kansoku returned series {_fmt_labels(key)} twice")
        kmap[key] = s
    for key in sorted(set(pmap) - set(kmap)):
        diffs.append(f"missing series {_fmt_labels(key)}")
    for key in sorted(set(kmap) - set(pmap)):
        diffs.append(f"unexpected series {_fmt_labels(key)}")
    for key in sorted(set(pmap) & set(kmap)):
        ps, ks = pmap[key].get(field), kmap[key].get(field)
        if pt == "vector":
            d = _point_diff(ps, ks)
            if d:
                diffs.append(f"{_fmt_labels(key)}: {d}")
        else:
            if not isinstance(ks, list):
                diffs.append(f"{_fmt_labels(key)}: malformed values {ks!r}")
                continue
            pts = {_ts(x[0]): x for x in ps}
            kts = {_ts(x[0]): x for x in ks if isinstance(x, list) and x}
            if set(pts) != set(kts):
                miss = sorted(set(pts) - set(kts))
                extra = sorted(set(kts) - set(pts))
                diffs.append(f"{_fmt_labels(key)}: timestamps differ; missing {[m / 1000 for m in miss[:6]]}"
                             f"{'...' if len(miss) > 6 else ''} ({len(miss)}), unexpected "
                             f"{[e / 1000 for e in extra[:6]]}{'...' if len(extra) > 6 else ''} ({len(extra)})")
            bad = [d for t in sorted(set(pts) & set(kts)) if (d := _point_diff(pts[t], kts[t]))]
            if bad:
                diffs.append(f"{_fmt_labels(key)}: {len(bad)} values differ, first: {bad[0]}")
    if ordered and not diffs and pt == "vector":
        for i, (ps, ks) in enumerate(zip(pr, kr)):
            if not _values_equal(ps["value"][1], ks["value"][1]):
                diffs.append(f"order differs at position {i}: kansoku {_fmt_labels(_labels_key(ks['metric']))} = "
                             f"{ks['value'][1]}, prometheus {_fmt_labels(_labels_key(ps['metric']))} = {ps['value'][1]}")
                break
    return diffs


def _truncate(obj) -> str:
    text = obj if isinstance(obj, str) else json.dumps(obj, sort_keys=True)
    return text if len(text) <= REPORT_VALUE_CHARS else text[:REPORT_VALUE_CHARS] + f"... ({len(text)} chars)"


def _get(session, url: str, params) -> tuple[int, dict | str]:
    try:
        r = session.get(url, params=params, timeout=HTTP_TIMEOUT_S)
    except requests.RequestException as e:
        return -1, f"{type(e).__name__}: {e}"
    try:
        return r.status_code, r.json()
    except ValueError:
        return r.status_code, r.text


# ---------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------

def test_promql_matches_prometheus(kansoku, prometheus):
    t_end_ms = int(time.time()) // 60 * 60 * 1000
    t_s = t_end_ms // 1000
    series = build_workload(t_end_ms)
    assert 190 <= len(series) <= 230, len(series)

    # -- identical remote_write requests to both --------------------------------
    session = new_session()
    for n, body in enumerate(write_requests(series, t_end_ms)):
        for name, base in (("prometheus", prometheus.url), ("kansoku", kansoku.api_url)):
            r = session.post(f"{base}/api/v1/write", data=body, headers=REMOTE_WRITE_HEADERS, timeout=HTTP_TIMEOUT_S)
            assert r.status_code == 204, f"write request {n} to {name}: HTTP {r.status_code}: {r.text[:1000]!r}"

    # -- evaluations --------------------------------------------------------------
    # Whole seconds, never multiples of 30 s (see the module docstring).
    instant_times = [t_s - 3, t_s - 431, t_s - 1421, t_s - 2462, t_s + 257]
    range_60 = {"start": str(t_s - 3000 + 7), "end": str(t_s - 3), "step": "60"}
    range_37 = {"start": str(t_s - 3000 + 7), "end": str(t_s - 3), "step": "37"}

    mismatches: list[str] = []
    reference_errors: list[str] = []
    answers: list[dict] = []  # every pair, written to test-artifacts for inspection
    compared = 0
    query_list = queries(t_s)

    def run(path: str, params: dict, ordered: bool, what: str, expect_error: bool = False) -> None:
        nonlocal compared
        ps, pbody = _get(session, f"{prometheus.url}{path}", params)
        ks, kbody = _get(session, f"{kansoku.api_url}{path}", params)
        answers.append({"what": what, "path": path, "params": params, "prometheus": pbody, "kansoku": kbody})
        if expect_error:
            if ps == 200 or not isinstance(pbody, dict) or pbody.get("status") != "error":
                reference_errors.append(f"{what}: expected an error from prometheus, got HTTP {ps}: {_truncate(pbody)}")
                return
            compared += 1
            if ks != ps or not isinstance(kbody, dict) or kbody.get("status") != "error" \
                    or kbody.get("errorType") != pbody.get("errorType"):
                mismatches.append(f"{what}\n    kansoku:    HTTP {ks}: {_truncate(kbody)}\n"
                                  f"    prometheus: HTTP {ps}: {_truncate(pbody)}")
            return
        if ps != 200 or not isinstance(pbody, dict) or pbody.get("status") != "success":
            reference_errors.append(f"{what}: prometheus HTTP {ps}: {_truncate(pbody)}")
            return
        compared += 1
        if ks != 200 or not isinstance(kbody, dict) or kbody.get("status") != "success":
            mismatches.append(f"{what}\n    kansoku: HTTP {ks}: {_truncate(kbody)}\n"
                              f"    prometheus: {_truncate(pbody.get('data'))}")
            return
        diffs = compare_data(pbody.get("data"), kbody.get("data"), ordered)
        if diffs:
            mismatches.append(
                f"{what}\n    " + "\n    ".join(diffs[:8]) + (f"\n    ... {len(diffs) - 8} more" if len(diffs) > 8 else "")
                + f"\n    kansoku:    {_truncate(kbody.get('data'))}\n    prometheus: {_truncate(pbody.get('data'))}")

    for query, flags in query_list:
        ordered = query.startswith(("sort(", "sort_desc("))
        err = "error" in flags
        for t in instant_times:
            run("/api/v1/query", {"query": query, "time": str(t)}, ordered, f"instant {query!r} @ T{t - t_s:+d}s", err)
        if "instant" in flags:
            continue
        run("/api/v1/query_range", {"query": query, **range_60}, False, f"range {query!r} step 60s", err)
        if "subquery" not in flags:
            run("/api/v1/query_range", {"query": query, **range_37}, False, f"range {query!r} step 37s", err)

    # -- metadata endpoints (compared as sets) --------------------------------------
    window = {"start": str(t_s - 3700), "end": str(t_s + 60)}

    def meta(path: str, params: dict, what: str, as_series: bool) -> None:
        nonlocal compared
        ps, pbody = _get(session, f"{prometheus.url}{path}", params)
        ks, kbody = _get(session, f"{kansoku.api_url}{path}", params)
        if ps != 200 or not isinstance(pbody, dict) or pbody.get("status") != "success":
            reference_errors.append(f"{what}: prometheus HTTP {ps}: {_truncate(pbody)}")
            return
        compared += 1
        if ks != 200 or not isinstance(kbody, dict) or kbody.get("status") != "success":
            mismatches.append(f"{what}\n    kansoku: HTTP {ks}: {_truncate(kbody)}")
            return
        key = (lambda m: _labels_key(m)) if as_series else (lambda v: v)
        pset = {key(x) for x in pbody.get("data") or []}
        kset = {key(x) for x in kbody.get("data") or []}
        if pset != kset:
            fmt = _fmt_labels if as_series else repr
            mismatches.append(f"{what}\n    missing: {[fmt(x) for x in sorted(pset - kset)][:10]}"
                              f"\n    unexpected: {[fmt(x) for x in sorted(kset - pset)][:10]}")

    for match in ('up', 'node_load1', '{__name__=~"http_.+", handler="/api/orders"}', '{job="node", cpu="3"}',
                  'process_open_fds'):
        meta("/api/v1/series", {"match[]": match, **window}, f"series match[]={match}", True)
    meta("/api/v1/series", {"match[]": "node_load1", "start": str(t_s - 600), "end": str(t_s)},
         "series match[]=node_load1 last 10 minutes", True)
    meta("/api/v1/labels", window, "labels", False)
    meta("/api/v1/labels", {"match[]": "http_request_duration_seconds_bucket", **window}, "labels match[]=bucket", False)
    meta("/api/v1/label/job/values", window, "label job values", False)
    meta("/api/v1/label/instance/values", {"match[]": "node_load1", **window}, "label instance values of node_load1",
         False)

    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS_DIR / "test_promql_differential.answers.json").write_text(json.dumps(answers, indent=1))
    empty = sorted({a["params"]["query"] for a in answers
                    if isinstance(a["prometheus"], dict) and (a["prometheus"].get("data") or {}).get("result") == []})
    if empty:
        print("\nqueries with an empty reference answer at some evaluation (expected for absent/filters):\n  "
              + "\n  ".join(empty))
    print(f"\npromql differential: {len(query_list)} queries, {compared} compared results, "
          + ("all equal" if not mismatches else f"{len(mismatches)} mismatches"))
    problems = []
    if reference_errors:
        problems.append(f"{len(reference_errors)} queries failed on the reference Prometheus (fix the test):\n  "
                        + "\n  ".join(reference_errors))
    if mismatches:
        problems.append(f"{len(mismatches)} of {compared} results differ from Prometheus:\n\n" + "\n\n".join(mismatches))
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
