// The log volume histogram: lines per time step split by level, from a LogQL
// metric query over the view's log query, drawn by the shared TimeChart as
// stacked bars in the level colours. Dragging across it zooms the view.

import { loki } from "../api.js";
import { errorBox, h, loading, replaceChildren } from "../dom.js";
import { TimeChart } from "../components/timechart.js";
import { LEVEL_COLORS, normalizeLevel } from "../theme.js";
import { stepFor } from "../time-range.js";
import { LEVEL_LABELS, volumeQuery } from "./logql.js";

// Most severe at the bottom of each bar.
const LEVEL_ORDER = ["critical", "error", "warn", "info", "debug", "trace", "unknown"];
const BARS = 100;

/**
 * Creates the histogram panel. `onZoom(startMs, endMs)` is called after a drag.
 * Returns `{ element, load(query, range, signal), destroy() }`; `load` resolves
 * to the total line count, or null when the volume could not be computed.
 */
export function createLogVolume({ onZoom }) {
  const body = h("div", { class: "logs-volume-body" });
  const total = h("span", { class: "muted logs-volume-total" });
  const element = h("section", { class: "panel logs-volume" },
    h("header", {}, h("h2", {}, "Log volume"), h("span", { class: "spacer" }), total), body);
  let chart = null;

  const dropChart = () => { chart?.destroy(); chart = null; };

  async function load(query, range, signal) {
    dropChart();
    replaceChildren(total);
    replaceChildren(body, loading("Counting lines…"));
    const step = stepFor(range, BARS);
    let data;
    try {
      data = await loki.queryRange({
        query: volumeQuery(query, step), start: `${range.start}000000`, end: `${range.end}000000`, step: `${step}s`,
      }, { signal });
    } catch (error) {
      if (error.name === "AbortError") throw error;
      replaceChildren(body, errorBox(error, "The log volume could not be counted"));
      return null;
    }
    const series = levelSeries(data.result || []);
    const count = series.reduce((sum, s) => sum + s.points.reduce((n, [, v]) => n + v, 0), 0);
    replaceChildren(body);
    chart = new TimeChart(body, { height: 120, kind: "stacked-bars", barAlign: "end", onZoom });
    chart.setData(series, { start: range.start, end: range.end, step: step * 1000 });
    replaceChildren(total, `${count.toLocaleString()} ${count === 1 ? "line" : "lines"} in the range`);
    return count;
  }

  return { element, load, destroy: dropChart };
}

/** One series per level present, in LEVEL_ORDER, merging series whose level labels normalise alike. */
function levelSeries(result) {
  const byLevel = new Map();
  for (const series of result) {
    const labels = series.metric || {};
    const raw = LEVEL_LABELS.map((name) => labels[name]).find(Boolean);
    const level = raw ? normalizeLevel(raw) : "unknown";
    const name = level === "warning" ? "warn" : level === "fatal" ? "critical" : level;
    const sums = byLevel.get(name) || new Map();
    for (const [t, v] of series.values || []) sums.set(t * 1000, (sums.get(t * 1000) || 0) + Number(v));
    byLevel.set(name, sums);
  }
  return LEVEL_ORDER.filter((level) => byLevel.has(level)).map((level) => ({
    name: level, color: LEVEL_COLORS[level],
    points: [...byLevel.get(level)].sort((a, b) => a[0] - b[0]),
  }));
}
