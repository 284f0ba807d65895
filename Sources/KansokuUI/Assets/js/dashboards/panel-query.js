// Running a panel's PromQL targets over the dashboard's time range. Every
// panel renderer gets a query context `q`:
//   q.range       {start, end} epoch ms
//   q.step        seconds between points
//   q.expr(text)  the text with template variables substituted
//   q.signal      aborted when the panel is refreshed or the view left
//   q.height      the pixels the panel body has
//   q.onZoom      (startMs, endMs) narrows the dashboard's time range

import { prometheus } from "../api.js";
import { formatSeriesName } from "../format.js";

/** The panel's targets that have a query. */
export function activeTargets(panel) {
  return (panel.targets || []).filter((t) => t && typeof t.expr === "string" && t.expr.trim() && !t.hide);
}

/** A series name from Grafana's legend format (`{{job}} – {{route}}`), or the label set when there is none. */
function legendName(metric, legendFormat) {
  if (!legendFormat || legendFormat === "__auto") return formatSeriesName(metric);
  return legendFormat.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name) => metric?.[name] ?? "");
}

/** Every series of every target over the range: `[{name, labels, points: [[ms, value]]}]`. */
export async function rangeSeries(targets, q) {
  const start = q.range.start / 1000, end = q.range.end / 1000;
  const answers = await Promise.all(targets.map((t) => prometheus.queryRange(q.expr(t.expr), start, end, q.step, { signal: q.signal })));
  return answers.flatMap((data, i) => (data.result || []).map((row) => ({
    name: legendName(row.metric, targets[i].legendFormat),
    labels: row.metric,
    // Native histogram rows have `histograms`, not `values`: nothing to draw as a line.
    points: (row.values || []).map(([t, v]) => [t * 1000, Number(v)]),
  })));
}
