"""The Loki query API over what Loki push, OTLP logs and Elasticsearch bulk
stored: query_range (streams and matrix), instant metric queries, labels,
label values, series — answered from the WAL tail and, after compaction,
from log blocks."""

from __future__ import annotations

import json
import time

import pytest


def push(server, streams: list[dict]) -> None:
    r = server.session.post(f"{server.api_url}/loki/api/v1/push", data=json.dumps({"streams": streams}),
                            headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 204, r.text


def query_range(server, query: str, start_ns: int, end_ns: int, **params) -> dict:
    r = server.session.get(f"{server.api_url}/loki/api/v1/query_range",
                           params={"query": query, "start": str(start_ns), "end": str(end_ns), **params}, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "success", body
    return body["data"]


@pytest.fixture(scope="module")
def loaded(module_server_factory):
    server = module_server_factory("--wal-segment-bytes", "65536", "--compaction-interval-seconds", "1")
    base = (int(time.time()) - 600) * 1_000_000_000
    run = f"run{int(time.time() * 1000)}"
    api, web = [], []
    for i in range(300):
        level = "error" if i % 10 == 0 else "info"
        trace = f"{i:032x}"
        api.append([str(base + i * 1_000_000_000), json.dumps({"level": level, "msg": f"request {i}", "duration_ms": i, "trace_id": trace})])
        web.append([str(base + i * 1_000_000_000 + 500), f'10.0.0.{i % 5} - - "GET /page/{i % 3} HTTP/1.1" {500 if i % 50 == 0 else 200} {1000 + i}'])
    push(server, [{"stream": {"app": "api", "env": run}, "values": api}, {"stream": {"app": "web", "env": run}, "values": web}])
    return server, run, base


def test_log_query_backward_with_limit(loaded):
    server, run, base = loaded
    data = query_range(server, f'{{app="api", env="{run}"}} |= "request 29"', base, base + 400_000_000_000, limit=3)
    assert data["resultType"] == "streams"
    values = [v for s in data["result"] for v in s["values"]]
    assert [json.loads(line)["msg"] for _, line in values] == ["request 299", "request 298", "request 297"], values
    assert [int(ts) for ts, _ in values] == sorted((int(ts) for ts, _ in values), reverse=True)


def test_json_parser_and_label_filter(loaded):
    server, run, base = loaded
    data = query_range(server, f'{{app="api", env="{run}"}} | json | level="error" and duration_ms > 200', base,
                       base + 400_000_000_000, limit=1000, direction="forward")
    lines = [json.loads(line)["duration_ms"] for s in data["result"] for _, line in s["values"]]
    assert lines == [210, 220, 230, 240, 250, 260, 270, 280, 290], lines
    assert all(s["stream"]["level"] == "error" for s in data["result"])


def test_metric_query_matrix_and_instant(loaded):
    server, run, base = loaded
    data = query_range(server, f'sum by (app) (count_over_time({{env="{run}"}}[10m]))', base, base + 300_000_000_000,
                       step="300")
    assert data["resultType"] == "matrix"
    last = {s["metric"]["app"]: s["values"][-1] for s in data["result"]}
    assert last["api"][1] == "300" and last["web"][1] == "300", data
    r = server.session.get(f"{server.api_url}/loki/api/v1/query",
                           params={"query": f'count_over_time({{app="web", env="{run}"}} |~ "\\" 500 "[10m])',
                                   "time": str(base + 300_000_000_000)}, timeout=30)
    assert r.status_code == 200, r.text
    assert [e["value"][1] for e in r.json()["data"]["result"]] == ["6"], r.text


def test_labels_values_and_series(loaded):
    server, run, base = loaded
    params = {"start": str(base), "end": str(base + 400_000_000_000)}
    labels = server.session.get(f"{server.api_url}/loki/api/v1/labels", params=params, timeout=30).json()
    assert {"app", "env"} <= set(labels["data"]), labels
    values = server.session.get(f"{server.api_url}/loki/api/v1/label/app/values", params=params, timeout=30).json()
    assert {"api", "web"} <= set(values["data"]), values
    series = server.session.get(f"{server.api_url}/loki/api/v1/series", params={**params, "match[]": f'{{env="{run}"}}'},
                                timeout=30).json()
    assert sorted(s["app"] for s in series["data"]) == ["api", "web"], series


def test_bad_queries_are_400_with_loki_messages(loaded):
    server, run, base = loaded
    r = server.session.get(f"{server.api_url}/loki/api/v1/query_range", params={"query": '{app="api"'}, timeout=30)
    assert r.status_code == 400 and "parse error" in r.text, r.text
    r = server.session.get(f"{server.api_url}/loki/api/v1/query", params={"query": '{app="api"}'}, timeout=30)
    assert r.status_code == 400 and "instant query" in r.text, r.text
    r = server.session.get(f"{server.api_url}/loki/api/v1/query_range", params={"query": '{app="api"}', "direction": "up"}, timeout=30)
    assert r.status_code == 400, r.text


def test_answers_survive_compaction_into_blocks(loaded):
    server, run, base = loaded
    before = query_range(server, f'{{app="web", env="{run}"}} |= "/page/2"', base, base + 400_000_000_000, limit=1000)
    # Fill segments so the ones holding the pushed lines close and compact.
    filler = [[str(base + i), "x" * 1000] for i in range(200)]
    push(server, [{"stream": {"app": "filler", "env": run}, "values": filler}])
    deadline = time.time() + 30
    while time.time() < deadline and not list((server.data_dir / "logs" / "blocks").glob("*.klb")):
        time.sleep(0.2)
    assert list((server.data_dir / "logs" / "blocks").glob("*.klb")), "no log block was written"
    after = query_range(server, f'{{app="web", env="{run}"}} |= "/page/2"', base, base + 400_000_000_000, limit=1000)
    assert after == before and len(after["result"][0]["values"]) == 100


def test_trace_to_logs_lookup(loaded):
    """Kansoku's trace→logs jump: lines naming the trace id (runs after the compaction test: read from the blocks' trace index)."""
    server, run, base = loaded
    trace = f"{123:032x}"
    r = server.session.get(f"{server.api_url}/api/kansoku/v1/traces/{trace}/logs",
                           params={"start": str(base), "end": str(base + 400_000_000_000)}, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    lines = [line for s in body["streams"] for _, line, _ in s["values"]]
    assert body["traceId"] == trace and len(lines) == 1 and json.loads(lines[0])["msg"] == "request 123", body
    r = server.session.get(f"{server.api_url}/api/kansoku/v1/traces/not-hex/logs", timeout=30)
    assert r.status_code == 400, r.text
