#!/usr/bin/env python3
"""Records the golden answers of the Loki golden test from a real Grafana Loki.

    python3 Tests/Interop/loki_golden/record.py --loki-url http://127.0.0.1:3100
    python3 Tests/Interop/loki_golden/record.py --loki-bin /path/to/loki

With --loki-url the Loki must be running, empty, and configured as README.md
describes (old samples accepted, ingesters queried for all time, no query
splitting or result caching). With --loki-bin the script starts that binary
itself on loopback ports, with such a configuration, in a temporary directory,
and stops it afterwards. Either way it pushes the workload (workload.py), waits
until every line is queryable, runs every query (queries.py) and writes one
normalised answer per query to goldens/<id>.json, plus goldens/_loki.json
naming the Loki version the answers came from. Loki itself is never part of
this repository; bring your own binary.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loki_golden import compare, queries, workload  # noqa: E402

GOLDEN_DIR = Path(__file__).resolve().parent / "goldens"

LOKI_CONFIG = """\
auth_enabled: false
server:
  http_listen_address: 127.0.0.1
  http_listen_port: {http_port}
  grpc_listen_address: 127.0.0.1
  grpc_listen_port: {grpc_port}
  log_level: warn
common:
  path_prefix: {data}
  replication_factor: 1
  instance_addr: 127.0.0.1
  ring:
    kvstore:
      store: inmemory
  storage:
    filesystem:
      chunks_directory: {data}/chunks
      rules_directory: {data}/rules
schema_config:
  configs:
    - from: 2020-01-01
      store: tsdb
      object_store: filesystem
      schema: v12
      index:
        prefix: index_
        period: 24h
storage_config:
  tsdb_shipper:
    active_index_directory: {data}/tsdb-index
    cache_location: {data}/tsdb-cache
    shared_store: filesystem
limits_config:
  reject_old_samples: false
  max_query_length: 0
  max_query_lookback: 0
  ingestion_rate_mb: 64
  ingestion_burst_size_mb: 128
  per_stream_rate_limit: 64MB
  per_stream_rate_limit_burst: 128MB
  max_entries_limit_per_query: 100000
  max_query_series: 100000
  split_queries_by_interval: 0
  unordered_writes: true
querier:
  query_ingesters_within: 0
ingester:
  max_chunk_age: 24h
  query_store_max_look_back_period: -1
  chunk_idle_period: 24h
  lifecycler:
    final_sleep: 0s
    min_ready_duration: 0s
query_range:
  align_queries_with_step: false
  cache_results: false
  parallelise_shardable_queries: false
analytics:
  reporting_enabled: false
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_loki(binary: str, workdir: Path) -> tuple[subprocess.Popen, str]:
    http_port, grpc_port = _free_port(), _free_port()
    data = workdir / "data"
    data.mkdir(parents=True)
    config = workdir / "loki.yaml"
    config.write_text(LOKI_CONFIG.format(http_port=http_port, grpc_port=grpc_port, data=data))
    log = open(workdir / "loki.log", "wb")
    proc = subprocess.Popen([binary, f"-config.file={config}"], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{http_port}"
    session = requests.Session()
    session.trust_env = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"loki exited with {proc.returncode}; see {workdir / 'loki.log'}")
        try:
            if session.get(f"{url}/ready", timeout=2).status_code == 200:
                return proc, url
        except requests.RequestException:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("loki did not become ready in 120 s")


def wait_ingested(session, url: str, lines: int, timeout: float = 60) -> None:
    """Until `sum(count_over_time(...))` over the whole workload counts every line."""
    q = f'sum(count_over_time({{namespace=~".+"}}[{workload.DURATION_S + 60}s]))'
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        r = session.get(f"{url}/loki/api/v1/query", params={"query": q, "time": str((workload.END + 30) * 10**9)},
                        timeout=60)
        if r.status_code == 200:
            result = r.json()["data"]["result"]
            last = result[0]["value"][1] if result else "0"
            if last == str(lines):
                return
        else:
            last = f"HTTP {r.status_code}: {r.text[:200]}"
        time.sleep(0.5)
    raise SystemExit(f"only {last} of {lines} lines became queryable")


def run_query(session, url: str, q: dict) -> dict:
    path, params = queries.request(q)
    r = session.get(url + path, params=params, timeout=120)
    return compare.normalise(q, r.status_code, r.text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--loki-url", help="a running, empty Loki configured as README.md says")
    group.add_argument("--loki-bin", help="a Loki binary to start with the configuration above")
    parser.add_argument("--out", default=str(GOLDEN_DIR), help="where to write the golden files")
    args = parser.parse_args()

    session = requests.Session()
    session.trust_env = False
    proc = None
    workdir = None
    try:
        if args.loki_bin:
            workdir = Path(tempfile.mkdtemp(prefix="loki-golden-"))
            proc, url = start_loki(args.loki_bin, workdir)
        else:
            url = args.loki_url.rstrip("/")
        build = session.get(f"{url}/loki/api/v1/status/buildinfo", timeout=10)
        buildinfo = build.json() if build.status_code == 200 else {"error": build.text}
        lines = workload.push(session, url)
        wait_ingested(session, url, lines)
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.json"):
            old.unlink()
        all_queries = queries.queries()
        ids = [q["id"] for q in all_queries]
        assert len(ids) == len(set(ids)), "query ids must be unique"
        refused = []
        for q in all_queries:
            answer = run_query(session, url, q)
            if answer["status"] != 200:
                refused.append(f"{q['id']}: {answer['status']} {answer['error'][:200]}")
            doc = {"id": q["id"], "query": {k: v for k, v in q.items() if k != "id"}, "answer": answer}
            (out / f"{q['id']}.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
        meta = {"loki_buildinfo": buildinfo, "lines": lines, "queries": len(all_queries),
                "recorded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        (out / "_loki.json").write_text(json.dumps(meta, indent=1) + "\n")
        print(f"recorded {len(all_queries)} answers from Loki {buildinfo.get('version')} ({lines} lines) into {out}")
        for line in refused:
            print("  refused by Loki:", line)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if workdir is not None and not os.environ.get("KEEP_LOKI_DIR"):
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
