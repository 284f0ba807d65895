"""Checks of the benchmark's pre-encoded payloads (shape and validity, never speed).

Run with `python3 -m pytest bench/otlp-ingest -q` or `python3 bench/otlp-ingest/loadgen.py --check`.
Each check decodes the pre-encoded bytes with the opentelemetry-proto classes
and verifies what the README promises: item counts, attribute counts and
types, unique ids, valid timestamps and histograms.
"""

from __future__ import annotations

import functools
import gzip
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import payloads  # noqa: E402
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2  # noqa: E402
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2  # noqa: E402
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2  # noqa: E402
from opentelemetry.proto.trace.v1 import trace_pb2  # noqa: E402

N_BATCHES = 8
BATCH = 512
RESOURCE_KEYS = {"service.name", "service.version", "host.name", "k8s.pod.name",
                 "k8s.namespace.name", "deployment.environment"}


@functools.lru_cache(maxsize=None)
def _built(signal: str, n_batches: int = N_BATCHES, batch_size: int = BATCH) -> payloads.PayloadSet:
    return payloads.build(signal, n_batches=n_batches, batch_size=batch_size)


def _value_kinds(attributes) -> set[str]:
    return {kv.value.WhichOneof("value") for kv in attributes}


def _check_resource(resource) -> None:
    keys = [kv.key for kv in resource.attributes]
    assert set(keys) == RESOURCE_KEYS and len(keys) == len(RESOURCE_KEYS), keys
    assert all(kv.value.string_value for kv in resource.attributes)


def test_every_signal_has_distinct_batches_of_512_items():
    for signal in payloads.SIGNALS:
        ps = _built(signal)
        assert len(ps.batches) == N_BATCHES
        assert len(set(ps.batches)) == N_BATCHES, f"{signal}: batches are not distinct"
        assert ps.items_per_batch == BATCH
        for b in ps.batches:
            assert payloads.count_items(signal, b) == BATCH


def test_traces_shape():
    seen_trace_ids, seen_span_ids = set(), set()
    for b in _built("traces").batches:
        req = trace_service_pb2.ExportTraceServiceRequest.FromString(b)
        assert len(req.resource_spans) == 1
        _check_resource(req.resource_spans[0].resource)
        spans = [s for ss in req.resource_spans[0].scope_spans for s in ss.spans]
        assert len(spans) == BATCH
        batch_trace_ids = {s.trace_id for s in spans}
        assert not (batch_trace_ids & seen_trace_ids), "trace ids repeat across batches"
        seen_trace_ids |= batch_trace_ids
        by_id = {}
        kinds = set()
        for s in spans:
            assert len(s.trace_id) == 16 and any(s.trace_id)
            assert len(s.span_id) == 8 and any(s.span_id)
            assert s.span_id not in seen_span_ids, "span id repeats"
            seen_span_ids.add(s.span_id)
            by_id[s.span_id] = s
            assert s.name
            assert 0 < s.start_time_unix_nano <= s.end_time_unix_nano
            assert len(s.attributes) == 10
            assert len({kv.key for kv in s.attributes}) == 10
            assert {"string_value", "int_value", "bool_value", "double_value"} <= _value_kinds(s.attributes)
            kinds.add(s.kind)
        assert {trace_pb2.Span.SPAN_KIND_SERVER, trace_pb2.Span.SPAN_KIND_CLIENT,
                trace_pb2.Span.SPAN_KIND_INTERNAL} <= kinds
        roots = [s for s in spans if not s.parent_span_id]
        assert len(roots) == BATCH // payloads.SPANS_PER_TRACE
        for s in spans:
            if s.parent_span_id:
                parent = by_id[s.parent_span_id]
                assert parent.trace_id == s.trace_id
                assert parent.start_time_unix_nano <= s.start_time_unix_nano
                assert s.end_time_unix_nano <= parent.end_time_unix_nano
        server_keys = {kv.key for kv in roots[0].attributes}
        assert {"http.method", "http.route", "url.full", "user_agent.original", "http.status_code"} <= server_keys


