"""End-to-end fixtures: run the real `kansoku` binary on loopback ports.

The server is started as

    kansoku server --data-dir <tmp> --http-address 127.0.0.1:<p1>
                   --otlp-grpc-address 127.0.0.1:<p2> --otlp-http-address 127.0.0.1:<p3>

(see docs/CONTRACTS.md), with free ports found by binding port 0. Its combined
stdout/stderr goes to a file under `<repo>/test-artifacts/`. Every wait here is
bounded, so a hung server fails a test instead of hanging the suite.

Helpers used by several test modules live here too; test modules import them
with `from conftest import ...` (this directory has no `__init__.py`, so pytest
puts it on `sys.path`).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
DEFAULT_BINARY = REPO_ROOT / ".build" / "debug" / "kansoku"

READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 20.0
KILL_TIMEOUT_S = 10.0
HTTP_TIMEOUT_S = 30.0

# Make the OpenTelemetry SDK and exporters deterministic: no configuration may
# leak in from the developer's or CI's environment, and nothing may go through
# a proxy (grpc and requests both honour *_proxy variables).
for _name in list(os.environ):
    if _name.startswith("OTEL_") or _name.lower() in ("http_proxy", "https_proxy", "all_proxy", "grpc_proxy"):
        del os.environ[_name]
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
os.environ["OTEL_SDK_DISABLED"] = "false"

# Lines that mean the process crashed or hit a Swift runtime trap.
CRASH_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"fatal error",
        r"fatalError",
        r"precondition failed",
        r"assertion failed",
        r"segmentation fault",
        r"illegal instruction",
        r"\bSIGSEGV\b",
        r"\bSIGILL\b",
        r"\bSIGABRT\b",
        r"\bSIGBUS\b",
        r"stack dump",
        r"program crashed",
        r"backtrace",
        r"\bpanic\b",
        r"unexpectedly found nil",
        r"index out of range",
        r"Swift runtime failure",
    )
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(n: int) -> list[int]:
    """`n` distinct free ports; the sockets are held together so they differ."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120]


def new_session() -> requests.Session:
    s = requests.Session()
    s.trust_env = False  # never a proxy, never a .netrc
    return s


