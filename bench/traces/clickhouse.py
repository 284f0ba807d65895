"""ClickHouse side of the traces benchmark: a throwaway server on its own data
directory and ports, a SigNoz-like schema, RowBinary inserts, and the queries.

The schema follows SigNoz's `signoz_index_v2` (one row per span, searchable
columns, attribute and resource maps, events as JSON strings; ORDER BY
(serviceName, hasError, toStartOfHour(timestamp), name, timestamp),
PARTITION BY day) and `signoz_spans` (the whole span as a JSON `model`,
ORDER BY traceID: what SigNoz reads a trace by id from), adapted to what
Debian's ClickHouse 18.16 has: no DateTime64 (timestamps are UInt64
nanoseconds), no Map (maps are parallel key/value arrays), no per-column
codecs (the server compresses every column with zstd, as SigNoz's ZSTD(1)
codecs do for most columns), no data-skipping indexes (so no bloom filter on
traceID in the index table: trace by id reads `spans_model`, as SigNoz does),
LowCardinality behind `allow_experimental_low_cardinality_type`.
"""

from __future__ import annotations

import http.client
import subprocess
import time
import urllib.parse
from pathlib import Path

DAY = "toDate(toDateTime(intDiv(timestamp, 1000000000)))"
HOUR = "toStartOfHour(toDateTime(intDiv(timestamp, 1000000000)))"

SCHEMA = [
    f"""CREATE TABLE spans_index (
    timestamp UInt64,
    traceID FixedString(32),
    spanID String,
    parentSpanID String,
    serviceName LowCardinality(String),
    name LowCardinality(String),
    kind Int8,
    durationNano UInt64,
    statusCode Int16,
    hasError UInt8,
    statusMessage LowCardinality(String),
    httpMethod LowCardinality(String),
    httpRoute LowCardinality(String),
    responseStatusCode LowCardinality(String),
    dbSystem LowCardinality(String),
    peerAddress LowCardinality(String),
    tagKeys Array(LowCardinality(String)),
    tagValues Array(String),
    resourceKeys Array(LowCardinality(String)),
    resourceValues Array(LowCardinality(String)),
    events Array(String)
) ENGINE = MergeTree
PARTITION BY {DAY}
ORDER BY (serviceName, hasError, {HOUR}, name, timestamp)""",
    f"""CREATE TABLE spans_model (
    timestamp UInt64,
    traceID FixedString(32),
    model String
) ENGINE = MergeTree
PARTITION BY {DAY}
ORDER BY traceID""",
]
TABLES = ("spans_index", "spans_model")

CONFIG = """<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>{dir}/server.log</log><errorlog>{dir}/server.err.log</errorlog></logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>{http_port}</http_port>
    <tcp_port>{tcp_port}</tcp_port>
    <path>{data}/</path>
    <tmp_path>{data}/tmp/</tmp_path>
    <user_files_path>{data}/user_files/</user_files_path>
    <format_schema_path>{data}/format_schemas/</format_schema_path>
    <mark_cache_size>1073741824</mark_cache_size>
    <max_concurrent_queries>100</max_concurrent_queries>
    <users_config>{dir}/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <compression><case><method>zstd</method></case></compression>
</yandex>
"""
USERS = """<?xml version="1.0"?>
<yandex>
    <profiles><default>
        <max_memory_usage>8000000000</max_memory_usage>
        <allow_experimental_low_cardinality_type>1</allow_experimental_low_cardinality_type>
    </default></profiles>
    <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
        <profile>default</profile><quota>default</quota></default></users>
    <quotas><default></default></quotas>
</yandex>
"""


class ClickHouseError(Exception):
    pass


def query(port: int, sql: str, body: bytes | None = None, timeout: float = 3600) -> bytes:
    """One statement over the HTTP interface; `body` is appended to an INSERT."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    if body is None:
        c.request("POST", "/", body=sql.encode())
    else:
        c.request("POST", "/?" + urllib.parse.urlencode({"query": sql}), body=body)
    r = c.getresponse()
    data = r.read()
    c.close()
    if r.status != 200:
        raise ClickHouseError(f"HTTP {r.status}: {data[:500].decode(errors='replace')}\n-- {sql[:300]}")
    return data


def write_config(workdir: Path, http_port: int, tcp_port: int) -> Path:
    data = workdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    (workdir / "users.xml").write_text(USERS)
    config = workdir / "config.xml"
    config.write_text(CONFIG.format(dir=workdir, data=data, http_port=http_port, tcp_port=tcp_port))
    return config


def command(binary: str, config: Path) -> list[str]:
    return [binary, f"--config-file={config}"]


def create_tables(port: int) -> None:
    for sql in SCHEMA:
        query(port, sql)


def wait_for_merges(port: int, timeout: float = 3600) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if query(port, "SELECT count() FROM system.merges").strip() == b"0":
            return
        time.sleep(1)


def optimize(port: int) -> None:
    for t in TABLES:
        query(port, f"OPTIMIZE TABLE {t} FINAL")
    wait_for_merges(port)


def parts(port: int) -> dict[str, dict]:
    out = {}
    rows = query(port, "SELECT table, count(), sum(rows), sum(bytes_on_disk) FROM system.parts "
                       "WHERE active AND database = 'default' GROUP BY table FORMAT TabSeparated")
    for line in rows.decode().splitlines():
        table, n, r, b = line.split("\t")
        out[table] = {"parts": int(n), "rows": int(r), "bytes": int(b)}
    return out


def column_sizes(port: int) -> list[tuple[str, str, int, int]]:
    rows = query(port, "SELECT table, name, data_compressed_bytes, data_uncompressed_bytes FROM system.columns "
                       "WHERE database = 'default' ORDER BY table, data_compressed_bytes DESC FORMAT TabSeparated")
    return [(t, n, int(c), int(u)) for t, n, c, u in (l.split("\t") for l in rows.decode().splitlines())]


def trace_by_id(port: int, trace_id: str) -> int:
    """SigNoz's trace-by-id read: the model rows of one trace. Returns the span count."""
    data = query(port, f"SELECT model FROM spans_model WHERE traceID = '{trace_id}' FORMAT TabSeparated")
    return data.count(b"\n")


def search(port: int, service: str, min_duration_ns: int, start_ns: int, end_ns: int, limit: int = 20) -> list[str]:
    """Jaeger's search meaning (as its Elasticsearch store ranks): the `limit` traces whose latest span of
    `service` lasting at least `min_duration_ns` started last, then every span of those traces.
    Returns the trace ids."""
    ids = query(port, f"SELECT traceID, max(timestamp) AS t FROM spans_index WHERE serviceName = '{service}' "
                      f"AND durationNano >= {min_duration_ns} AND timestamp >= {start_ns} AND timestamp <= {end_ns} "
                      f"GROUP BY traceID ORDER BY t DESC, traceID DESC LIMIT {limit} FORMAT TabSeparated").decode().split()[::2]
    if ids:
        listed = ",".join(f"'{i}'" for i in ids)
        query(port, f"SELECT model FROM spans_model WHERE traceID IN ({listed}) FORMAT TabSeparated")
    return ids
