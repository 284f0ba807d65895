"""Loki's live tail, GET /loki/api/v1/tail, as Grafana's Loki data source and
logcli open it: a WebSocket whose text messages are
`{"streams":[{"stream":{…},"values":[["<ns>","<line>"]]}],"dropped_entries":[…]}`.

Lines go in through the Loki push API (JSON); the test reads them back through
the tail with a real WebSocket client (websocket-client): first the recent
lines the query matches (history, oldest first), then lines pushed after the
tail started, filtered by the query's selector and line filter. Bad requests
are refused with a 400 before any upgrade; a plain GET of the same URL answers
the 400 with Loki's message as text.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import uuid

import pytest
import websocket

from conftest import new_session

WAIT_S = 20.0


def push(server, labels: dict[str, str], lines: list[str]) -> list[int]:
    """Pushes `lines` to one stream, 1 ms apart; returns their timestamps (ns)."""
    base = time.time_ns()
    stamps = [base + i * 1_000_000 for i in range(len(lines))]
    body = {"streams": [{"stream": labels, "values": [[str(t), line] for t, line in zip(stamps, lines)]}]}
    answer = new_session().post(f"{server.api_url}/loki/api/v1/push", json=body, timeout=10)
    assert answer.status_code == 204, answer.text
    return stamps


def tail_url(server, **params) -> str:
    return f"ws://127.0.0.1:{server.http_port}/loki/api/v1/tail?" + urllib.parse.urlencode(params)


def receive_lines(socket, count: int) -> list[tuple[dict, str, str]]:
    """(labels, ns, line) of the next `count` entries, failing after WAIT_S."""
    got: list[tuple[dict, str, str]] = []
    deadline = time.monotonic() + WAIT_S
    while len(got) < count:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"timed out waiting for {count} tailed lines; got {got}"
        socket.settimeout(remaining)
        message = json.loads(socket.recv())
        assert set(message) <= {"streams", "dropped_entries"}, message
        assert not message.get("dropped_entries"), message
        for stream in message["streams"]:
            got += [(stream["stream"], ns, line) for ns, line in stream["values"]]
    return got


def assert_quiet(socket, seconds: float = 1.0) -> None:
    """Nothing more arrives for `seconds`."""
    socket.settimeout(seconds)
    with pytest.raises(websocket.WebSocketTimeoutException):
        extra = socket.recv()
        pytest.fail(f"unexpected message: {extra}")


def test_tail_sends_history_then_live_lines_that_match(kansoku):
    app = f"tail-{uuid.uuid4().hex[:8]}"
    labels = {"app": app, "env": "test"}
    history = push(kansoku, labels, ["keep: first", "skip: noise", "keep: second"])
    socket = websocket.create_connection(
        tail_url(kansoku, query=f'{{app="{app}"}} |= "keep"', limit=10, start=history[0] - 1), timeout=WAIT_S)
    try:
        assert receive_lines(socket, 2) == [(labels, str(history[0]), "keep: first"), (labels, str(history[2]), "keep: second")]
        # Live: only lines of the selected stream that pass the line filter arrive.
        push(kansoku, {"app": f"{app}-other", "env": "test"}, ["keep: but another stream"])
        live = push(kansoku, labels, ["skip: live noise", "keep: live one", "keep: live two"])
        assert receive_lines(socket, 2) == [(labels, str(live[1]), "keep: live one"), (labels, str(live[2]), "keep: live two")]
        assert_quiet(socket)
    finally:
        socket.close()


def test_tail_runs_the_pipeline_and_honours_limit(kansoku):
    app = f"tail-{uuid.uuid4().hex[:8]}"
    push(kansoku, {"app": app}, [f"status={s} msg=old{i}" for i, s in enumerate([500, 200, 503, 502])])
    socket = websocket.create_connection(
        tail_url(kansoku, query=f'{{app="{app}"}} | logfmt | status >= 500', limit=2, delay_for=1), timeout=WAIT_S)
    try:
        # The newest two matching history lines, oldest first, with the parsed labels.
        history = receive_lines(socket, 2)
        assert [line for _, _, line in history] == ["status=503 msg=old2", "status=502 msg=old3"]
        assert history[0][0] == {"app": app, "status": "503", "msg": "old2"}
        push(kansoku, {"app": app}, ["status=404 msg=new0", "status=504 msg=new1"])
        (streamed,) = receive_lines(socket, 1)
        assert streamed[0] == {"app": app, "status": "504", "msg": "new1"} and streamed[2] == "status=504 msg=new1"
    finally:
        socket.close()


@pytest.mark.parametrize("params, message", [
    ({"query": '{app="x"'}, "parse error"),
    ({"query": 'count_over_time({app="x"}[1m])'}, "parse error : only log selector is supported"),
    ({"query": '{app="x"}', "delay_for": "6"}, "delay_for can't be greater than 5"),
    ({"query": '{app="x"}', "limit": "0"}, "limit must be a positive value"),
])
def test_bad_tail_requests_are_refused_before_the_upgrade(kansoku, params, message):
    plain = new_session().get(f"{kansoku.api_url}/loki/api/v1/tail", params=params, timeout=10)
    assert plain.status_code == 400 and plain.text.startswith(message), plain.text
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(tail_url(kansoku, **params), timeout=WAIT_S)
    # The refused upgrade carries no body (the WebSocket library answers it); the plain GET above has the message.
    assert refused.value.status_code == 400


def test_plain_http_request_for_a_good_query_is_told_to_use_a_websocket(kansoku):
    answer = new_session().get(f"{kansoku.api_url}/loki/api/v1/tail", params={"query": '{app="x"}'}, timeout=10)
    assert answer.status_code == 400 and "not using the websocket protocol" in answer.text