class KansokuServer:
    """One data directory and the `kansoku server` processes run on it.

    `start()` / `stop()` / `kill9()` / `restart()` may be called repeatedly;
    each start picks fresh free ports (so a port left in TIME_WAIT or taken by
    someone else in between cannot break a restart) and writes a new log file.
    Read the current addresses from the properties after every (re)start.
    """

    def __init__(self, binary: Path, data_dir: Path, name: str, extra_args: Iterable[str] = ()):
        self.binary = Path(binary)
        self.data_dir = Path(data_dir)
        self.name = _safe_name(name)
        self.extra_args = list(extra_args)
        self.proc: subprocess.Popen | None = None
        self.run_count = 0
        self.log_path: Path | None = None
        self.log_paths: list[Path] = []
        self._log_file = None
        self.http_port = self.grpc_port = self.otlp_http_port = 0
        self.session = new_session()

    # -- addresses ---------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def otlp_http_url(self) -> str:
        return f"http://127.0.0.1:{self.otlp_http_port}"

    @property
    def grpc_target(self) -> str:
        return f"127.0.0.1:{self.grpc_port}"

    def otlp_url(self, signal_name: str) -> str:
        """`http://127.0.0.1:<p3>/v1/<traces|metrics|logs>`."""
        return f"{self.otlp_http_url}/v1/{signal_name}"

    # -- lifecycle ---------------------------------------------------------
    def is_running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        assert not self.is_running(), "server already running"
        if not self.binary.exists():
            pytest.fail(
                f"kansoku binary not found at {self.binary}; build it (swift build) "
                f"or point KANSOKU_BIN at it",
                pytrace=False,
            )
        self.http_port, self.grpc_port, self.otlp_http_port = free_ports(3)
        self.run_count += 1
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = ARTIFACTS_DIR / f"{self.name}.run{self.run_count}.log"
        self.log_paths.append(self.log_path)
        cmd = [
            str(self.binary),
            "server",
            "--data-dir", str(self.data_dir),
            "--http-address", f"127.0.0.1:{self.http_port}",
            "--otlp-grpc-address", f"127.0.0.1:{self.grpc_port}",
            "--otlp-http-address", f"127.0.0.1:{self.otlp_http_port}",
            *self.extra_args,
        ]
        # While working on the UI, KANSOKU_TEST_UI_ASSETS_DIR=Sources/KansokuUI/Assets runs the
        # browser tests against the edited files without rebuilding; CI never sets it.
        if os.environ.get("KANSOKU_TEST_UI_ASSETS_DIR"):
            cmd += ["--ui-assets-dir", os.environ["KANSOKU_TEST_UI_ASSETS_DIR"]]
        env = {k: v for k, v in os.environ.items() if not k.startswith("KANSOKU_")}
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._log_file = open(self.log_path, "wb")
        self._log_file.write(("$ " + " ".join(cmd) + "\n").encode())
        self._log_file.flush()
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=str(self.data_dir.parent),
            start_new_session=True,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        last = "no attempt"
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                self._close_log()
                pytest.fail(
                    f"kansoku exited with status {self.proc.returncode} before becoming ready.\n"
                    f"--- server output ({self.log_path}) ---\n{self.output_tail()}",
                    pytrace=False,
                )
            try:
                r = self.session.get(f"{self.api_url}/-/ready", timeout=2)
                if r.status_code == 200:
                    return
                last = f"HTTP {r.status_code}: {r.text[:200]!r}"
            except requests.RequestException as e:
                last = f"{type(e).__name__}: {e}"
            time.sleep(0.1)
        self.kill9()
        pytest.fail(
            f"kansoku was not ready after {timeout:.0f}s (last GET /-/ready: {last}).\n"
            f"--- server output ({self.log_path}) ---\n{self.output_tail()}",
            pytrace=False,
        )

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> int | None:
        """SIGTERM, then SIGKILL if it has not exited after `timeout` s. Returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._append_log(f"\n[conftest] no exit {timeout:.0f}s after SIGTERM; sending SIGKILL\n")
                self.proc.kill()
                self.proc.wait(timeout=KILL_TIMEOUT_S)
        self._close_log()
        return self.proc.returncode

    def kill9(self) -> None:
        """SIGKILL the server (simulated crash / power loss of the process)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=KILL_TIMEOUT_S)
        self._append_log("\n[conftest] server killed with SIGKILL\n")
        self._close_log()

    def restart(self, graceful: bool = True) -> None:
        """Stop (SIGTERM, or SIGKILL when `graceful` is False) and start again on the same data dir."""
        if graceful:
            self.stop()
        else:
            self.kill9()
        self.start()

    def _append_log(self, text: str) -> None:
        if self._log_file is not None and not self._log_file.closed:
            self._log_file.write(text.encode())
            self._log_file.flush()

    def _close_log(self) -> None:
        if self._log_file is not None and not self._log_file.closed:
            self._log_file.close()

    # -- output ------------------------------------------------------------
    def output(self, run: int | None = None) -> str:
        """Everything the server printed during run `run` (1-based; default: the current run)."""
        path = self.log_path if run is None else self.log_paths[run - 1]
        if path is None or not path.exists():
            return ""
        if self._log_file is not None and not self._log_file.closed:
            self._log_file.flush()
        return path.read_bytes().decode("utf-8", errors="replace")

    def output_tail(self, limit: int = 20000) -> str:
        text = self.output()
        return text if len(text) <= limit else "...\n" + text[-limit:]

    def crash_lines(self, run: int | None = None) -> list[str]:
        return [line for line in self.output(run).splitlines()
                if not line.startswith("[conftest]") and any(p.search(line) for p in CRASH_PATTERNS)]

    # -- debug read endpoint ------------------------------------------------
    def debug(self, signal_name: str, **params: Any) -> list[dict]:
        """Items of `GET /api/kansoku/v1/debug/<signal>` (see docs/CONTRACTS.md)."""
        url = f"{self.api_url}/api/kansoku/v1/debug/{signal_name}"
        try:
            r = self.session.get(url, params=params, timeout=HTTP_TIMEOUT_S)
        except requests.RequestException as e:
            raise AssertionError(self._describe_failure(f"GET {url} {params} failed: {e!r}")) from None
        assert r.status_code == 200, f"GET {r.url} -> HTTP {r.status_code}: {r.text[:2000]!r}"
        try:
            doc = r.json()
        except ValueError:
            raise AssertionError(f"GET {r.url} did not return JSON: {r.text[:2000]!r}")
        assert isinstance(doc, dict) and doc.get("signal") == signal_name and isinstance(doc.get("items"), list), (
            f"GET {r.url}: expected {{'signal': {signal_name!r}, 'items': [...]}}, got {str(doc)[:2000]}"
        )
        return doc["items"]

    def _describe_failure(self, message: str) -> str:
        if self.proc is not None and self.is_running():
            return message + " (the server is still running)"
        # A crashing Swift process takes a few seconds to print its backtrace.
        if self.proc is not None:
            try:
                self.proc.wait(timeout=KILL_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                return message + " (the server is still running)"
        crash = self.crash_lines()
        return (f"{message}\nthe server is no longer running (status {self.proc.returncode if self.proc else None})"
                + ("; crash report:\n  " + "\n  ".join(crash[:8]) if crash else "")
                + f"\nfull output: {self.log_path}")

    def ready_status(self) -> int:
        return self.session.get(f"{self.api_url}/-/ready", timeout=HTTP_TIMEOUT_S).status_code


def _binary() -> Path:
    return Path(os.environ.get("KANSOKU_BIN", str(DEFAULT_BINARY)))


class ServerFactory:
    """Creates servers, each on its own temp data dir; tears all of them down."""

    def __init__(self, base_name: str):
        self.base_name = base_name
        self.servers: list[KansokuServer] = []
        self.tmpdirs: list[str] = []

    def __call__(self, *extra_args: str, name: str | None = None, start: bool = True) -> KansokuServer:
        tmp = tempfile.mkdtemp(prefix="kansoku-interop-")
        self.tmpdirs.append(tmp)
        data_dir = Path(tmp) / "data"
        suffix = f"-{len(self.servers) + 1}" if self.servers else ""
        server = KansokuServer(_binary(), data_dir, name or (self.base_name + suffix), extra_args)
        self.servers.append(server)
        if start:
            server.start()
        return server

    def close(self) -> list[str]:
        problems = []
        for server in self.servers:
            try:
                server.stop()
            except Exception as e:  # keep tearing the others down
                problems.append(f"{server.name}: stop failed: {e!r}")
        for tmp in self.tmpdirs:
            shutil.rmtree(tmp, ignore_errors=True)
        return problems


def _make_factory(request, base_name: str):
    factory = ServerFactory(base_name)

    def finalize():
        factory.close()

    request.addfinalizer(finalize)
    return factory


@pytest.fixture(scope="module")
def module_server_factory(request) -> ServerFactory:
    """Factory for servers that live as long as the test module."""
    return _make_factory(request, request.module.__name__)


@pytest.fixture
def server_factory(request) -> ServerFactory:
    """Factory for servers that live as long as one test."""
    return _make_factory(request, f"{request.module.__name__}.{request.node.name}")


@pytest.fixture(scope="module")
def kansoku(module_server_factory) -> KansokuServer:
    """A running server with default settings, shared by a test module."""
    return module_server_factory()


# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------

def hex_trace_id(value: int) -> str:
    return f"{value:032x}"


def hex_span_id(value: int) -> str:
    return f"{value:016x}"


def normalize(value: Any) -> Any:
    """A comparable form of an attribute value in which bools never equal numbers
    and int/float are the same kind ("number", as the debug JSON has no int/double split),
    tuples are lists."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, (bytes, bytearray)):
        return ("str", base64.b64encode(bytes(value)).decode())  # the contract: bytes -> base64 string
    if value is None:
        return ("null", None)
    if isinstance(value, (list, tuple)):
        return ("array", [normalize(v) for v in value])
    if isinstance(value, dict):
        return ("map", {k: normalize(v) for k, v in value.items()})
    raise TypeError(f"unexpected attribute value {value!r} ({type(value).__name__})")


def assert_attrs_equal(actual: Any, expected: Any, what: str) -> None:
    """Exact equality of attribute maps (value types included, bool is not a number)."""
    assert isinstance(actual, dict), f"{what}: expected a JSON object of attributes, got {actual!r}"
    exp = {k: normalize(v) for k, v in dict(expected or {}).items()}
    act = {k: normalize(v) for k, v in actual.items()}
    if act != exp:
        missing = sorted(set(exp) - set(act))
        extra = sorted(set(act) - set(exp))
        differing = {k: (act[k], exp[k]) for k in sorted(set(act) & set(exp)) if act[k] != exp[k]}
        raise AssertionError(
            f"{what}: attributes differ\n  missing keys: {missing}\n  unexpected keys: {extra}\n"
            f"  differing (actual, expected): {differing}\n  actual: {actual!r}\n  expected: {dict(expected or {})!r}"
        )


def nano(value: Any, what: str) -> int:
    """A `*UnixNano` field: the contract says it is a JSON string holding a uint64."""
    assert isinstance(value, str), f"{what}: expected a JSON string (uint64 as string), got {value!r}"
    assert value.isdigit(), f"{what}: expected decimal digits, got {value!r}"
    return int(value)


def wait_until(predicate, timeout: float, interval: float = 0.05, what: str = "condition") -> None:
    """Bounded poll; raises AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    if not predicate():
        raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


@pytest.fixture(scope="module")
def browser():
    """A headless chromium for the web UI tests (see browser_support.py), one per test module."""
    from browser_support import start_browser

    driver = start_browser()
    yield driver
    driver.quit()