def test_logs_shape():
    for b in _built("logs").batches:
        req = logs_service_pb2.ExportLogsServiceRequest.FromString(b)
        assert len(req.resource_logs) == 1
        _check_resource(req.resource_logs[0].resource)
        records = [r for sl in req.resource_logs[0].scope_logs for r in sl.log_records]
        assert len(records) == BATCH
        assert len({r.span_id for r in records}) == BATCH
        for r in records:
            body = r.body.string_value
            assert 180 <= len(body.encode()) <= 220, len(body)
            assert r.severity_number > 0 and r.severity_text
            assert r.time_unix_nano > 0 and r.observed_time_unix_nano >= r.time_unix_nano
            assert len(r.trace_id) == 16 and len(r.span_id) == 8
            assert len(r.attributes) == 5
            assert {"string_value", "int_value", "bool_value", "double_value"} <= _value_kinds(r.attributes)


def test_metrics_shape():
    for b in _built("metrics").batches:
        req = metrics_service_pb2.ExportMetricsServiceRequest.FromString(b)
        assert len(req.resource_metrics) == 1
        _check_resource(req.resource_metrics[0].resource)
        metrics = [m for sm in req.resource_metrics[0].scope_metrics for m in sm.metrics]
        kinds = {}
        names = set()
        total = 0
        for m in metrics:
            kind = m.WhichOneof("data")
            kinds[kind] = kinds.get(kind, 0) + 1
            assert m.name not in names
            names.add(m.name)
            points = getattr(m, kind).data_points
            total += len(points)
            assert len(points) == payloads.METRIC_ATTRIBUTE_SETS
            attr_sets = {tuple((kv.key, kv.value.SerializeToString()) for kv in p.attributes) for p in points}
            assert len(attr_sets) == payloads.METRIC_ATTRIBUTE_SETS, f"{m.name}: attribute sets repeat"
            for p in points:
                assert p.time_unix_nano > 0
                if kind == "histogram":
                    assert len(p.bucket_counts) == len(p.explicit_bounds) + 1
                    assert sum(p.bucket_counts) == p.count
                    assert list(p.explicit_bounds) == sorted(p.explicit_bounds)
                    assert p.min <= p.max
                elif kind == "sum":
                    assert p.start_time_unix_nano < p.time_unix_nano
            if kind in ("sum", "histogram"):
                assert getattr(m, kind).aggregation_temporality != 0
        assert total == BATCH
        assert kinds.get("histogram") == 1
        assert kinds.get("gauge", 0) > 0 and kinds.get("sum", 0) > 0
        assert kinds["gauge"] + kinds["sum"] == BATCH // payloads.METRIC_ATTRIBUTE_SETS - 1


def test_other_batch_sizes_still_count_exactly():
    for signal in payloads.SIGNALS:
        for size in (1, 7, 100, 1000):
            ps = _built(signal, 2, size)
            assert all(payloads.count_items(signal, b) == size for b in ps.batches)


def test_gzipped_payloads_decompress_to_the_originals():
    ps = _built("logs")
    gz = ps.gzipped()
    assert [gzip.decompress(b) for b in gz.batches] == ps.batches


def test_partial_success_is_read_from_responses():
    resp = trace_service_pb2.ExportTraceServiceResponse()
    assert payloads.rejected_items("traces", resp.SerializeToString()) == 0
    resp.partial_success.rejected_spans = 3
    assert payloads.rejected_items("traces", resp.SerializeToString()) == 3
    mresp = metrics_service_pb2.ExportMetricsServiceResponse()
    mresp.partial_success.rejected_data_points = 5
    assert payloads.rejected_items("metrics", mresp.SerializeToString()) == 5
    lresp = logs_service_pb2.ExportLogsServiceResponse()
    lresp.partial_success.rejected_log_records = 7
    assert payloads.rejected_items("logs", lresp.SerializeToString()) == 7
    assert payloads.rejected_items("logs", b"") == 0
