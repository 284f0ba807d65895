"""Prometheus remote_write 1.0 into the real server: what is accepted is
queryable through the Prometheus HTTP API, and bad input gets the status codes
Prometheus senders act on (400 is never retried, 429/5xx are), with the valid
rest of a request kept."""

from __future__ import annotations

import math
import struct
import time

from remote_write_support import HEADERS, metadata, post, series


def now_ms() -> int:
    return int(time.time() * 1000) // 1000 * 1000


def write_url(server) -> str:
    return f"{server.api_url}/api/v1/write"


def instant(server, query: str, at_ms: int) -> list[dict]:
    r = server.session.get(f"{server.api_url}/api/v1/query", params={"query": query, "time": at_ms / 1000}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["data"]["result"]


def test_samples_exemplars_and_metadata_are_queryable(kansoku):
    t = now_ms()
    job = f"rw-{t}"
    body = series({"__name__": "rw_requests_total", "job": job, "code": "200"},
                  [(t - 60_000 + i * 15_000, 100.0 + 15 * i) for i in range(5)],
                  exemplars=[({"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}, 1.0, t - 15_000)])
    body += series({"__name__": "rw_requests_total", "job": job, "code": "500"}, [(t - 60_000 + i * 15_000, 7.0) for i in range(5)])
    body += metadata("rw_requests_total", 1, "requests served", "")
    r = post(kansoku.session, write_url(kansoku), body)
    assert r.status_code == 204, r.text

    rate = instant(kansoku, f'sum by (code) (irate(rw_requests_total{{job="{job}"}}[2m]))', t)
    by_code = {e["metric"]["code"]: float(e["value"][1]) for e in rate}
    assert math.isclose(by_code["200"], 1.0, rel_tol=1e-9) and by_code["500"] == 0.0, rate

    r = kansoku.session.get(f"{kansoku.api_url}/api/v1/query_exemplars",
                            params={"query": f'rw_requests_total{{job="{job}"}}', "start": (t - 120_000) / 1000, "end": t / 1000}, timeout=30)
    exemplars = r.json()["data"]
    assert len(exemplars) == 1 and exemplars[0]["exemplars"][0]["labels"] == {"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}, exemplars

    meta = kansoku.session.get(f"{kansoku.api_url}/api/v1/metadata", params={"metric": "rw_requests_total"}, timeout=30).json()["data"]
    assert meta == {"rw_requests_total": [{"type": "counter", "help": "requests served", "unit": ""}]}, meta

    values = kansoku.session.get(f"{kansoku.api_url}/api/v1/label/code/values", params={"match[]": f'{{job="{job}"}}'}, timeout=30).json()
    assert values == {"status": "success", "data": ["200", "500"]}, values


def test_staleness_marker_ends_a_series(kansoku):
    t = now_ms()
    job = f"rw-stale-{t}"
    stale_nan = struct.unpack("<d", (0x7FF0000000000002).to_bytes(8, "little"))[0]
    body = series({"__name__": "rw_gauge", "job": job}, [(t - 60_000, 1.0), (t - 30_000, stale_nan)])
    assert post(kansoku.session, write_url(kansoku), body).status_code == 204
    assert instant(kansoku, f'rw_gauge{{job="{job}"}}', t - 45_000) != []
    assert instant(kansoku, f'rw_gauge{{job="{job}"}}', t) == []


def test_out_of_order_is_400_and_the_rest_is_kept(kansoku):
    t = now_ms()
    job = f"rw-ooo-{t}"
    assert post(kansoku.session, write_url(kansoku), series({"__name__": "rw_g", "job": job}, [(t, 1.0)])).status_code == 204
    body = series({"__name__": "rw_g", "job": job}, [(t - 60_000, 5.0)])
    body += series({"__name__": "rw_other", "job": job}, [(t, 2.0)])
    r = post(kansoku.session, write_url(kansoku), body)
    assert r.status_code == 400 and "out of order sample" in r.text and "rw_g" in r.text, r.text
    assert [float(e["value"][1]) for e in instant(kansoku, f'rw_other{{job="{job}"}}', t)] == [2.0]


def test_invalid_series_are_400_and_the_rest_is_kept(kansoku):
    t = now_ms()
    job = f"rw-bad-{t}"
    body = series({"job": job, "no": "name"}, [(t, 1.0)])
    body += series({"__name__": "rw_ok", "job": job}, [(t, 3.0)])
    r = post(kansoku.session, write_url(kansoku), body)
    assert r.status_code == 400 and "__name__" in r.text, r.text
    assert [float(e["value"][1]) for e in instant(kansoku, f'rw_ok{{job="{job}"}}', t)] == [3.0]


def test_malformed_bodies(kansoku):
    url = write_url(kansoku)
    r = kansoku.session.post(url, data=b"\x00\x01not snappy", headers=HEADERS, timeout=30)
    assert r.status_code == 400 and "snappy" in r.text, r.text
    r = post(kansoku.session, url, b"\x0a\xff\xff\xff\xff\x0f")  # a length running past the end
    assert r.status_code == 400, r.text
    r = post(kansoku.session, url, series({"__name__": "x"}, [(now_ms(), 1.0)]), headers={**HEADERS, "Content-Type": "application/json"})
    assert r.status_code == 415, r.text
    r = post(kansoku.session, url, series({"__name__": "x"}, [(now_ms(), 1.0)]), headers={**HEADERS, "Content-Encoding": "gzip"})
    assert r.status_code == 415 and "snappy" in r.text, r.text
    v2 = {**HEADERS, "Content-Type": "application/x-protobuf;proto=io.prometheus.write.v2.Request"}
    assert post(kansoku.session, url, b"", headers=v2).status_code == 415


def test_limits(server_factory):
    server = server_factory("--metrics-max-series", "2", "--metrics-max-labels-per-series", "3")
    t = now_ms()
    body = series({"__name__": "lim_a", "job": "j"}, [(t, 1.0)])
    body += series({"__name__": "lim_b", "job": "j", "x": "1", "y": "2"}, [(t, 1.0)])
    body += series({"__name__": "lim_c", "job": "j"}, [(t, 1.0)])
    body += series({"__name__": "lim_d", "job": "j"}, [(t, 1.0)])
    r = post(server.session, write_url(server), body)
    assert r.status_code == 400, r.text
    assert "more than 3 labels" in r.text and "series limit of 2" in r.text, r.text
    names = server.session.get(f"{server.api_url}/api/v1/label/__name__/values", timeout=30).json()["data"]
    assert names == ["lim_a", "lim_c"], names


def test_acknowledged_samples_survive_a_kill(server_factory):
    server = server_factory()
    t = now_ms()
    body = series({"__name__": "rw_durable", "job": "d"}, [(t - 15_000 * i, float(i)) for i in range(20, -1, -1)])
    assert post(server.session, write_url(server), body).status_code == 204
    server.kill9()
    server.start()
    server.wait_ready()
    r = server.session.get(f"{server.api_url}/api/v1/query", params={"query": "count_over_time(rw_durable[10m])", "time": t / 1000}, timeout=30)
    assert [e["value"][1] for e in r.json()["data"]["result"]] == ["21"], r.text


def test_graceful_restart_serves_the_persisted_head(server_factory):
    """SIGTERM persists the head as a block; after restart the same answers come from it."""
    server = server_factory()
    t = now_ms()
    body = series({"__name__": "rw_flushed", "job": "f"}, [(t - 15_000 * i, float(i)) for i in range(20, -1, -1)])
    assert post(server.session, write_url(server), body).status_code == 204
    query = {"query": "sum_over_time(rw_flushed[10m])", "time": t / 1000}
    before = server.session.get(f"{server.api_url}/api/v1/query", params=query, timeout=30).json()["data"]["result"]
    server.restart(graceful=True)
    after = server.session.get(f"{server.api_url}/api/v1/query", params=query, timeout=30).json()["data"]["result"]
    assert before == after and before[0]["value"][1] == "210", (before, after)
    assert list((server.data_dir / "metrics" / "blocks").glob("*.kmb")), "no metric block written on shutdown"
