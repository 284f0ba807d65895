// Time ranges as views keep them in the URL: `from` and `to` are either
// relative to now (`now`, `now-15m`, `now-2d`) or absolute epoch milliseconds,
// as Grafana writes them, so a shared link shows the same window.

import { h } from "./dom.js";
import { formatDateTime } from "./format.js";

const UNIT_MS = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };

export const PRESETS = [
  ["now-5m", "Last 5 minutes"], ["now-15m", "Last 15 minutes"], ["now-1h", "Last 1 hour"],
  ["now-3h", "Last 3 hours"], ["now-6h", "Last 6 hours"], ["now-12h", "Last 12 hours"],
  ["now-24h", "Last 24 hours"], ["now-2d", "Last 2 days"], ["now-7d", "Last 7 days"],
];

export const DEFAULT_RANGE = Object.freeze({ from: "now-1h", to: "now" });

/** Epoch milliseconds for one end of a range; throws on text it cannot read. */
export function resolveTime(text, now = Date.now()) {
  const value = String(text ?? "").trim();
  if (value === "now") return now;
  const relative = /^now-(\d+(?:\.\d+)?)([smhdw])$/.exec(value);
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2]];
  if (/^\d+$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  if (!Number.isNaN(parsed)) return parsed;
  throw new Error(`cannot read the time "${value}": use now, now-15m, epoch milliseconds or an ISO date`);
}

/** `{start, end}` in epoch milliseconds for a `{from, to}` range. */
export function resolveRange(range, now = Date.now()) {
  const start = resolveTime(range.from ?? DEFAULT_RANGE.from, now);
  const end = resolveTime(range.to ?? DEFAULT_RANGE.to, now);
  if (!(start < end)) throw new Error(`the range starts (${formatDateTime(start)}) at or after it ends (${formatDateTime(end)})`);
  return { start, end };
}

/** The range read from URL parameters, defaulting to the last hour. */
export function rangeFromParams(params) {
  return { from: params.get("from") || DEFAULT_RANGE.from, to: params.get("to") || DEFAULT_RANGE.to };
}

/** A label for the picker button: the preset's name or the absolute window. */
export function describeRange(range) {
  const preset = PRESETS.find(([from]) => from === range.from);
  if (preset && range.to === "now") return preset[1];
  try {
    const { start, end } = resolveRange(range);
    return `${formatDateTime(start)} → ${formatDateTime(end)}`;
  } catch (error) {
    return error.message;
  }
}

/** A step (seconds) that gives about `points` points across the range, rounded to a friendly value. */
export function stepFor({ start, end }, points = 250) {
  const raw = (end - start) / 1000 / points;
  const friendly = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
  return friendly.find((s) => s >= raw) ?? Math.ceil(raw);
}

function toLocalInput(ms) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60e3);
  return d.toISOString().slice(0, 19);
}

/**
 * The time-range picker: presets, an absolute from/to form and a refresh
 * button. `onChange(range)` gets `{from, to}` as URL text; `onRefresh()` reruns.
 */
export function timeRangePicker(range, { onChange, onRefresh } = {}) {
  const select = h("select", { class: "range-preset", "aria-label": "Time range",
    onchange: () => {
      if (select.value === "custom") { form.hidden = false; return; }
      form.hidden = true;
      onChange?.({ from: select.value, to: "now" });
    } },
  PRESETS.map(([from, label]) => h("option", { value: from, selected: range.from === from && range.to === "now" }, label)),
  h("option", { value: "custom", selected: !(range.to === "now" && PRESETS.some(([f]) => f === range.from)) },
    range.to === "now" && PRESETS.some(([f]) => f === range.from) ? "Absolute…" : describeRange(range)));

  let resolved;
  try { resolved = resolveRange(range); } catch { resolved = resolveRange(DEFAULT_RANGE); }
  const fromInput = h("input", { type: "datetime-local", step: "1", value: toLocalInput(resolved.start), "aria-label": "From" });
  const toInput = h("input", { type: "datetime-local", step: "1", value: toLocalInput(resolved.end), "aria-label": "To" });
  const problem = h("span", { class: "field-error" });
  const form = h("form", { class: "range-form", hidden: true,
    onsubmit: (event) => {
      event.preventDefault();
      const from = Date.parse(fromInput.value), to = Date.parse(toInput.value);
      if (Number.isNaN(from) || Number.isNaN(to) || from >= to) { problem.textContent = "From must be before To."; return; }
      problem.textContent = "";
      form.hidden = true;
      onChange?.({ from: String(from), to: String(to) });
    } }, fromInput, "→", toInput, h("button", { type: "submit" }, "Apply"), problem);

  return h("div", { class: "time-range" }, select, form,
    h("button", { type: "button", class: "ghost", title: "Run again", "aria-label": "Refresh", onclick: () => onRefresh?.() }, "⟳"));
}
