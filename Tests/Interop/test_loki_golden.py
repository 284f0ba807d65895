"""Differential LogQL test against Grafana Loki, through recorded golden answers.

Kansoku receives the workload of `loki_golden/workload.py` (3,457 lines in 13
streams over three hours on 2025-06-02, pushed as Loki push JSON in
15-minute slices: the very bodies Loki was given), then every query of
`loki_golden/queries.py` (log queries with limits and both directions,
metric range and instant queries, labels, label values, series) is run and
its answer compared with the answer Grafana Loki gave to the same pushes and
the same query, stored in `loki_golden/goldens/<id>.json` by
`loki_golden/record.py`. See `loki_golden/README.md` for the Loki version,
its configuration, what is steered clear of, and how to re-record.

Normalisation and ordering (`loki_golden/compare.py`):

  * streams: compared as a set keyed by their label set (Loki does not order
    streams); the entries of each stream must be equal and in the same order
    (the query's direction). Every timestamp of the workload is unique, so
    `limit` selects the same entries in both servers.
  * matrices: series compared as a set keyed by label set; each series must
    have the same timestamps, values equal within a relative tolerance of
    1e-9 (values are strings parsed as floats; NaN equals NaN).
  * vectors: as a set keyed by label set, except under a top-level
    `sort`/`sort_desc`, where the values must match position by position.
  * labels and label values: as sorted lists; series: as a set of label sets.
  * a query Loki refused must be refused with the same HTTP status (the
    error texts are not compared).

Kansoku runs with small WAL segments and a one-second compaction interval, so
most lines are answered from compacted log blocks and the rest from the WAL
tail, and with retention off (the workload is in the past).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conftest import ARTIFACTS_DIR
from loki_golden import compare, queries, workload

GOLDEN_DIR = Path(__file__).resolve().parent / "loki_golden" / "goldens"
QUERIES = queries.queries()


def _golden(qid: str) -> dict:
    path = GOLDEN_DIR / f"{qid}.json"
    assert path.exists(), f"no golden answer {path}; record it with loki_golden/record.py (see its README)"
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def loaded(module_server_factory):
    server = module_server_factory("--wal-segment-bytes", "131072", "--compaction-interval-seconds", "1",
                                   "--logs-retention-hours", "0")
    lines = workload.push(server.session, server.api_url)
    # Pushes are stored when answered; wait for the background compaction to be visible too.
    q = f'sum(count_over_time({{namespace=~".+"}}[{workload.DURATION_S + 60}s]))'
    deadline = time.monotonic() + 30
    got = None
    while time.monotonic() < deadline:
        r = server.session.get(f"{server.api_url}/loki/api/v1/query",
                               params={"query": q, "time": str((workload.END + 30) * 10**9)}, timeout=60)
        assert r.status_code == 200, r.text
        result = r.json()["data"]["result"]
        got = result[0]["value"][1] if result else "0"
        if got == str(lines) and list((server.data_dir / "logs" / "blocks").glob("*.klb")):
            break
        time.sleep(0.2)
    assert got == str(lines), f"only {got} of {lines} lines are queryable"
    return server


def test_goldens_cover_every_query():
    meta = json.loads((GOLDEN_DIR / "_loki.json").read_text())
    assert meta["queries"] == len(QUERIES) >= 30
    on_disk = {p.stem for p in GOLDEN_DIR.glob("*.json")} - {"_loki"}
    assert on_disk == {q["id"] for q in QUERIES}, "goldens and queries.py disagree; re-record (loki_golden/README.md)"
    for q in QUERIES:
        stored = _golden(q["id"])["query"]
        assert stored == {k: v for k, v in q.items() if k != "id"}, (
            f"{q['id']}: the query changed since its golden was recorded; re-record (loki_golden/README.md)")


@pytest.mark.parametrize("q", QUERIES, ids=[q["id"] for q in QUERIES])
def test_query_matches_loki(loaded, q):
    server = loaded
    expected = _golden(q["id"])["answer"]
    path, params = queries.request(q)
    r = server.session.get(server.api_url + path, params=params, timeout=120)
    actual = compare.normalise(q, r.status_code, r.text)
    problems = compare.differences(q, expected, actual)
    if problems:
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS_DIR / f"test_loki_golden.{q['id']}.json").write_text(
            json.dumps({"query": q, "expected": expected, "actual": actual}, indent=1, ensure_ascii=False))
    assert not problems, f"{q['id']}: {q.get('query', path)}\n  " + "\n  ".join(problems[:6])
