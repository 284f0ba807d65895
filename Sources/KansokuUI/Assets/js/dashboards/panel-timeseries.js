// The time series panel: its targets' range queries in the shared TimeChart.

import { TimeChart } from "../components/timechart.js";
import { emptyState } from "../dom.js";
import { activeTargets, rangeSeries } from "./panel-query.js";
import { chartUnit } from "./units.js";

const LEGEND_PX = 44;

/** Draws `panel` into `body`; returns a cleanup function. */
export async function renderTimeSeries(body, panel, q) {
  const targets = activeTargets(panel);
  if (!targets.length) { body.append(emptyState("This panel has no query yet.")); return null; }
  const series = await rangeSeries(targets, q);
  const { factor, unit } = chartUnit(panel.unit);
  const legend = q.height > 160;
  const chart = new TimeChart(body, { height: Math.max(60, q.height - (legend ? LEGEND_PX : 0)), unit, legend, onZoom: q.onZoom });
  chart.setData(series.map((s) => ({ ...s, points: factor === 1 ? s.points : s.points.map(([t, v]) => [t, v * factor]) })),
    { start: q.range.start, end: q.range.end, step: q.step * 1000 });
  return () => chart.destroy();
}
