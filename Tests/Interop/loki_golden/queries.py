"""The queries of the Loki golden test (see README.md), over the workload in workload.py.

Each entry is one HTTP call to the Loki API:

  kind "log"     GET /loki/api/v1/query_range, a log query (`streams`), with
                 start/end (default the whole workload), limit and direction
  kind "range"   GET /loki/api/v1/query_range, a metric query (`matrix`), with step
  kind "instant" GET /loki/api/v1/query, a metric query at `time` (`vector`/`scalar`)
  kind "labels" / "label_values" / "series"   the metadata endpoints

Times are whole seconds (no line of the workload sits on a whole second).
Ids are stable: a golden file is `goldens/<id>.json`.
"""

from __future__ import annotations

from .workload import END, T0

NGINX_PATTERN = '<ip> - <user> [<_>] "<method> <path> <_>" <status> <size> "<_>" "<agent>" <rt>'
DB_REGEXP = r'\\[(?P<pid>\\d+)\\] (?P<severity>[A-Z]+):\\s+(?:duration: (?P<dur>[0-9.]+) ms)?'
TRACE_ID = None  # filled in below from the workload (a trace id that occurs exactly once)

MID = T0 + 5400  # 10:30:00Z


def _log(id, query, limit=100, direction="backward", start=T0, end=END, note=""):
    return {"id": id, "kind": "log", "query": query, "start": start, "end": end, "limit": limit,
            "direction": direction, "note": note}


def _range(id, query, step, start=T0, end=END, note=""):
    return {"id": id, "kind": "range", "query": query, "start": start, "end": end, "step": step, "note": note}


def _instant(id, query, time=END, note=""):
    return {"id": id, "kind": "instant", "query": query, "time": time, "note": note}


def _trace_id() -> str:
    from .workload import generate
    import json
    for s in generate():
        if s["stream"].get("pod") == "api-1":
            return json.loads(s["values"][200][1])["trace_id"]
    raise AssertionError("no api-1 stream")


