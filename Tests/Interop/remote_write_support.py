"""Prometheus remote_write 1.0 requests built by hand: a protobuf
`prometheus.WriteRequest` (field numbers from prompb/remote.proto and
types.proto), snappy block-compressed, with the headers Prometheus sends."""

from __future__ import annotations

import struct
from typing import Iterable, Sequence

import cramjam

HEADERS = {
    "Content-Type": "application/x-protobuf",
    "Content-Encoding": "snappy",
    "X-Prometheus-Remote-Write-Version": "0.1.0",
}


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(number: int, wire_type: int, payload: bytes) -> bytes:
    key = _varint((number << 3) | wire_type)
    return key + (_varint(len(payload)) + payload if wire_type == 2 else payload)


def _labels(labels: dict[str, str]) -> bytes:
    return b"".join(_field(1, 2, _field(1, 2, k.encode()) + _field(2, 2, v.encode())) for k, v in sorted(labels.items()))


def series(labels: dict[str, str], samples: Iterable[tuple[int, float]],
           exemplars: Sequence[tuple[dict[str, str], float, int]] = ()) -> bytes:
    """One `TimeSeries`: labels, samples as (timestamp ms, value), exemplars as (labels, value, timestamp ms)."""
    body = _labels(labels)
    for t, v in samples:
        body += _field(2, 2, _field(1, 1, struct.pack("<d", v)) + _field(2, 0, _varint(t)))
    for ex_labels, v, t in exemplars:
        body += _field(3, 2, _labels(ex_labels) + _field(2, 1, struct.pack("<d", v)) + _field(3, 0, _varint(t)))
    return _field(1, 2, body)


def metadata(family: str, kind: int, help_text: str = "", unit: str = "") -> bytes:
    """One `MetricMetadata` (kind: 1 counter, 2 gauge, 3 histogram, 5 summary …)."""
    return _field(3, 2, _field(1, 0, _varint(kind)) + _field(2, 2, family.encode()) + _field(4, 2, help_text.encode())
                  + _field(5, 2, unit.encode()))


def compress(write_request: bytes) -> bytes:
    return bytes(cramjam.snappy.compress_raw(write_request))


def post(session, url: str, write_request: bytes, headers: dict[str, str] | None = None):
    """POSTs a WriteRequest (already serialized) snappy-compressed to `url` (…/api/v1/write)."""
    return session.post(url, data=compress(write_request), headers=headers or HEADERS, timeout=30)
