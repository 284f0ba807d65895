"""Checks of the traces benchmark's workload (shape and agreement of the two encodings, never speed).

    python3 -m pytest bench/traces -q -p no:cacheprovider
"""

from __future__ import annotations

import atexit
import collections
import os
import shutil
import struct
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import workload  # noqa: E402
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2  # noqa: E402

SPANS = 3000


def _generated():
    tmp = Path(tempfile.mkdtemp(prefix="bench-traces-test-"))
    atexit.register(shutil.rmtree, tmp, True)
    meta = workload.generate(SPANS, 7, 1, tmp, processes=1)
    return meta, next(tmp.iterdir())


META, DIR = _generated()


def _spans():
    for f in workload.files(DIR, "otlp"):
        for body, count in workload.read_frames(f):
            req = trace_service_pb2.ExportTraceServiceRequest.FromString(body)
            assert len(req.resource_spans) == 1
            rs = req.resource_spans[0]
            spans = [s for ss in rs.scope_spans for s in ss.spans]
            assert len(spans) == count <= workload.SPANS_PER_REQUEST
            yield rs.resource, spans


def test_counts_agree_between_otlp_and_clickhouse_frames():
    otlp = sum(len(spans) for _, spans in _spans())
    assert otlp == META["spans"] == SPANS
    for kind in ("ch-index", "ch-model"):
        assert sum(n for f in workload.files(DIR, kind) for _, n in workload.read_frames(f)) == SPANS


def test_realistic_shape():
    services, kinds, attrs, events, errors, traces = set(), collections.Counter(), [], 0, 0, collections.Counter()
    span_ids = set()
    for resource, spans in _spans():
        keys = [kv.key for kv in resource.attributes]
        assert keys == ["service.name", "service.version", "host.name", "k8s.pod.name",
                        "k8s.namespace.name", "deployment.environment"]
        services.add(resource.attributes[0].value.string_value)
        for s in spans:
            kinds[s.kind] += 1
            attrs.append(len(s.attributes))
            events += bool(s.events)
            errors += s.status.code == 2
            traces[s.trace_id] += 1
            assert s.end_time_unix_nano >= s.start_time_unix_nano
            assert META["start_ns"] <= s.start_time_unix_nano <= META["end_ns"]
            span_ids.add(s.span_id)
    assert len(services) >= 12  # of 20; the rarest appear in larger runs
    assert set(kinds) == {1, 2, 3}
    assert min(attrs) >= 10 and max(attrs) <= 11
    assert 0.02 < events / SPANS < 0.09 and 0.01 < errors / SPANS < 0.06
    assert len(span_ids) == SPANS
    assert all(n <= 30 for n in traces.values())
    assert sum(1 for n in traces.values() if n >= 5) >= 0.9 * len(traces)  # the cut last trace may be short


def test_clickhouse_rows_start_with_timestamp_and_trace_id():
    first_otlp = next(_spans())[1][0]
    body, _ = next(workload.read_frames(workload.files(DIR, "ch-model")[0]))
    ts = struct.unpack("<Q", body[:8])[0]
    trace_id = body[8:40].decode()
    assert len(trace_id) == 32 and int(trace_id, 16) > 0
    assert META["start_ns"] <= ts <= META["end_ns"]
    assert first_otlp.trace_id  # the encodings are generated from the same spans (counts checked above)
