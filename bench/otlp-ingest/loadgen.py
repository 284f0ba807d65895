"""OTLP load generator: sender processes that replay pre-encoded export requests.

One scenario = one signal over one protocol. `run_scenario` forks `workers`
sender processes (Python's GIL would make threads the bottleneck), each with
its own connection (a gRPC channel, or an HTTP/1.1 keep-alive connection) and
exactly one request in flight. Every sender cycles through the pre-encoded
requests of a `payloads.PayloadSet`, starting at a different offset.

Timing: the parent tells all senders when the warm-up starts, when the
measured window starts and when it ends (CLOCK_MONOTONIC is system-wide, so
the timestamps mean the same in every process). A request counts for the
window when its *response* arrives inside it. Only successful responses count
(gRPC OK, HTTP 200), minus any items the server reports in
`partial_success.rejected_*`. Around the window the parent samples the CPU
time (utime+stime from /proc/<pid>/stat) of the server and of the senders.

Nothing in here asserts anything about speed; it only measures.

This module is used by `run`; `python3 loadgen.py --check` runs the payload
self-checks (the same ones as test_payloads.py) without pytest.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import signal
import socket
import sys
import time
import traceback
from array import array
from collections import Counter
from dataclasses import dataclass, field

import payloads

CLK_TCK = os.sysconf("SC_CLK_TCK")
READY_TIMEOUT_S = 15.0
MAX_MESSAGE_BYTES = 256 * 1024 * 1024


# --------------------------------------------------------------------------- /proc helpers

def proc_cpu_seconds(pid: int | str = "self") -> float | None:
    """utime+stime of a process (all its threads), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read().decode()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = data[data.rindex(")") + 2:].split()  # comm may contain spaces and ')'
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_status_kib(pid: int, key: str) -> int | None:
    """A `kB` value from /proc/<pid>/status, e.g. VmHWM (peak resident set) or VmRSS."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None


# --------------------------------------------------------------------------- senders (run in child processes)

class GrpcSender:
    """Unary OTLP Export calls on raw bytes (no (de)serialization in Python)."""

    def __init__(self, target: str, signal_name: str, timeout: float):
        import grpc  # imported in the child: the parent never touches gRPC before forking

        self._grpc = grpc
        self.timeout = timeout
        self.channel = grpc.insecure_channel(target, options=[
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.enable_http_proxy", 0),
            ("grpc.enable_retries", 0),
        ])
        grpc.channel_ready_future(self.channel).result(timeout=READY_TIMEOUT_S)
        # No serializers = identity: the request is sent as the given bytes and
        # the response comes back as bytes.
        self.call = self.channel.unary_unary(payloads.GRPC_METHOD[signal_name],
                                             request_serializer=None, response_deserializer=None)

    def send(self, body: bytes) -> tuple[bool, bytes, str]:
        try:
            return True, self.call(body, timeout=self.timeout), ""
        except self._grpc.RpcError as e:
            code = e.code() if hasattr(e, "code") else None
            return False, b"", f"grpc {code.name if code else type(e).__name__}"

    def close(self) -> None:
        self.channel.close()


class HttpSender:
    """POST application/x-protobuf over one HTTP/1.1 keep-alive connection."""

    def __init__(self, base_url: str, signal_name: str, timeout: float, gzip_body: bool):
        assert base_url.startswith("http://")
        host, _, port = base_url[len("http://"):].rstrip("/").rpartition(":")
        self.host, self.port = host.strip("[]"), int(port)
        self.path = payloads.HTTP_PATH[signal_name]
        self.timeout = timeout
        self.headers = {"Content-Type": "application/x-protobuf", "Accept": "application/x-protobuf",
                        "Host": f"{host}:{port}"}
        if gzip_body:
            self.headers["Content-Encoding"] = "gzip"
        self.conn: http.client.HTTPConnection | None = None
        self._connect()

    def _connect(self) -> None:
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self.conn.connect()
        self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, body: bytes) -> tuple[bool, bytes, str]:
        try:
            if self.conn is None:
                self._connect()
            # http.client sends headers and a bytes body in one send() call.
            self.conn.request("POST", self.path, body=body, headers=self.headers)
            resp = self.conn.getresponse()
            data = resp.read()
            if resp.will_close:
                self.conn.close()
                self.conn = None
            if resp.status == 200:
                return True, data, ""
            return False, b"", f"http {resp.status}"
        except (OSError, http.client.HTTPException) as e:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return False, b"", f"http {type(e).__name__}"

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _sender_main(index: int, n_workers: int, signal_name: str, protocol: str, target: str,
                 batches: list[bytes], items_per_batch: int, timeout: float, gzip_body: bool,
                 cpus: list[int] | None, conn) -> None:
    """Body of one sender process. Talks to the parent over `conn` (a Pipe end)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the parent
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent may have its own handler; terminate() must kill
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    sender = None
    try:
        if cpus:
            os.sched_setaffinity(0, cpus)
        if protocol == "grpc":
            sender = GrpcSender(target, signal_name, timeout)
        else:
            sender = HttpSender(target, signal_name, timeout, gzip_body)
        conn.send(("ready", os.getpid()))
        msg = conn.recv()
        if msg[0] != "go":
            return
        _, t_start, t_end = msg

        n = len(batches)
        i = (index * n) // max(1, n_workers)  # senders start at different requests
        ok_req = ok_items = rejected = sent_bytes = 0
        total_ok_items = total_req = 0
        errors: Counter = Counter()
        latencies = array("d")
        backoff_until = 0.0
        while True:
            now = time.monotonic()
            if now >= t_end:
                break
            if now < backoff_until:
                time.sleep(min(backoff_until, t_end) - now)
                continue
            body = batches[i]
            i = (i + 1) % n
            t0 = time.monotonic()
            ok, response, err = sender.send(body)
            t1 = time.monotonic()
            total_req += 1
            in_window = t_start <= t1 <= t_end
            if ok:
                rej = payloads.rejected_items(signal_name, response) if response else 0
                total_ok_items += items_per_batch - rej
                if in_window:
                    ok_req += 1
                    ok_items += items_per_batch - rej
                    rejected += rej
                    sent_bytes += len(body)
                    latencies.append(t1 - t0)
            else:
                if in_window:
                    errors[err] += 1
                backoff_until = time.monotonic() + 0.05  # do not spin on a refusing server
        conn.send(("done", {
            "ok_requests": ok_req, "ok_items": ok_items, "rejected_items": rejected,
            "sent_bytes": sent_bytes, "errors": dict(errors), "latencies": latencies.tobytes(),
            "total_ok_items": total_ok_items, "total_requests": total_req,
        }))
    except Exception:
        try:
            conn.send(("error", traceback.format_exc()))
        except Exception:
            pass
    finally:
        if sender is not None:
            try:
                sender.close()
            except Exception:
                pass