def queries() -> list[dict]:
    trace = _trace_id()
    p = NGINX_PATTERN.replace('"', '\\"')
    return [
        # -- stream selectors, limit and direction ---------------------------------------
        _log("log_selector_eq_backward", '{app="nginx"}', limit=50),
        _log("log_selector_two_forward", '{app="nginx", env="prod"}', limit=30, direction="forward"),
        _log("log_selector_regex_neq", '{app=~"api|worker", env!="staging"}', limit=40),
        _log("log_selector_not_regex", '{app!~"nginx|db", pod=~".*-1"}', limit=40, direction="forward"),
        _log("log_window_forward", '{namespace="data"}', limit=1000, direction="forward",
             start=T0 + 3600, end=T0 + 3600 + 1200, note="a 20-minute window, every line"),
        _log("log_window_backward_all", '{app="worker", env="staging"}', limit=1000,
             start=T0 + 600, end=T0 + 4200),
        # -- line filters -----------------------------------------------------------------
        _log("log_filters_chained", '{app="nginx"} |= "POST" != "/login" |~ "HTTP/1\\\\.1\\" 5\\\\d\\\\d"', limit=200),
        _log("log_filter_not_regex", '{app="api"} |= "error" !~ "timeout|refused"', limit=200),
        _log("log_filter_case_insensitive", '{app="nginx", env="staging"} |~ "(?i)MOZILLA" != "Safari"', limit=60,
             direction="forward"),
        _log("log_filter_trace_lookup", f'{{namespace=~".+"}} |= "{trace}"', limit=10,
             note="a trace id lookup over every stream"),
        # -- parsers and label filters -------------------------------------------------------
        _log("log_json_status_duration", '{app="api"} | json | status >= 500 and duration > 500ms', limit=100,
             direction="forward"),
        _log("log_json_or", '{app="api", env="prod"} | json | level="error" or status=429', limit=40),
        _log("log_json_params", '{app="api"} | json region="user.region", code="status" | region="ap-south" '
             '| code=~"4.."', limit=100),
        _log("log_json_nested_flatten", '{app="api", pod="api-s0"} | json | user_region="eu-west" | retries > 0',
             limit=100),
        _log("log_json_bytes_filter", '{app="api"} | json | resp_size > 1MB', limit=40),
        _log("log_logfmt_filters", '{app="worker"} | logfmt | queue="high" and attempts > 1', limit=100),
        _log("log_logfmt_bytes_duration", '{app="worker"} | logfmt | size >= 2MiB, duration < 1s', limit=40),
        _log("log_logfmt_collision", '{app="worker", env="prod"} | logfmt | job_extracted="invoice" | level!="info"',
             limit=100, note="the logfmt key job collides with the stream label job -> job_extracted"),
        _log("log_pattern_status", f'{{app="nginx"}} | pattern "{p}" | status=~"4.." | line_format '
             '"{{.ip}} {{.method}} {{.path}}"', limit=100),
        _log("log_pattern_rt", f'{{app="nginx", env="prod"}} | pattern "{p}" | rt > 1.5 | method!="GET"', limit=100),
        _log("log_regexp", f'{{app="db"}} | regexp "{DB_REGEXP}" | severity="ERROR"', limit=100, direction="forward"),
        _log("log_regexp_number", f'{{app="db"}} | regexp "{DB_REGEXP}" | dur > 20', limit=100),
        _log("log_json_line_format_msg", '{app="api", pod="api-2"} |= "panic" | json | line_format "{{.msg}}"', limit=50),
        _log("log_unpack", '{app="sidecar"} | unpack | container="envoy"', limit=30,
             note="unpack: packed labels become labels, _entry becomes the line"),
        _log("log_unpack_logfmt", '{app="sidecar"} | unpack | logfmt | level=~"warn|error"', limit=30),
        # -- formatting ----------------------------------------------------------------------------
        _log("log_line_format", '{app="api"} | json | line_format "{{.method}} {{.path}} -> {{.status}} in {{.duration}}"',
             limit=40),
        _log("log_line_format_functions", '{app="api", env="staging"} | json | line_format '
             '"{{ .msg | ToUpper }} {{ printf \\"%s/%s\\" .level .user_region }} {{ .path | replace \\"/api/v1/\\" \\"\\" }}"',
             limit=40),
        _log("log_label_format", '{app="api", pod="api-0"} | json | label_format route="{{.method}} {{.path}}", lvl=level '
             '| drop trace_id, user_id, ts, msg, latency_ms, duration, resp_size, retries, worker', limit=60),
        _log("log_drop", '{app="worker", pod="worker-0"} | logfmt | drop trace_id, caller, ts, size, duration', limit=60),
        _log("log_drop_matcher", '{app="worker", pod="worker-0"} | logfmt | drop level="info", trace_id, ts, caller',
             limit=60, note="drop with a matcher only drops the label where it matches"),
        _log("log_json_error", '{app=~"api|db", env="prod"} | json | __error__="JSONParserErr" | drop __error_details__',
             limit=50, note="lines that are not JSON carry __error__"),
        _log("log_json_error_filtered", '{app=~"api|db", env="prod"} | json | __error__="" | level="warn"', limit=50),
        _log("log_json_missing_path", '{app="api", pod="api-s0"} | json code="status", nothing="no.such.field" | code="200"',
             limit=20, note="a path that is not in the line gives an empty label"),
        _log("log_line_format_missing_label", '{app="db"} |= "WARNING" | line_format "[{{.nosuch}}] {{.pod}}"', limit=20,
             note="a label that does not exist prints as the empty string"),
        _log("log_line_format_timestamp", '{app="db"} |= "ERROR" | line_format "{{ __timestamp__ }} {{ .pod }}"', limit=10,
             note="__timestamp__ prints as Go prints a time.Time (UTC here)"),
        _log("log_line_format_sprig", r'{app="worker", env="staging"} | logfmt | line_format `{{ .msg | title }}|'
             r'{{ .job | upper | trunc 3 }}|{{ default "none" .err }}|{{ regexReplaceAll "worker\\.go:(\\d+)" .caller "line ${1}" }}|'
             r'{{ len .trace_id }}|{{ .queue | trimPrefix "hi" }}|{{ substr 0 4 .level }}|{{ hasPrefix "job" .msg }}`',
             limit=40),
        _log("log_line_format_title_path", '{app="api", pod="api-s0"} | json | line_format "{{ .path | title }} {{ .user_region | title }}"',
             limit=20, note="title capitalises after any non-letter, as Go's strings.Title"),
        _log("log_decolorize", '{app="cli"} | decolorize', limit=20),
        _log("log_decolorize_pattern", '{app="cli"} | decolorize | pattern "<level> step <step>/<_> <_>" | level="ERROR"',
             limit=50, direction="forward"),
        _log("log_line_format_then_filter", '{app="worker"} | logfmt | line_format "{{.level}}: {{.msg}}" |= "failed"',
             limit=100),
        _log("log_ip_line_filter_cidr", '{app="nginx"} |= ip("10.0.1.0/24")', limit=100),
        _log("log_ip_line_filter_not_range", '{app="nginx"} != ip("10.0.0.0-10.0.1.255") != ip("10.0.3.200")', limit=100,
             direction="forward"),
        # -- metric queries: range ----------------------------------------------------------------
        _range("range_count_over_time", 'count_over_time({app="nginx"}[5m])', 300),
        _range("range_sum_rate_by_env", 'sum by (env) (rate({app="api"}[10m]))', 600),
        _range("range_bytes_over_time", 'bytes_over_time({app="worker"}[15m])', 900),
        _range("range_bytes_rate_sum", 'sum(bytes_rate({app="nginx"}[5m]))', 120, start=T0 + 1800, end=T0 + 5400),
        _range("range_pattern_by_status", f'sum by (status) (count_over_time({{app="nginx"}} | pattern "{p}" [10m]))', 600),
        _range("range_avg_unwrap_by_pod", 'avg_over_time({app="api"} | json | unwrap latency_ms [10m]) by (pod)', 600),
        _range("range_max_unwrap_duration", 'max_over_time({app="worker"} | logfmt | unwrap duration(duration) [15m]) by (queue)',
               900),
        _range("range_min_unwrap_bytes", 'min_over_time({app="worker", env="prod"} | logfmt | unwrap bytes(size) [30m]) by (job_extracted)',
               1800),
        _range("range_sum_unwrap_regexp", f'sum_over_time({{app="db"}} | regexp "{DB_REGEXP}" | dur != "" | unwrap dur [10m])',
               600),
        _range("range_regexp_empty_group", f'sum by (severity, dur) (count_over_time({{app="db"}} | regexp "{DB_REGEXP}" '
               '| severity!="LOG" [30m]))', 1800, note="an unmatched optional group gives dur=\"\""),
        _range("range_stddev_unwrap", 'stddev_over_time({app="api"} | json | unwrap latency_ms [30m]) by (env)', 1800),
        _range("range_stdvar_unwrap", 'stdvar_over_time({app="api", env="prod"} | json | unwrap retries [1h]) by (pod)', 1800),
        _range("range_quantile_unwrap", f'quantile_over_time(0.95, {{app="nginx"}} | pattern "{p}" | unwrap rt [15m]) by (env)',
               900),
        _range("range_absent_over_time", 'absent_over_time({app="api", pod="api-2"}[5m])', 300,
               note="api-2 stops at T0 + 2 h"),
        _range("range_unpack_by_stage", 'sum by (stage) (count_over_time({app="sidecar"} | unpack [30m]))', 1800),
        _range("range_gap", 'count_over_time({pod="worker-1"}[5m])', 300, note="worker-1 is silent 80..100 min"),
        _range("range_topk", 'topk(2, sum by (pod) (count_over_time({app="api"}[30m])))', 1800),
        _range("range_bottomk", 'bottomk(2, sum by (pod) (count_over_time({namespace=~"web|jobs"}[30m])))', 1800),
        _range("range_ratio", 'sum(rate({app="nginx"} |~ "\\" 5\\\\d\\\\d " [10m])) / sum(rate({app="nginx"}[10m]))', 600),
        _range("range_group_left", 'sum by (level, env) (count_over_time({app="api"} | json [30m])) / ignoring(level) '
               'group_left sum by (env) (count_over_time({app="api"}[30m]))', 1800),
        _range("range_compare_filter", 'sum by (app) (count_over_time({env="prod"}[10m])) > 60', 600),
        _range("range_compare_bool", 'sum by (app) (count_over_time({env="prod"}[10m])) > bool 60', 600),
        _range("range_scalar_arith", 'count_over_time({app="nginx", env="staging"}[10m]) * 2 + 1', 600),
        _range("range_without", 'sum without (pod) (count_over_time({app="worker"}[10m]))', 600),
        _range("range_offset", 'sum by (pod) (count_over_time({app="worker", env="prod"}[5m] offset 10m))', 600),
        _range("range_rate_unwrap", 'sum by (pod) (rate({app="worker", env="prod"} | logfmt | unwrap attempts [10m]))', 600),
        _range("range_rate_grouping_refused", 'rate({app="worker", env="prod"} | logfmt | unwrap attempts [10m]) by (pod)', 600,
               note="Loki refuses grouping on rate (400)"),
        _range("range_odd_step", 'sum by (app) (count_over_time({env="staging"}[7m]))', 420, start=T0 + 960,
               end=T0 + 8000, note="a step that does not divide the range"),
        _range("range_label_replace", 'label_replace(sum by (pod) (count_over_time({app="nginx"}[15m])), "replica", "$1", '
               '"pod", "nginx-(.*)")', 900),
        _range("range_and_unless", 'sum by (pod) (count_over_time({app="api"}[10m])) unless sum by (pod) '
               '(count_over_time({app="api"} |= "panic" [10m]))', 600),
        _range("range_first_last", 'last_over_time({app="api", env="prod"} | json | unwrap latency_ms [10m]) by (pod) - '
               'first_over_time({app="api", env="prod"} | json | unwrap latency_ms [10m]) by (pod)', 600),
        _range("range_or", 'sum by (pod) (count_over_time({app="api", pod="api-2"}[10m])) or '
               'sum by (pod) (count_over_time({app="api", pod="api-0"}[10m]))', 600),
        _range("range_mod_pow", '(count_over_time({app="db"}[10m]) % 7) ^ 2', 600),
        _range("range_eq_filter", 'sum by (app) (count_over_time({app=~"db|cli"}[20m])) == 7', 1200),
        _range("range_decolorize_by_level", 'sum by (level) (count_over_time({app="cli"} | decolorize | '
               'pattern "<level> step <_>" [1h]))', 3600),
        _range("range_ip_label_filter_by_ip", f'sum by (ip) (count_over_time({{app="nginx"}} | pattern "{p}" '
               '| ip = ip("10.0.2.0/23") [30m]))', 1800),
        # -- metric queries: instant -------------------------------------------------------------------
        _instant("instant_sum_by_level", 'sum by (level) (count_over_time({app="api"} | json [15m]))'),
        _instant("instant_avg_by_env", 'avg by (env) (rate({namespace=~".+"}[5m]))', time=MID),
        _instant("instant_max_min", 'max by (app) (count_over_time({env="prod"}[20m])) - min by (app) '
                 '(count_over_time({env="prod"}[20m]))', time=MID),
        _instant("instant_count_by_path", 'count(sum by (path) (count_over_time({app="api"} | json [1h])))'),
        _instant("instant_stddev_agg", 'stddev(sum by (pod) (count_over_time({app="api"}[1h])))', time=MID),
        _instant("instant_topk_path", 'topk(3, sum by (path) (count_over_time({app="nginx"} | pattern '
                 f'"{p}" [3h])))'),
        _instant("instant_sort_desc", 'sort_desc(sum by (pod) (count_over_time({app="worker"}[1h])))'),
        _instant("instant_sort", 'sort(sum by (pod) (count_over_time({app="api"}[1h])))', time=MID),
        _instant("instant_regexp_empty_group", f'count_over_time({{app="db"}} | regexp "{DB_REGEXP}" | severity="WARNING" '
                 '| drop pid [1h])'),
        _instant("instant_topk_by", 'topk(1, sum by (env, pod) (count_over_time({app="api"}[1h]))) by (env)'),
        _instant("instant_absent_never", 'absent_over_time({app="nope", env="prod", pod=~"x.*"}[5m])',
                 note="labels of the equality matchers"),
        _instant("instant_region", 'sum by (user_region) (count_over_time({app="api"} | json [1h]))'),
        _instant("instant_avg_duration_error_filter",
                 'avg_over_time({app="api"} | json | unwrap duration(duration) | __error__="" [30m]) by (level)'),
        _instant("instant_logfmt_filter", 'count_over_time({app="worker"} | logfmt | duration > 2s [1h])', time=MID),
        _instant("instant_method", f'sum by (method) (count_over_time({{app="nginx"}} | pattern "{p}" | method != "GET" [30m]))'),
        _instant("instant_vector_match_on", 'sum by (env) (count_over_time({app="nginx"}[10m])) - on (env) '
                 'sum by (env) (count_over_time({app="api"}[10m]))', time=MID),
        _instant("instant_bytes_rate", 'sum by (app) (bytes_rate({env="prod"}[10m]))', time=MID),
        _instant("instant_quantile_agg", 'quantile_over_time(0.5, {app="db"} | regexp '
                 f'"{DB_REGEXP}" | dur != "" | unwrap dur [3h])'),
        _instant("instant_absent_present", 'absent_over_time({app="api", pod="api-2"}[5m])', time=MID,
                 note="empty: api-2 still logs at MID"),
        _instant("instant_vector_literal", 'vector(1) + sum(count_over_time({app="db"}[1h]))', time=MID),
        _instant("instant_parse_error_refused", 'sum by (app) (count_over_time({app="nginx"}[5m])', time=MID,
                 note="a parse error is a 400"),
        _instant("instant_count_over_time_json_filter",
                 'sum(count_over_time({app="api"} | json | status >= 500 and latency_ms > 400 [3h]))'),
        _instant("instant_ip_label_filter_negated", f'sum by (ip) (count_over_time({{app="nginx"}} | pattern "{p}" '
                 '| ip != ip("10.0.0.0/23") [3h]))'),
        # -- metadata ----------------------------------------------------------------------------------
        {"id": "labels", "kind": "labels", "start": T0, "end": END},
        {"id": "label_values_pod", "kind": "label_values", "name": "pod", "start": T0, "end": END},
        {"id": "label_values_env", "kind": "label_values", "name": "env", "start": T0, "end": END},
        {"id": "series_api", "kind": "series", "match": ['{app="api"}'], "start": T0, "end": END},
        {"id": "series_two", "kind": "series", "match": ['{env="staging"}', '{app="db"}'], "start": T0, "end": END},
    ]


def request(q: dict) -> tuple[str, list[tuple[str, str]]]:
    """The (path, query parameters) of one query."""
    kind = q["kind"]
    if kind == "log":
        return "/loki/api/v1/query_range", [("query", q["query"]), ("start", str(q["start"] * 10**9)),
                                            ("end", str(q["end"] * 10**9)), ("limit", str(q["limit"])),
                                            ("direction", q["direction"])]
    if kind == "range":
        return "/loki/api/v1/query_range", [("query", q["query"]), ("start", str(q["start"] * 10**9)),
                                            ("end", str(q["end"] * 10**9)), ("step", str(q["step"]))]
    if kind == "instant":
        return "/loki/api/v1/query", [("query", q["query"]), ("time", str(q["time"] * 10**9))]
    times = [("start", str(q["start"] * 10**9)), ("end", str(q["end"] * 10**9))]
    if kind == "labels":
        return "/loki/api/v1/labels", times
    if kind == "label_values":
        return f"/loki/api/v1/label/{q['name']}/values", times
    if kind == "series":
        return "/loki/api/v1/series", [("match[]", m) for m in q["match"]] + times
    raise ValueError(kind)
