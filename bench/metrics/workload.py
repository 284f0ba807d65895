"""The benchmark's workload: node_exporter-like series scraped every 15 s,
encoded as Prometheus remote_write 1.0 requests the way Prometheus's own
remote-write queue sends them (series sharded, each shard in time order,
a bounded number of samples per request).

Deterministic for a given seed, so every database receives identical bytes.
"""

from __future__ import annotations

import random
import struct
from dataclasses import dataclass

import cramjam

MODES = ["idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"]
BUCKETS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"]


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _ld(number: int, payload: bytes) -> bytes:
    return _varint((number << 3) | 2) + _varint(len(payload)) + payload


def _labels_bytes(labels: dict[str, str]) -> bytes:
    return b"".join(_ld(1, _ld(1, k.encode()) + _ld(2, v.encode())) for k, v in sorted(labels.items()))


@dataclass
class Series:
    labels: dict[str, str]
    encoded_labels: bytes
    kind: str          # "counter" or "gauge"
    value: float
    step: float        # typical change per scrape


def node_series(instances: int) -> list[Series]:
    """100 series per instance, as a node_exporter plus one HTTP histogram would expose."""
    rng = random.Random(42)
    out: list[Series] = []

    def add(name, extra, kind, value, step, instance):
        labels = {"__name__": name, "job": "node", "instance": instance, **extra}
        out.append(Series(labels, _labels_bytes(labels), kind, value, step))

    for i in range(instances):
        inst = f"10.0.{i // 250}.{i % 250 + 1}:9100"
        for cpu in range(4):
            for mode in MODES:
                share = 0.7 if mode == "idle" else 0.3 / 7
                add("node_cpu_seconds_total", {"cpu": str(cpu), "mode": mode}, "counter",
                    round(rng.uniform(1e4, 1e6), 2), 15 * share, inst)
        for dev in ("eth0", "eth1", "lo"):
            add("node_network_receive_bytes_total", {"device": dev}, "counter", float(rng.randrange(10**9, 10**12)), 2e5, inst)
            add("node_network_transmit_bytes_total", {"device": dev}, "counter", float(rng.randrange(10**9, 10**12)), 1e5, inst)
            add("node_network_receive_packets_total", {"device": dev}, "counter", float(rng.randrange(10**6, 10**9)), 400, inst)
        for dev in ("sda", "sdb", "nvme0n1"):
            add("node_disk_read_bytes_total", {"device": dev}, "counter", float(rng.randrange(10**9, 10**12)), 5e4, inst)
            add("node_disk_written_bytes_total", {"device": dev}, "counter", float(rng.randrange(10**9, 10**12)), 8e4, inst)
            add("node_disk_io_time_seconds_total", {"device": dev}, "counter", round(rng.uniform(1e3, 1e5), 3), 0.4, inst)
        for mp in ("/", "/boot", "/var", "/home"):
            add("node_filesystem_avail_bytes", {"mountpoint": mp, "fstype": "ext4"}, "gauge",
                float(rng.randrange(10**9, 10**11) // 4096 * 4096), 4096 * 16, inst)
            add("node_filesystem_size_bytes", {"mountpoint": mp, "fstype": "ext4"}, "gauge",
                float(rng.randrange(10**11, 10**12) // 4096 * 4096), 0, inst)
        for name in ("MemAvailable", "MemFree", "Cached", "Buffers", "Active", "Inactive", "Dirty", "SwapFree"):
            add(f"node_memory_{name}_bytes", {}, "gauge", float(rng.randrange(10**9, 3 * 10**10) // 4096 * 4096), 4096 * 64, inst)
        for name in ("node_load1", "node_load5", "node_load15"):
            add(name, {}, "gauge", round(rng.uniform(0.1, 4), 2), 0.05, inst)
        for chip in range(4):
            add("node_hwmon_temp_celsius", {"chip": f"platform_coretemp_{chip}", "sensor": "temp1"}, "gauge", 45.0, 0.5, inst)
        for le in BUCKETS:
            add("http_request_duration_seconds_bucket", {"handler": "/api", "le": le}, "counter", 0.0, 0, inst)
        add("http_request_duration_seconds_sum", {"handler": "/api"}, "counter", 0.0, 0, inst)
        add("http_request_duration_seconds_count", {"handler": "/api"}, "counter", 0.0, 0, inst)
        for name in ("node_context_switches_total", "node_intr_total", "node_forks_total", "node_procs_running",
                     "node_procs_blocked", "node_boot_time_seconds", "node_time_seconds", "up", "scrape_duration_seconds",
                     "scrape_samples_scraped", "node_entropy_available_bits", "node_sockstat_TCP_inuse", "node_nf_conntrack_entries",
                     ):
            counter = name.endswith("_total")
            add(name, {}, "counter" if counter else "gauge", float(rng.randrange(1, 10**6)), 100.0 if counter else 1.0, inst)
    return out


def advance(series: list[Series], rng: random.Random) -> None:
    """One scrape interval: counters grow, gauges wander; the histogram stays consistent."""
    by_instance_hist: dict[str, list[Series]] = {}
    for s in series:
        name = s.labels["__name__"]
        if name.startswith("http_request_duration_seconds"):
            by_instance_hist.setdefault(s.labels["instance"], []).append(s)
            continue
        if s.kind == "counter":
            s.value = round(s.value + s.step * rng.uniform(0.5, 1.5), 2 if s.step < 1000 else 0)
        elif name in ("node_hwmon_temp_celsius",):
            s.value = min(90.0, max(30.0, s.value + rng.choice((-0.5, 0.0, 0.0, 0.5))))
        elif s.step >= 4096:
            s.value = max(0.0, s.value + 4096 * rng.randint(-16, 16))
        elif s.step > 0:
            s.value = round(max(0.0, s.value + rng.uniform(-s.step, s.step)), 2)
    for group in by_instance_hist.values():
        requests = rng.randint(50, 150)
        latencies = [rng.expovariate(8) for _ in range(requests)]
        for s in group:
            name = s.labels["__name__"]
            if name.endswith("_bucket"):
                bound = float("inf") if s.labels["le"] == "+Inf" else float(s.labels["le"])
                s.value += sum(1 for v in latencies if v <= bound)
            elif name.endswith("_sum"):
                s.value = round(s.value + sum(latencies), 6)
            else:
                s.value += requests


def requests(instances: int, hours: float, interval_s: int, end_ms: int, shards: int, samples_per_request: int):
    """(shard, compressed body, samples) in the order each shard sends them; the shards interleave by time."""
    series = node_series(instances)
    rng = random.Random(7)
    steps = int(hours * 3600 // interval_s)
    start_ms = end_ms - (steps - 1) * interval_s * 1000
    shard_of = [i % shards for i in range(len(series))]
    pending: list[list[bytes]] = [[] for _ in range(shards)]
    out = []
    for step in range(steps):
        t = start_ms + step * interval_s * 1000
        advance(series, rng)
        for i, s in enumerate(series):
            sample = _ld(2, b"\x09" + struct.pack("<d", s.value) + b"\x10" + _varint(t))
            shard = shard_of[i]
            pending[shard].append(_ld(1, s.encoded_labels + sample))
            if len(pending[shard]) >= samples_per_request:
                out.append((shard, bytes(cramjam.snappy.compress_raw(b"".join(pending[shard]))), len(pending[shard])))
                pending[shard] = []
    for shard in range(shards):
        if pending[shard]:
            out.append((shard, bytes(cramjam.snappy.compress_raw(b"".join(pending[shard]))), len(pending[shard])))
    return out, start_ms, len(series), steps
