// The stat panel: the last value of the first series of the first query, big,
// in the panel's unit, over a sparkline of the same series.

import { emptyState, h } from "../dom.js";
import { themeColor } from "../theme.js";
import { activeTargets, rangeSeries } from "./panel-query.js";
import { formatValue } from "./units.js";

/** Draws `panel` into `body`; returns a cleanup function. */
export async function renderStat(body, panel, q) {
  const [target] = activeTargets(panel);
  if (!target) { body.append(emptyState("This panel has no query yet.")); return null; }
  const [series] = await rangeSeries([target], q);
  const points = (series?.points || []).filter(([, v]) => Number.isFinite(v));
  if (!points.length) { body.append(emptyState("No data")); return null; }
  const last = points[points.length - 1][1];
  const canvas = h("canvas", { class: "dash-sparkline" });
  body.append(h("div", { class: "dash-stat", dataset: { value: String(last) } },
    h("div", { class: "dash-stat-value", title: series.name }, formatValue(last, panel.unit)),
    canvas));
  const draw = () => drawSparkline(canvas, points);
  requestAnimationFrame(draw);
  window.addEventListener("kansoku:themechange", draw);
  return () => window.removeEventListener("kansoku:themechange", draw);
}

/** A filled line of `points` across the canvas, without axes: the shape, not the numbers. */
function drawSparkline(canvas, points) {
  const width = canvas.clientWidth, height = canvas.clientHeight;
  if (!width || !height || points.length < 2) return;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio; canvas.height = height * ratio;
  const g = canvas.getContext("2d");
  g.scale(ratio, ratio);
  const t0 = points[0][0], t1 = points[points.length - 1][0];
  let lo = Math.min(...points.map((p) => p[1])), hi = Math.max(...points.map((p) => p[1]));
  if (hi === lo) { hi += 1; lo -= 1; }
  const x = (t) => ((t - t0) / (t1 - t0 || 1)) * width;
  const y = (v) => height - 2 - ((v - lo) / (hi - lo)) * (height - 4);
  g.beginPath();
  points.forEach(([t, v], i) => (i ? g.lineTo(x(t), y(v)) : g.moveTo(x(t), y(v))));
  const accent = themeColor("--accent");
  g.strokeStyle = accent; g.lineWidth = 1.5; g.stroke();
  g.lineTo(width, height); g.lineTo(0, height); g.closePath();
  g.globalAlpha = 0.15; g.fillStyle = accent; g.fill();
}