# --------------------------------------------------------------------------- scenario (runs in the parent)

@dataclass
class ScenarioResult:
    signal: str
    protocol: str
    workers: int
    window_s: float
    ok_requests: int = 0
    ok_items: int = 0
    rejected_items: int = 0
    sent_bytes: int = 0
    errors: dict = field(default_factory=dict)
    latencies_s: list = field(default_factory=list)
    total_ok_items: int = 0
    server_cpu_s: float | None = None
    client_cpu_s: float | None = None

    @property
    def name(self) -> str:
        return f"{self.signal}-{self.protocol}"

    @property
    def items_per_s(self) -> float:
        return self.ok_items / self.window_s

    @property
    def requests_per_s(self) -> float:
        return self.ok_requests / self.window_s

    @property
    def mib_per_s(self) -> float:
        return self.sent_bytes / self.window_s / (1024 * 1024)

    @property
    def failed_requests(self) -> int:
        return sum(self.errors.values())

    def latency_ms(self, q: float) -> float | None:
        if not self.latencies_s:
            return None
        xs = sorted(self.latencies_s)
        return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000.0

    @property
    def items_per_server_cpu_s(self) -> float | None:
        if not self.server_cpu_s:
            return None
        return self.ok_items / self.server_cpu_s


class ScenarioError(RuntimeError):
    pass


