// Search results: one row per trace (root service and operation, duration
// with a bar scaled to the longest, span count, services, errors, start),
// each a link to the trace view. The service map reuses the row.

import { h } from "../dom.js";
import { formatDateTime, formatDurationMicros } from "../format.js";
import { serviceColor } from "./service-colors.js";

export const SORTS = {
  recent: ["Most recent", (a, b) => b.startMicros - a.startMicros],
  longest: ["Longest first", (a, b) => b.durationMicros - a.durationMicros],
  shortest: ["Shortest first", (a, b) => a.durationMicros - b.durationMicros],
  spans: ["Most spans", (a, b) => b.spanCount - a.spanCount],
  errors: ["Most errors", (a, b) => b.errorCount - a.errorCount || b.startMicros - a.startMicros],
};

/** "3 min ago" for epoch milliseconds, the quick sense of a trace's age. */
export function timeAgo(ms, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** A coloured chip naming a service, with an optional count. */
export function serviceChip(name, count, errors = 0) {
  return h("span", { class: `service-chip${errors ? " has-error" : ""}`, dataset: { service: name },
    title: errors ? `${name}: ${errors} error span(s)` : name },
    h("span", { class: "svc-dot", style: { background: serviceColor(name) } }), name,
    count === undefined ? null : h("span", { class: "count" }, String(count)));
}

/**
 * The row of one trace summary (jaeger-summary.js), linking to its view.
 * `maxDurationMicros` scales the duration bar; `compact` drops the chips.
 */
function traceSummaryRow(summary, { maxDurationMicros, compact = false }) {
  const startMs = summary.startMicros / 1000;
  const share = maxDurationMicros > 0 ? Math.max(0.5, (100 * summary.durationMicros) / maxDurationMicros) : 0;
  return h("a", {
    class: `trace-result${summary.errorCount ? " has-error" : ""}${compact ? " compact" : ""}`,
    href: `/ui/traces/${summary.traceId}`, dataset: { traceId: summary.traceId },
  },
  h("div", { class: "tr-head" },
    h("span", { class: "svc-dot", style: { background: serviceColor(summary.rootService) } }),
    h("span", { class: "tr-title" }, h("strong", {}, summary.rootService), ": ", summary.rootOperation),
    h("span", { class: "tr-id mono muted" }, summary.traceId.slice(0, 7)),
    h("span", { class: "spacer" }),
    summary.errorCount
      ? h("span", { class: "badge error error-mark", title: "Spans with status ERROR" },
        `${summary.errorCount} error${summary.errorCount === 1 ? "" : "s"}`)
      : null,
    h("span", { class: "tr-duration" }, formatDurationMicros(summary.durationMicros))),
  h("div", { class: "tr-bar", "aria-hidden": "true" }, h("span", { style: { width: `${share}%` } })),
  h("div", { class: "tr-meta" },
    h("span", { class: "span-count" }, `${summary.spanCount} span${summary.spanCount === 1 ? "" : "s"}`),
    compact ? h("span", { class: "muted" }, `${summary.services.length} service${summary.services.length === 1 ? "" : "s"}`)
      : h("span", { class: "tr-services" }, summary.services.map((s) => serviceChip(s.name, s.spans, s.errors))),
    h("span", { class: "spacer" }),
    h("time", { datetime: new Date(startMs).toISOString(), title: formatDateTime(startMs, { millis: true }) },
      compact ? timeAgo(startMs) : `${formatDateTime(startMs)} · ${timeAgo(startMs)}`)));
}

/** The sorted rows of `summaries`; `sort` is a key of SORTS. */
export function resultsList(summaries, { sort = "recent", compact = false } = {}) {
  const order = (SORTS[sort] || SORTS.recent)[1];
  const maxDurationMicros = Math.max(0, ...summaries.map((s) => s.durationMicros));
  return h("div", { class: "trace-results" },
    [...summaries].sort(order).map((summary) => traceSummaryRow(summary, { maxDurationMicros, compact })));
}
