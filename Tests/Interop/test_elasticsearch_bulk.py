"""Elasticsearch `_bulk` as Fluent Bit's `es` output and Filebeat send it,
under the `/elasticsearch` prefix of the API port; records read back through
the debug endpoint."""

from __future__ import annotations

import json
import secrets

from conftest import new_session

PREFIX = "/elasticsearch"


def ndjson(*objects) -> bytes:
    return ("\n".join(json.dumps(o) for o in objects) + "\n").encode()


def test_probes_look_like_elasticsearch(kansoku):
    s = new_session()
    r = s.get(f"{kansoku.api_url}{PREFIX}/", timeout=10)
    assert r.status_code == 200 and r.headers.get("X-Elastic-Product") == "Elasticsearch", r.text
    assert r.json()["version"]["number"].startswith("8."), r.text
    assert s.get(f"{kansoku.api_url}{PREFIX}/_license", timeout=10).status_code == 200
    assert s.head(f"{kansoku.api_url}{PREFIX}/_index_template/filebeat-8.11.0", timeout=10).status_code == 200


def test_fluent_bit_shaped_bulk_is_stored(kansoku):
    pod = f"checkout-{secrets.token_hex(4)}"
    body = ndjson(
        {"create": {"_index": "fluent-bit"}},
        {"@timestamp": "2026-11-21T10:00:00.123456789Z", "log": "GET /cart 200 12ms", "stream": "stdout",
         "kubernetes": {"namespace_name": "shop", "pod_name": pod, "container_name": "app"}},
        {"create": {"_index": "fluent-bit"}},
        {"@timestamp": "2026-11-21T10:00:01.000Z", "log": "payment failed", "level": "error",
         "kubernetes": {"namespace_name": "shop", "pod_name": pod, "container_name": "app"}},
    )
    r = new_session().post(f"{kansoku.api_url}{PREFIX}/_bulk", data=body,
                           headers={"Content-Type": "application/x-ndjson"}, timeout=30)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["errors"] is False and [i["create"]["status"] for i in answer["items"]] == [201, 201], answer

    stored = [i for i in kansoku.debug("logs") if i["resource"].get("k8s.pod.name") == pod]
    assert [i["body"] for i in stored] == ["GET /cart 200 12ms", "payment failed"], stored
    first, second = stored
    assert first["timeUnixNano"] == "1795255200123456789", first["timeUnixNano"]
    assert first["resource"]["k8s.namespace.name"] == "shop" and first["resource"]["k8s.container.name"] == "app"
    assert first["attributes"]["stream"] == "stdout"
    assert second["severityText"] == "error" and second["severityNumber"] == 17


def test_filebeat_shaped_bulk_with_failing_items(kansoku):
    host = f"node-{secrets.token_hex(4)}"
    body = ndjson(
        {"index": {}},
        {"@timestamp": "2026-11-21T10:00:02.500Z", "message": "user logged in", "log": {"level": "info"},
         "host": {"name": host}, "kubernetes": {"pod": {"name": "auth-0"}, "namespace": "iam"}},
        {"delete": {"_id": "1"}},
        {"index": {}},
    ) + b"{not json\n"
    r = new_session().post(f"{kansoku.api_url}{PREFIX}/filebeat-8.11.0/_bulk", data=body,
                           headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 200, r.text
    answer = r.json()
    statuses = [next(iter(item.values()))["status"] for item in answer["items"]]
    assert answer["errors"] is True and statuses == [201, 400, 400], answer

    stored = [i for i in kansoku.debug("logs") if i["resource"].get("host.name") == host]
    assert len(stored) == 1, stored
    record = stored[0]
    assert record["body"] == "user logged in" and record["severityNumber"] == 9
    assert record["resource"]["k8s.pod.name"] == "auth-0" and record["resource"]["k8s.namespace.name"] == "iam"
    assert record["resource"]["elasticsearch.index"] == "filebeat-8.11.0"


def test_empty_bulk_body_is_an_error(kansoku):
    r = new_session().post(f"{kansoku.api_url}{PREFIX}/_bulk", data=b"", timeout=10)
    assert r.status_code == 400 and "request body is required" in r.text, f"{r.status_code} {r.text}"
