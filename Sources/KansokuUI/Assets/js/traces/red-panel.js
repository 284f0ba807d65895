// Rate, errors and duration of a span's service around the time of its
// trace (/api/kansoku/v1/red), so one slow or failed span can be judged
// against how that service usually behaves.

import { kansoku } from "../api.js";
import { errorBox, h, loading, replaceChildren } from "../dom.js";
import { formatDurationSeconds } from "../format.js";
import { formatPercent, formatRate } from "./rate-format.js";
import { redHistory } from "./red-history.js";

export const RED_WINDOW_MS = 15 * 60e3; // each side of the trace
const CALLEE_KINDS = new Set(["SPAN_KIND_SERVER", "SPAN_KIND_CONSUMER"]);
const KIND_LABEL = (label) => label.replace("SPAN_KIND_", "").toLowerCase();


function stat(label, value, detail, tone = "") {
  return h("div", { class: `red-stat ${tone}` }, h("div", { class: "red-label" }, label),
    h("div", { class: "red-value" }, value), detail ? h("div", { class: "red-detail muted" }, detail) : null);
}

/**
 * The RED section for `span` (trace-model.js) over `range` ({start, end},
 * epoch ms). Loads on its own; `signal` aborts the request.
 */
export function redPanel(span, range, signal) {
  const body = h("div", { class: "red-body" }, loading("Loading RED metrics…"));
  const minutes = Math.round((range.end - range.start) / 60e3);
  const element = h("section", { class: "sd-section red-panel" },
    h("h3", {}, `${span.service} RED metrics`),
    h("p", { class: "muted small" }, `${minutes} min around this trace · `,
      h("a", { href: `/ui/servicemap?node=${encodeURIComponent(span.service)}&from=${Math.floor(range.start)}&to=${Math.ceil(range.end)}` },
        "service map")),
    body);

  kansoku.red({ service: span.service, start: range.start / 1000, end: range.end / 1000 }, { signal })
    .then(({ series = [] }) => replaceChildren(body, content(series, span, range, signal)))
    .catch((error) => { if (error.name !== "AbortError") replaceChildren(body, errorBox(error, "RED metrics failed")); });
  return element;
}

function content(series, span, range, signal) {
  if (!series.length) return h("p", { class: "muted small" }, "No spans of this service in the window.");
  const entry = series.filter((row) => CALLEE_KINDS.has(row.spanKind));
  const counted = entry.length ? entry : series;
  const requests = counted.reduce((sum, row) => sum + row.requests, 0);
  const errors = counted.reduce((sum, row) => sum + row.errors, 0);
  const rate = counted.reduce((sum, row) => sum + row.ratePerSecond, 0);
  const own = series.find((row) => row.spanName === span.name && KIND_LABEL(row.spanKind) === span.kind);
  const rows = [...series].sort((a, b) => b.requests - a.requests).slice(0, 8);
  return [
    h("div", { class: "red-stats" },
      stat("Rate", formatRate(rate), `${requests} ${entry.length ? "requests" : "spans"}`),
      stat("Errors", formatPercent(requests ? errors / requests : 0), `${errors} failed`, errors ? "bad" : ""),
      stat(`p95 · ${span.name}`, own?.p95Seconds == null ? "—" : formatDurationSeconds(own.p95Seconds),
        own ? `p50 ${formatDurationSeconds(own.p50Seconds)} · p99 ${formatDurationSeconds(own.p99Seconds)}` : "")),
    redHistory(span.service, range, { entryOnly: entry.length > 0, signal }),
    h("table", { class: "data red-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Operation"), h("th", { class: "num" }, "Rate"), h("th", { class: "num" }, "Err"), h("th", { class: "num" }, "p95"))),
      h("tbody", {}, rows.map((row) => h("tr", { class: row === own ? "current" : "" },
        h("td", { title: `${row.spanName} (${KIND_LABEL(row.spanKind)})` }, row.spanName, h("span", { class: "muted small" }, ` ${KIND_LABEL(row.spanKind)}`)),
        h("td", { class: "num" }, formatRate(row.ratePerSecond)),
        h("td", { class: `num${row.errors ? " bad" : ""}` }, formatPercent(row.errorRate)),
        h("td", { class: "num" }, row.p95Seconds == null ? "—" : formatDurationSeconds(row.p95Seconds)))))),
  ];
}
