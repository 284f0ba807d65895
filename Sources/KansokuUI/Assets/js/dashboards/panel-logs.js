// The logs panel: the newest lines of a LogQL query over the time range, with
// their level colour; a line with a trace id links to that trace.

import { loki } from "../api.js";
import { emptyState, h } from "../dom.js";
import { formatDateTime } from "../format.js";
import { LEVEL_COLORS, normalizeLevel } from "../theme.js";
import { activeTargets } from "./panel-query.js";

const LIMIT = 200;
const LEVEL_LABELS = ["level", "detected_level", "severity_text", "severity", "lvl"];
// A trace id written in the line itself, as logfmt or JSON loggers do: trace_id=…, "traceId":"…".
const TRACE_IN_LINE = /\btrace_?id"?\s*[=:]\s*"?([0-9a-f]{32}|[0-9a-f]{16})\b/i;

/** Draws `panel` into `body`; returns null (nothing to clean up). */
export async function renderLogs(body, panel, q) {
  const [target] = activeTargets(panel);
  if (!target) { body.append(emptyState("This panel has no LogQL query yet.")); return null; }
  const data = await loki.queryRange({
    query: q.expr(target.expr), start: `${Math.floor(q.range.start)}000000`, end: `${Math.ceil(q.range.end)}000000`,
    limit: LIMIT, direction: "backward",
  }, { signal: q.signal });
  if (data.resultType !== "streams") {
    body.append(emptyState("This is a metric query: show it in a time series panel."));
    return null;
  }
  const lines = data.result.flatMap((stream) => stream.values.map(([ns, line, metadata]) => ({ ns, line, labels: { ...stream.stream, ...(metadata || {}) } })))
    .sort((a, b) => (BigInt(b.ns) > BigInt(a.ns) ? 1 : BigInt(b.ns) < BigInt(a.ns) ? -1 : 0))
    .slice(0, LIMIT);
  if (!lines.length) { body.append(emptyState("No log lines in this time range.")); return null; }
  body.append(h("div", { class: "dash-logs" }, lines.map(logLine)));
  return null;
}

function logLine({ ns, line, labels }) {
  const level = normalizeLevel(LEVEL_LABELS.map((k) => labels[k]).find(Boolean));
  const traceId = labels.trace_id || labels.traceid || labels.traceID || TRACE_IN_LINE.exec(line)?.[1];
  return h("div", { class: "dash-log-line", style: { borderLeftColor: LEVEL_COLORS[level] } },
    h("span", { class: "dash-log-time mono" }, formatDateTime(Number(BigInt(ns) / 1000000n), { millis: true })),
    h("span", { class: "dash-log-text mono" }, line),
    traceId ? h("a", { class: "dash-log-trace", href: `/ui/traces/${encodeURIComponent(traceId)}`, title: "Open this trace" }, "trace") : null);
}
