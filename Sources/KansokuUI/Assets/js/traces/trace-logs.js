// "Logs for this trace": every log line that carries the trace's id
// (/api/kansoku/v1/traces/{id}/logs), oldest first. A line with the id of a
// span of the trace selects that span; the lines of the selected span are
// highlighted. A link opens the same lines in the logs view.

import { kansoku } from "../api.js";
import { emptyState, errorBox, h, loading, replaceChildren } from "../dom.js";
import { formatDateTime } from "../format.js";
import { LEVEL_COLORS, normalizeLevel } from "../theme.js";
import { epochMillis } from "./trace-model.js";
import { serviceColor } from "./service-colors.js";

const LOGS_MARGIN_MS = 15 * 60e3; // logs are often written a little before or after the spans

/** The LogQL that finds this trace's lines in the logs view. */
function traceLogQL(model) {
  const quote = (text) => text.replace(/[\\"]/g, "\\$&");
  const regex = (text) => text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
  const selector = model.services.length === 1
    ? `service_name="${quote(model.services[0])}"`
    : `service_name=~"${quote(model.services.map(regex).join("|"))}"`;
  return `{${selector}} | trace_id="${model.traceId}"`;
}

/** The logs view's URL for this trace's lines, the window padded by LOGS_MARGIN_MS. */
function logsViewHref(model) {
  const start = Math.floor(epochMillis(model) - LOGS_MARGIN_MS);
  const end = Math.ceil(epochMillis(model, model.durationNs) + LOGS_MARGIN_MS);
  return `/ui/logs?${new URLSearchParams({ query: traceLogQL(model), from: String(start), to: String(end) })}`;
}

/**
 * The panel for `model` (trace-model.js). `onSelectSpan(spanId)` is called
 * when a line of a known span is clicked. Returns `{element, highlight(spanId)}`.
 */
export function traceLogsPanel(model, { signal, onSelectSpan }) {
  const count = h("span", { class: "count" });
  const body = h("div", { class: "trace-logs-body" }, loading("Loading logs…"));
  const element = h("section", { class: "panel trace-logs", "aria-label": "Logs for this trace" },
    h("header", {}, h("h2", {}, "Logs for this trace"), count, h("span", { class: "spacer" }),
      h("a", { href: logsViewHref(model), class: "open-in-logs" }, "Open in Logs ↗")),
    body);
  let rows = [];

  // The whole trace's days, so an old trace's logs are found too (the server's default is the last 7 days).
  const startNs = model.startNs - 86_400_000_000_000n;
  const endNs = model.startNs + BigInt(Math.ceil(model.durationNs)) + 86_400_000_000_000n;
  kansoku.traceLogs(model.traceId, { start: String(startNs), end: String(endNs) }, { signal })
    .then((streams) => {
      const lines = flatten(streams);
      count.textContent = String(lines.length);
      if (!lines.length) {
        replaceChildren(body, emptyState("No log lines carry this trace's id."));
        return;
      }
      rows = lines.map((line) => logRow(line, model, onSelectSpan));
      replaceChildren(body, h("div", { class: "trace-log-lines", role: "list" }, rows));
    })
    .catch((error) => { if (error.name !== "AbortError") replaceChildren(body, errorBox(error, "Loading the trace's logs failed")); });

  return {
    element,
    highlight(spanId) {
      for (const row of rows) row.classList.toggle("selected", Boolean(spanId) && row.dataset.spanId === spanId);
    },
  };
}

/** Every entry of every stream, oldest first: `{nanos (BigInt), line, labels, metadata}`. */
function flatten(streams) {
  const lines = [];
  for (const stream of streams) {
    for (const [nanos, line, metadata = {}] of stream.values) {
      lines.push({ nanos: BigInt(nanos), line, labels: stream.stream || {}, metadata });
    }
  }
  return lines.sort((a, b) => (a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0));
}

function logRow(entry, model, onSelectSpan) {
  const level = normalizeLevel(entry.metadata.detected_level || entry.metadata.severity_text || entry.labels.level || "");
  const spanId = entry.metadata.span_id || "";
  const span = model.byId.get(spanId);
  const ms = Number(entry.nanos / 1_000_000n);
  const service = entry.labels.service_name || "";
  return h("div", {
    class: `trace-log-line level-${level}${span ? " has-span" : ""}`, role: "listitem",
    dataset: { spanId, level }, tabindex: span ? "0" : null,
    title: span ? `Select span ${span.service}: ${span.name}` : null,
    onclick: span ? () => onSelectSpan(span.id) : null,
    onkeydown: span ? (event) => { if (event.key === "Enter") onSelectSpan(span.id); } : null,
  },
  h("span", { class: "ll-level", style: { background: LEVEL_COLORS[level] } }),
  h("time", { class: "ll-time mono" }, formatDateTime(ms, { millis: true }).slice(11)),
  h("span", { class: "ll-level-name", style: { color: LEVEL_COLORS[level] } }, level === "unknown" ? "" : level),
  service ? h("span", { class: "ll-service" }, h("span", { class: "svc-dot", style: { background: serviceColor(service) } }), service) : null,
  h("span", { class: "ll-text mono" }, entry.line),
  span ? h("span", { class: "ll-span muted", title: `span ${span.id}` }, span.name) : null);
}
