"""Dashboards API (/api/kansoku/v1/dashboards) against the real binary:
create, list, get, update with the version check, delete, the JSON errors
with their status codes, and dashboards surviving a restart and a crash
(they are files in the data directory, written atomically)."""

from __future__ import annotations

import json

BASE = "/api/kansoku/v1/dashboards"


def call(kansoku, method: str, path: str = "", body=None, raw: bytes | None = None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    r = kansoku.session.request(method, f"{kansoku.api_url}{BASE}{path}", data=data,
                                headers={"Content-Type": "application/json"}, timeout=30)
    return r.status_code, (r.json() if r.content else None)


def assert_error(answer, status: int, fragment: str):
    got, body = answer
    assert got == status, f"expected HTTP {status}, got {got}: {body}"
    assert body["status"] == "error" and fragment in body["error"], f"expected an error mentioning {fragment!r}: {body}"


PANEL = {"id": 1, "title": "Requests", "type": "timeseries", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
         "targets": [{"expr": 'sum by (job) (rate(http_requests_total{job="$job"}[5m]))', "legendFormat": "{{job}}"}],
         "fieldConfig": {"defaults": {"unit": "reqps"}}}


def test_lifecycle_and_version_check(kansoku):
    status, created = call(kansoku, "POST", body={"title": "API round trip", "tags": ["a", "b"], "panels": [PANEL]})
    assert status == 201, created
    uid, version = created["uid"], created["version"]
    assert version == 1 and created["panels"] == [PANEL] and created["updated"]

    status, listed = call(kansoku, "GET")
    assert status == 200
    entry = next(d for d in listed["dashboards"] if d["uid"] == uid)
    assert entry == {"uid": uid, "title": "API round trip", "tags": ["a", "b"], "version": 1, "updated": created["updated"]}

    status, fetched = call(kansoku, "GET", f"/{uid}")
    assert status == 200 and fetched == created

    edited = dict(fetched, title="API round trip, edited")
    status, saved = call(kansoku, "PUT", f"/{uid}", edited)
    assert status == 200 and saved["version"] == 2 and saved["title"] == "API round trip, edited"

    # A second editor still holding version 1 must not overwrite the first one's save.
    assert_error(call(kansoku, "PUT", f"/{uid}", dict(fetched, title="stale")), 409, "changed by someone else")
    assert call(kansoku, "GET", f"/{uid}")[1]["title"] == "API round trip, edited"

    status, _ = call(kansoku, "DELETE", f"/{uid}")
    assert status == 204
    assert_error(call(kansoku, "GET", f"/{uid}"), 404, uid)


def test_refusals(kansoku):
    assert call(kansoku, "POST", body={"uid": "taken", "title": "First"})[0] == 201
    assert_error(call(kansoku, "POST", body={"uid": "taken", "title": "Second"}), 409, "already exists")
    assert_error(call(kansoku, "POST", raw=b'{"title": "cut'), 400, "not valid JSON")
    assert_error(call(kansoku, "POST", body=["not", "an", "object"]), 400, "must be a JSON object")
    assert_error(call(kansoku, "POST", body={"panels": []}), 400, '"title" must be a non-empty string')
    assert_error(call(kansoku, "POST", body={"title": "x", "panels": {"id": 1}}), 400, '"panels" must be an array')
    assert_error(call(kansoku, "POST", body={"title": "x", "uid": "../../etc"}), 400, "invalid dashboard uid")
    assert_error(call(kansoku, "PUT", "/taken", {"title": "no version"}), 400, '"version"')
    assert_error(call(kansoku, "PUT", "/unknown", {"title": "x", "version": 1}), 404, 'no dashboard with uid "unknown"')
    assert_error(call(kansoku, "DELETE", "/unknown"), 404, "unknown")
    big = {"title": "big", "padding": "x" * (1 << 20)}
    assert_error(call(kansoku, "POST", body=big), 413, "limit")


def test_dashboards_survive_restart_and_crash(kansoku):
    status, kept = call(kansoku, "POST", body={"uid": "survivor", "title": "Survivor", "panels": [PANEL]})
    assert status == 201, kept
    status, kept = call(kansoku, "PUT", "/survivor", dict(kept, title="Survivor v2"))
    assert status == 200 and kept["version"] == 2

    kansoku.restart()
    status, after_restart = call(kansoku, "GET", "/survivor")
    assert status == 200 and after_restart == kept

    status, kept = call(kansoku, "PUT", "/survivor", dict(after_restart, title="Survivor v3"))
    assert status == 200 and kept["version"] == 3
    kansoku.restart(graceful=False)  # SIGKILL: an acknowledged save is already on disk
    status, after_crash = call(kansoku, "GET", "/survivor")
    assert status == 200 and after_crash == kept
    assert_error(call(kansoku, "PUT", "/survivor", dict(after_restart, title="stale")), 409, "version 3 is stored")
    assert not list((kansoku.data_dir / "dashboards").glob("*.tmp")), "no temporary file is left behind"
    assert not kansoku.crash_lines()
