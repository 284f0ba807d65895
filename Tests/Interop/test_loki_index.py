"""Loki's index endpoints and LogQL index pushdown end to end: index/stats,
detected_fields, and line-filter / trace-id queries answered from compacted
log blocks (whose token Bloom filter and trace index let them skip data)
exactly as from the WAL."""

from __future__ import annotations

import json
import time

import pytest


def push(server, streams: list[dict]) -> None:
    r = server.session.post(f"{server.api_url}/loki/api/v1/push", data=json.dumps({"streams": streams}),
                            headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 204, r.text


def get(server, path: str, **params):
    return server.session.get(f"{server.api_url}{path}", params=params, timeout=30)


def lines(server, query: str, start: int, end: int) -> list[str]:
    r = get(server, "/loki/api/v1/query_range", query=query, start=str(start), end=str(end), limit="5000", direction="forward")
    assert r.status_code == 200, r.text
    return [line for s in r.json()["data"]["result"] for _, line in s["values"]]


QUERIES = [
    '{{env="{run}"}} |= " quick brown"',          # the needle ends inside "brownfox"
    '{{env="{run}"}} |= "=ERROR in "',
    '{{env="{run}"}} |= "=error in "',
    '{{env="{run}"}} |= "{trace}"',
    '{{env="{run}"}} |= "{embedded}"',
    '{{env="{run}"}} |= " quick brown" or "=ERROR in "',
    '{{env="{run}"}} != "served"',
    '{{env="{run}"}} |~ " quick .*fox "',
    '{{env="{run}"}} | trace_id="{meta}"',
]


@pytest.fixture(scope="module")
def loaded(module_server_factory):
    server = module_server_factory("--wal-segment-bytes", "16384", "--compaction-interval-seconds", "1")
    base = (int(time.time()) - 600) * 1_000_000_000
    run = f"run{int(time.time() * 1000)}"
    trace, embedded, meta = f"{0xABC1:032x}", f"{0xABC2:032x}", f"{0xABC3:032x}"
    streams = []
    for s in range(6):
        values = []
        for i in range(200):
            line = f'level=info msg="request served" path=/items/{i} user=u{(i + s) % 40} status=200'
            entry = [str(base + i * 1_000_000_000 + s), line]
            if (s, i) == (1, 50):
                entry[1] = "rare: the quick brownfox jumps"
            elif (s, i) == (2, 120):
                entry[1] = "Level=ERROR in Payment"
            elif (s, i) == (3, 70):
                entry[1] = f"trace_id={trace} done"
            elif (s, i) == (4, 90):
                entry[1] = f"span:{embedded}ffff"
            elif (s, i) == (5, 10):
                entry.append({"trace_id": meta})
            values.append(entry)
        streams.append({"stream": {"app": f"app{s % 2}", "pod": f"pod{s}", "env": run}, "values": values})
    # One WAL record per push: small pushes spread the lines over several segments, hence blocks.
    for stream in streams:
        for half in (stream["values"][:100], stream["values"][100:]):
            push(server, [{"stream": stream["stream"], "values": half}])
    end = base + 400_000_000_000
    before = {q: lines(server, q.format(run=run, trace=trace, embedded=embedded, meta=meta), base, end) for q in QUERIES}
    # Fill segments so the ones holding the pushed lines close and compact.
    push(server, [{"stream": {"app": "filler", "env": "filler"}, "values": [[str(base + i), "x" * 1000] for i in range(200)]}])
    deadline = time.time() + 30
    while time.time() < deadline and len(list((server.data_dir / "logs" / "blocks").glob("*.klb"))) < 3:
        time.sleep(0.2)
    assert len(list((server.data_dir / "logs" / "blocks").glob("*.klb"))) >= 3, "log blocks were not written"
    return server, run, base, end, before, dict(trace=trace, embedded=embedded, meta=meta)


def test_filters_read_from_blocks_match_the_wal(loaded):
    server, run, base, end, before, ids = loaded
    expected = {
        QUERIES[0]: 1, QUERIES[1]: 1, QUERIES[2]: 0, QUERIES[3]: 1, QUERIES[4]: 1, QUERIES[5]: 2, QUERIES[6]: 4,
        QUERIES[7]: 1, QUERIES[8]: 1,
    }
    for q in QUERIES:
        after = lines(server, q.format(run=run, **ids), base, end)
        assert after == before[q], q
        assert len(after) == expected[q], (q, after)


def test_metric_query_with_line_filter(loaded):
    server, run, base, end, _, _ = loaded
    r = get(server, "/loki/api/v1/query", query=f'sum(count_over_time({{env="{run}"}} |= " quick brown" [10m]))',
            time=str(base + 300_000_000_000))
    assert r.status_code == 200, r.text
    assert [s["value"][1] for s in r.json()["data"]["result"]] == ["1"], r.text


def test_index_stats(loaded):
    server, run, base, end, _, _ = loaded
    r = get(server, "/loki/api/v1/index/stats", query=f'{{env="{run}", app="app1"}}', start=str(base), end=str(end))
    assert r.status_code == 200, r.text
    stats = r.json()
    assert set(stats) == {"streams", "chunks", "entries", "bytes"}, stats
    assert stats["streams"] == 3 and stats["entries"] == 600, stats
    assert stats["chunks"] >= 3 and stats["bytes"] > 600 * 50, stats
    r = get(server, "/loki/api/v1/index/stats", query=f'{{env="{run}"}}', start=str(base), end=str(base + 100_000_000_000))
    part = r.json()
    assert part["streams"] == 6 and 0 < part["entries"] < 1200, part
    r = get(server, "/loki/api/v1/index/stats", query='{env="nothing-here"}', start=str(base), end=str(end))
    assert r.json() == {"streams": 0, "chunks": 0, "entries": 0, "bytes": 0}, r.text
    r = get(server, "/loki/api/v1/index/stats", query=f'{{env="{run}"}} |= "x"')
    assert r.status_code == 400 and "only label matchers are supported" in r.text, r.text


def test_detected_fields(loaded):
    server, run, base, end, _, _ = loaded
    r = get(server, "/loki/api/v1/detected_fields", query=f'{{env="{run}", pod="pod5"}}', start=str(base), end=str(end),
            line_limit="1000")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["limit"] == 1000, body
    fields = {f["label"]: f for f in body["fields"]}
    assert {"level", "msg", "path", "user", "status", "trace_id"} <= set(fields), body
    assert fields["status"] == {"label": "status", "type": "int", "cardinality": 1, "parsers": ["logfmt"]}, fields["status"]
    assert fields["path"]["cardinality"] == 200 and fields["user"]["cardinality"] == 40, fields
    assert fields["trace_id"] == {"label": "trace_id", "type": "string", "cardinality": 1, "parsers": None}, fields["trace_id"]
    r = get(server, "/loki/api/v1/detected_fields", query=f'{{env="{run}"}}', start=str(base), end=str(end), limit="2")
    assert len(r.json()["fields"]) == 2 and r.json()["limit"] == 2, r.text
    r = get(server, "/loki/api/v1/detected_fields", query=f'sum(count_over_time({{env="{run}"}}[1m]))')
    assert r.status_code == 400, r.text

    # One field's values, as Grafana's Logs drilldown asks for them.
    r = get(server, "/loki/api/v1/detected_field/status/values", query=f'{{env="{run}", pod="pod5"}}', start=str(base),
            end=str(end), line_limit="1000")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["limit"] == 1000 and len(body["values"]) == fields["status"]["cardinality"] == 1, body
    assert body["values"][0].isdigit(), body
    r = get(server, "/loki/api/v1/detected_field/user/values", query=f'{{env="{run}", pod="pod5"}}', start=str(base),
            end=str(end), line_limit="1000", limit="5")
    assert len(r.json()["values"]) == 5 and r.json()["values"] == sorted(r.json()["values"]), r.text
