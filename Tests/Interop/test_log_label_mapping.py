"""Logs: which OTLP resource attributes become Loki stream labels is
configuration (`logs.stream_label_attributes`, `logs.default_service_name`),
checked end to end: OTLP/HTTP JSON in, the Loki API out."""

from __future__ import annotations

import subprocess
import time
import uuid

from conftest import free_port


def push(server, resource_attributes: dict[str, str], line: str) -> None:
    body = {"resourceLogs": [{
        "resource": {"attributes": [{"key": k, "value": {"stringValue": v}} for k, v in resource_attributes.items()]},
        "scopeLogs": [{"logRecords": [{"timeUnixNano": str(time.time_ns()), "body": {"stringValue": line}}]}],
    }]}
    response = server.session.post(server.otlp_url("logs"), json=body, timeout=10)
    assert response.status_code == 200, response.text


def streams(server, query: str) -> list[dict]:
    now = time.time_ns()
    response = server.session.get(f"{server.api_url}/loki/api/v1/query_range",
                                  params={"query": query, "start": str(now - 600 * 10**9), "end": str(now + 10**9)}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["data"]["result"]


def series(server, selector: str) -> list[dict]:
    """The stream label sets (no structured metadata, which query results also show) matching `selector`."""
    now = time.time_ns()
    response = server.session.get(f"{server.api_url}/loki/api/v1/series",
                                  params={"match[]": selector, "start": str(now - 600 * 10**9), "end": str(now + 10**9)}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_configured_attributes_become_the_stream_labels(server_factory):
    server = server_factory("--logs-stream-label-attributes", "team, service.name", "--logs-default-service-name", "")
    run = uuid.uuid4().hex[:8]
    push(server, {"service.name": f"billing-{run}", "team": "payments", "k8s.pod.name": "pod-1"}, f"charged {run}")
    push(server, {"host.name": "h1"}, f"no labels {run}")

    # k8s.pod.name is a label by default, but not in this configuration: it is structured metadata.
    assert series(server, f'{{service_name="billing-{run}"}}') == [{"service_name": f"billing-{run}", "team": "payments"}]
    found = streams(server, f'{{team="payments", service_name="billing-{run}"}}')
    assert any(f"charged {run}" in value[1] for stream in found for value in stream["values"])
    assert found[0]["stream"].get("k8s_pod_name") == "pod-1", "structured metadata still comes with the lines"

    labels = server.session.get(f"{server.api_url}/loki/api/v1/labels", timeout=10).json()["data"]
    assert "team" in labels and "k8s_pod_name" not in labels and "host_name" not in labels


def test_defaults_keep_the_documented_mapping(server_factory):
    server = server_factory()
    run = uuid.uuid4().hex[:8]
    push(server, {"service.name": f"billing-{run}", "team": "payments", "k8s.pod.name": "pod-1"}, f"charged {run}")
    push(server, {"cloud.region": "eu-1"}, f"nameless {run}")  # dotted: not mistaken for a Loki stream

    assert series(server, f'{{service_name="billing-{run}"}}') == [{"service_name": f"billing-{run}", "k8s_pod_name": "pod-1"}]
    assert streams(server, f'{{service_name="unknown_service"}} |= "nameless {run}"'), "the default service name labels the rest"


def test_a_bad_list_is_refused_at_start(server_factory):
    server = server_factory(start=False)
    result = subprocess.run([str(server.binary), "server", "--data-dir", str(server.data_dir),
                             "--logs-stream-label-attributes", "team,,service.name",
                             "--http-address", f"127.0.0.1:{free_port()}", "--otlp-grpc-address", f"127.0.0.1:{free_port()}",
                             "--otlp-http-address", f"127.0.0.1:{free_port()}"], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "logs.stream_label_attributes" in result.stderr and "empty" in result.stderr, result.stderr
