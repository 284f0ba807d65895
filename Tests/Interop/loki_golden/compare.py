"""Normalisation and comparison of Loki API answers (see README.md, "Ordering and normalisation").

`normalise(query, status, body)` turns one HTTP answer into the form stored in
the golden files; `differences(query, expected, actual)` lists what differs
between two normalised answers (empty when they match).
"""

from __future__ import annotations

import json
import math

REL_TOL = 1e-9
ABS_TOL = 1e-12


def _label_key(labels: dict) -> list:
    return sorted(labels.items())


def _sorted(labels: dict) -> dict:
    """Label maps with their keys in order, so that golden files are stable (Loki's order is random)."""
    return dict(sorted(labels.items()))


def _ordered_vector(query: dict) -> bool:
    """Only a top-level sort/sort_desc orders an instant vector."""
    text = query.get("query", "").lstrip()
    return query["kind"] == "instant" and (text.startswith("sort(") or text.startswith("sort_desc("))


def normalise(query: dict, status: int, text: str) -> dict:
    """{"status": HTTP status, "resultType"/"result" or "data" or "error"}."""
    if status != 200:
        # Error texts differ between Loki versions; only the status is compared.
        return {"status": status, "error": text.strip()}
    body = json.loads(text)
    kind = query["kind"]
    if kind in ("labels", "label_values"):
        return {"status": 200, "data": sorted(body.get("data") or [])}
    if kind == "series":
        return {"status": 200, "data": sorted((_sorted(s) for s in body.get("data") or []), key=_label_key)}
    data = body["data"]
    result_type = data["resultType"]
    result = data["result"]
    if result_type == "streams":
        result = [{"stream": _sorted(s["stream"]), "values": [[v[0], v[1]] for v in s["values"]]} for s in result]
        result.sort(key=lambda s: _label_key(s["stream"]))
    elif result_type == "matrix":
        result = [{"metric": _sorted(s["metric"]), "values": s["values"]} for s in result]
        result.sort(key=lambda s: _label_key(s["metric"]))
    elif result_type == "vector":
        result = [{"metric": _sorted(s["metric"]), "value": s["value"]} for s in result]
        if not _ordered_vector(query):
            result.sort(key=lambda s: _label_key(s["metric"]))
    return {"status": 200, "resultType": result_type, "result": result}


def _float(text) -> float:
    return float(text)


def _close(a, b) -> bool:
    x, y = _float(a), _float(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    return math.isclose(x, y, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def _point_diff(where: str, exp, act) -> list[str]:
    if _float(exp[0]) != _float(act[0]):
        return [f"{where}: timestamp {act[0]} != expected {exp[0]}"]
    if not _close(exp[1], act[1]):
        return [f"{where} @ {exp[0]}: value {act[1]} != expected {exp[1]}"]
    return []


def _short(value) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 400 else text[:400] + "…"


def _label_sets_differ(exp: list, act: list, field: str, noun: str) -> list[str]:
    """One message when the label sets (`field` of each result, in order) are not the same."""
    exp_keys = [_label_key(s[field]) for s in exp]
    act_keys = [_label_key(s[field]) for s in act]
    if exp_keys == act_keys:
        return []
    missing = [dict(k) for k in exp_keys if k not in act_keys]
    extra = [dict(k) for k in act_keys if k not in exp_keys]
    return [f"{noun} differ: missing {_short(missing)}, unexpected {_short(extra)}"]


def differences(query: dict, expected: dict, actual: dict) -> list[str]:
    if expected["status"] != actual["status"]:
        return [f"HTTP status {actual['status']} != expected {expected['status']} "
                f"(expected {_short(expected)}, got {_short(actual)})"]
    if expected["status"] != 200:
        return []
    if "data" in expected:
        if expected["data"] != actual.get("data"):
            return [f"data {_short(actual.get('data'))} != expected {_short(expected['data'])}"]
        return []
    if expected["resultType"] != actual.get("resultType"):
        return [f"resultType {actual.get('resultType')} != expected {expected['resultType']}"]
    rt = expected["resultType"]
    exp, act = expected["result"], actual["result"]
    out: list[str] = []
    if rt == "streams":
        out += _label_sets_differ(exp, act, "stream", "streams")
        for e in exp:
            a = next((s for s in act if s["stream"] == e["stream"]), None)
            if a is None:
                continue
            if e["values"] != a["values"]:
                first = next((i for i, (x, y) in enumerate(zip(e["values"], a["values"])) if x != y),
                             min(len(e["values"]), len(a["values"])))
                out.append(f"stream {_short(e['stream'])}: {len(a['values'])} entries (expected {len(e['values'])}); "
                           f"first difference at {first}: got {_short(a['values'][first:first + 1])}, "
                           f"expected {_short(e['values'][first:first + 1])}")
        return out
    if rt == "matrix":
        out += _label_sets_differ(exp, act, "metric", "series")
        for e in exp:
            a = next((s for s in act if s["metric"] == e["metric"]), None)
            if a is None:
                continue
            where = f"series {_short(e['metric'])}"
            et = [p[0] for p in e["values"]]
            at = [p[0] for p in a["values"]]
            if [_float(t) for t in et] != [_float(t) for t in at]:
                out.append(f"{where}: timestamps {at} != expected {et}")
                continue
            for pe, pa in zip(e["values"], a["values"]):
                out += _point_diff(where, pe, pa)
        return out
    if rt == "vector":
        if len(exp) != len(act):
            out.append(f"{len(act)} samples != expected {len(exp)}: got {_short(act)}, expected {_short(exp)}")
            return out
        if _ordered_vector(query):
            # Positions must hold equal values; labels may differ only among ties.
            for i, (e, a) in enumerate(zip(exp, act)):
                out += _point_diff(f"position {i}", e["value"], a["value"])
            if sorted(_label_key(s["metric"]) for s in exp) != sorted(_label_key(s["metric"]) for s in act):
                out.append(f"label sets differ: got {_short(act)}, expected {_short(exp)}")
            return out
        for e, a in zip(exp, act):
            if e["metric"] != a["metric"]:
                out.append(f"sample labels {_short(a['metric'])} != expected {_short(e['metric'])}")
                continue
            out += _point_diff(f"sample {_short(e['metric'])}", e["value"], a["value"])
        return out
    if rt == "scalar":
        return _point_diff("scalar", exp, act)
    return [f"unknown resultType {rt}"]