def run_scenario(signal_name: str, protocol: str, target: str, payload_set: payloads.PayloadSet, *,
                 workers: int, warmup_s: float, duration_s: float, server_pid: int | None,
                 timeout_s: float = 30.0, gzip_body: bool = False, client_cpus: list[int] | None = None,
                 server_alive=None) -> ScenarioResult:
    """Drive one scenario and measure it. `target` is `host:port` (gRPC) or `http://host:port` (HTTP).

    Loops are bounded: every sender stops at the end of the window, a request
    times out after `timeout_s`, and senders that do not report back in time
    are killed.
    """
    ctx = multiprocessing.get_context("fork")  # children inherit the pre-encoded bytes
    procs, conns = [], []
    finished = False
    try:
        for w in range(workers):
            parent_end, child_end = ctx.Pipe()
            p = ctx.Process(target=_sender_main, name=f"sender-{protocol}-{w}", daemon=True,
                            args=(w, workers, signal_name, protocol, target, payload_set.batches,
                                  payload_set.items_per_batch, timeout_s, gzip_body, client_cpus, child_end))
            p.start()
            child_end.close()
            procs.append(p)
            conns.append(parent_end)

        # Wait until every sender is connected.
        deadline = time.monotonic() + READY_TIMEOUT_S + 5
        for conn in conns:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not conn.poll(remaining):
                raise ScenarioError(f"a {protocol} sender did not connect to {target} within {READY_TIMEOUT_S:.0f}s")
            kind, value = conn.recv()
            if kind == "error":
                raise ScenarioError(f"a {protocol} sender failed to start:\n{value}")

        t_warm = time.monotonic() + 0.05
        t_start = t_warm + warmup_s
        t_end = t_start + duration_s
        for conn in conns:
            conn.send(("go", t_start, t_end))

        def client_cpu() -> float:
            total = proc_cpu_seconds("self") or 0.0
            for p in procs:
                total += proc_cpu_seconds(p.pid) or 0.0
            return total

        _sleep_until(t_start, server_alive)
        srv0 = proc_cpu_seconds(server_pid) if server_pid else None
        cli0 = client_cpu()
        real_start = time.monotonic()
        _sleep_until(t_end, server_alive)
        srv1 = proc_cpu_seconds(server_pid) if server_pid else None
        cli1 = client_cpu()
        real_end = time.monotonic()
        # The CPU samples were taken a little after t_start/t_end; the window
        # they cover is real_end - real_start, which is within a few ms of
        # duration_s. Throughput uses the window the senders counted in.
        result = ScenarioResult(signal_name, protocol, workers, window_s=duration_s)
        if srv0 is not None and srv1 is not None:
            result.server_cpu_s = (srv1 - srv0) * duration_s / (real_end - real_start)
        result.client_cpu_s = (cli1 - cli0) * duration_s / (real_end - real_start)

        deadline = t_end + timeout_s + 10
        for conn in conns:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not conn.poll(remaining):
                raise ScenarioError(f"a {protocol} sender did not finish (server not answering?)")
            kind, value = conn.recv()
            if kind == "error":
                raise ScenarioError(f"a {protocol} sender failed:\n{value}")
            result.ok_requests += value["ok_requests"]
            result.ok_items += value["ok_items"]
            result.rejected_items += value["rejected_items"]
            result.sent_bytes += value["sent_bytes"]
            result.total_ok_items += value["total_ok_items"]
            for k, v in value["errors"].items():
                result.errors[k] = result.errors.get(k, 0) + v
            lat = array("d")
            lat.frombytes(value["latencies"])
            result.latencies_s.extend(lat)
        finished = True
        return result
    finally:
        for conn in conns:
            try:
                conn.close()
            except Exception:
                pass
        if not finished:  # interrupted or failed: do not wait for the senders' windows to end
            for p in procs:
                if p.is_alive():
                    p.terminate()
        for p in procs:
            p.join(timeout=2)
            if p.is_alive():
                p.kill()
                p.join(timeout=2)


def _sleep_until(t: float, server_alive=None) -> None:
    while True:
        now = time.monotonic()
        if now >= t:
            return
        if server_alive is not None and not server_alive():
            raise ScenarioError("the server exited during the run")
        time.sleep(min(0.2, t - now))


# --------------------------------------------------------------------------- self-check

def self_check(n_batches: int = 8, batch_size: int = 512) -> None:
    """Payload checks without pytest: decode every pre-encoded request and verify its shape."""
    import test_payloads

    for name in sorted(dir(test_payloads)):
        if name.startswith("test_"):
            fn = getattr(test_payloads, name)
            fn()
            print(f"ok  {name}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        self_check()
    else:
        print("usage: python3 loadgen.py --check   (the benchmark itself is started with ./run)", file=sys.stderr)
        sys.exit(2)
