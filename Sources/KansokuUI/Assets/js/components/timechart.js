// TimeChart: the canvas time-series chart every view shares (metrics graph,
// log volume, dashboard panels).
//
//   const chart = new TimeChart(container, {
//     height: 280,          // plot height in CSS pixels
//     unit: "",             // y unit for format.js formatNumber: "seconds", "bytes", "percent", …
//     kind: "line",         // or "stacked-bars" (e.g. log volume by level)
//     barAlign: "end",      // stacked bars: a bar covers the step before its time ("end"), after it ("start") or around it ("center")
//     onZoom: (startMs, endMs) => {},  // called after a drag-select on the plot; no onZoom, no drag
//     legend: true,         // a legend under the plot: click toggles a series, shift/ctrl/cmd-click isolates it
//   });
//   chart.setData([{ name, title?, labels?, color?, points: [[tMs, value], …] }], { start, end, step?, unit? });
//                 // name: legend and tooltip text (unique per series); title: the legend item's hover text
//   chart.destroy();
//   chart.lastRenderMs   // duration of the last full draw (ms)
//   chart.element        // the chart's root element; carries data-series-count and data-render-ms
//
// Values may be numbers or numeric strings (Prometheus sends strings); NaN or
// a time gap longer than 1.5 steps breaks a line. Hover draws a crosshair and
// a tooltip on an overlay canvas, so moving the mouse never redraws the lines.

import { h, replaceChildren } from "../dom.js";
import { formatDateTime, formatNumber } from "../format.js";
import { seriesColor, themeColor } from "../theme.js";
import { barGeometry, computeScale, drawAxes, drawLines, drawStackedBars } from "./chart-draw.js";
import { nearestIndex } from "./chart-scale.js";

const TOOLTIP_ROWS = 12;
const MIN_DRAG_PX = 4;

export class TimeChart {
  constructor(container, { height = 280, unit = "", kind = "line", barAlign = "end", onZoom, legend = true } = {}) {
    this.options = { height, kind, barAlign, onZoom };
    this.unit = unit;
    this.series = [];
    this.hidden = new Set();
    this.range = null;
    this.lastRenderMs = 0;
    this.scale = null;
    this.drag = null;

    this.base = h("canvas", { class: "timechart-base" });
    this.overlay = h("canvas", { class: "timechart-overlay", style: { position: "absolute", left: "0", top: "0" } });
    this.tooltip = h("div", { class: "chart-tooltip", hidden: true });
    this.plot = h("div", { class: "timechart-plot", style: { position: "relative", height: `${height}px`, cursor: onZoom ? "crosshair" : "default" } },
      this.base, this.overlay, this.tooltip);
    this.legend = legend ? h("div", { class: "legend" }) : null;
    this.element = h("div", { class: `chart timechart timechart-${kind}`, dataset: { seriesCount: "0" } }, this.plot, this.legend);
    container.append(this.element);

    this.onMouseMove = (event) => this.pointerMoved(event);
    this.onMouseUp = (event) => this.dragEnded(event);
    this.onTheme = () => this.render();
    this.plot.addEventListener("mousemove", this.onMouseMove);
    this.plot.addEventListener("mouseleave", () => { if (!this.drag) this.clearHover(); });
    this.plot.addEventListener("mousedown", (event) => this.dragStarted(event));
    window.addEventListener("kansoku:themechange", this.onTheme);
    this.drawnWidth = 0;
    this.resizeObserver = new ResizeObserver(() => {
      if (this.plot.clientWidth !== this.drawnWidth) this.render();
    });
    this.resizeObserver.observe(this.plot);
  }

  /**
   * Replaces the data. `series`: [{ name, title?, labels?, color?, points: [[tMs, value], …] }];
   * `start`/`end`: the x range (epoch ms); `step` (ms): the sample interval, guessed from
   * the data when absent; `unit` replaces the y unit given to the constructor.
   */
  setData(series, { start, end, step, unit } = {}) {
    const began = performance.now();
    if (unit !== undefined) this.unit = unit;
    this.series = series.map((s, index) => prepareSeries(s, index));
    this.range = { start, end };
    this.step = step > 0 ? step : guessStep(this.series);
    this.stack = this.options.kind === "stacked-bars" ? buildStack(this.series) : null;
    this.renderLegend();
    this.draw();
    this.finishTiming(began);
  }

  destroy() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    window.removeEventListener("kansoku:themechange", this.onTheme);
    window.removeEventListener("mousemove", this.onMouseMove);
    window.removeEventListener("mouseup", this.onMouseUp);
    this.element.remove();
  }

  /** Redraws everything (after a resize, a theme change or a legend click). */
  render() {
    if (!this.range) return;
    const began = performance.now();
    this.draw();
    this.finishTiming(began);
  }

  finishTiming(began) {
    this.lastRenderMs = performance.now() - began;
    this.element.dataset.renderMs = this.lastRenderMs.toFixed(1);
  }

  visibleSeries() {
    return this.series.filter((s) => !this.hidden.has(s.name));
  }

  draw() {
    const width = this.plot.clientWidth, height = this.options.height;
    if (!width) return;
    this.drawnWidth = width;
    const ctx = sizeCanvas(this.base, width, height);
    sizeCanvas(this.overlay, width, height);
    this.tooltip.hidden = true;
    const visible = this.visibleSeries();
    const { start, end } = this.range;
    const [min, max] = this.stack ? [0, stackedMax(visible, this.stack.times.length)] : valueExtent(visible, start, end);
    const font = getComputedStyle(this.element).fontFamily || "sans-serif";
    const scale = computeScale(ctx, { width, height, start, end, min, max, unit: this.unit, font });
    this.scale = scale;
    this.colors = { grid: themeColor("--grid"), muted: themeColor("--text-muted"), selection: themeColor("--accent") };
    drawAxes(ctx, scale, this.colors, { empty: !visible.some((s) => s.times.length) || !Number.isFinite(min) });
    ctx.save();
    ctx.beginPath();
    ctx.rect(scale.left, scale.top, scale.width, scale.height);
    ctx.clip();
    const drawn = this.stack
      ? drawStackedBars(ctx, scale, visible, this.stack, this.step, this.options.barAlign)
      : drawLines(ctx, scale, visible, this.step * 1.5);
    ctx.restore();
    this.element.dataset.seriesCount = String(drawn);
  }

  renderLegend() {
    if (!this.legend) return;
    replaceChildren(this.legend, this.series.map((s) => h("span", {
      class: `legend-item${this.hidden.has(s.name) ? " hidden" : ""}`, title: s.title || s.name, role: "button", tabindex: "0",
      dataset: { series: s.name },
      onclick: (event) => this.legendClicked(s.name, event.shiftKey || event.ctrlKey || event.metaKey),
      onkeydown: (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); this.legendClicked(s.name, event.shiftKey || event.ctrlKey); } },
    }, h("span", { class: "swatch", style: { background: s.color } }), s.name)));
  }

  legendClicked(name, isolate) {
    const names = this.series.map((s) => s.name);
    if (isolate) {
      const alreadyIsolated = names.every((n) => (n === name) !== this.hidden.has(n));
      this.hidden = new Set(alreadyIsolated ? [] : names.filter((n) => n !== name));
    } else if (this.hidden.has(name)) this.hidden.delete(name);
    else this.hidden.add(name);
    for (const item of this.legend.children) item.classList.toggle("hidden", this.hidden.has(item.dataset.series));
    this.render();
  }

  plotX(event) {
    const box = this.plot.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  insidePlot(x, y) {
    const s = this.scale;
    return s && x >= s.left && x <= s.left + s.width && y >= s.top && y <= s.top + s.height;
  }

  pointerMoved(event) {
    const { x, y } = this.plotX(event);
    if (this.drag) { this.drag.current = Math.min(Math.max(x, this.scale.left), this.scale.left + this.scale.width); }
    if (this.frame) { this.pending = { x, y }; return; }
    this.pending = { x, y };
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.drag) this.drawDrag();
      else this.drawHover(this.pending.x, this.pending.y);
    });
  }

  clearHover() {
    if (this.frame) { cancelAnimationFrame(this.frame); this.frame = 0; }
    const ctx = this.overlay.getContext("2d");
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    this.tooltip.hidden = true;
  }

  /** The crosshair, a dot per series at its nearest sample and the tooltip, all on the overlay. */
  drawHover(x, y) {
    this.clearHover();
    if (!this.insidePlot(x, y) || !this.series.length) return;
    const scale = this.scale, t = scale.time(x);
    const hits = this.stack ? this.stackedHits(t) : this.lineHits(t);
    if (!hits.length) return;
    const at = hits.reduce((best, hit) => (Math.abs(hit.t - t) < Math.abs(best - t) ? hit.t : best), hits[0].t);
    const ctx = this.overlay.getContext("2d");
    if (this.stack) {
      // The hovered bar gets a light band behind the tooltip rather than a line through it.
      const { offset, width } = barGeometry(scale, this.step, this.options.barAlign);
      ctx.fillStyle = this.colors.muted;
      ctx.globalAlpha = 0.18;
      ctx.fillRect(scale.x(at) + offset - 1, scale.top, width + 2, scale.height);
      ctx.globalAlpha = 1;
      this.showTooltip(at, hits.sort((a, b) => b.value - a.value), x, y);
      return;
    }
    const cx = Math.round(scale.x(at)) + 0.5;
    ctx.strokeStyle = this.colors.muted;
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 3]);
    ctx.beginPath(); ctx.moveTo(cx, scale.top); ctx.lineTo(cx, scale.top + scale.height); ctx.stroke();
    ctx.setLineDash([]);
    for (const hit of hits) {
      ctx.fillStyle = hit.series.color;
      ctx.beginPath(); ctx.arc(scale.x(hit.t), scale.y(hit.value), 3, 0, Math.PI * 2); ctx.fill();
    }
    this.showTooltip(at, hits.sort((a, b) => b.value - a.value), x, y);
  }

  /** The nearest sample of each visible series, if it is within a step and a half of `t`. */
  lineHits(t) {
    const hits = [];
    const reach = this.step * 1.5;
    for (const s of this.visibleSeries()) {
      const i = nearestIndex(s.times, t);
      if (i < 0 || Math.abs(s.times[i] - t) > reach || !Number.isFinite(s.values[i])) continue;
      hits.push({ series: s, t: s.times[i], value: s.values[i] });
    }
    return hits;
  }

  /** Every visible series' value in the bar under time `t`. */
  stackedHits(t) {
    // A bar covers the step before (align "end") or after ("start") its time: find the bar under the pointer.
    const shift = { end: 0.5, start: -0.5 }[this.options.barAlign] ?? 0;
    const slot = nearestIndex(this.stack.times, t + shift * this.step);
    if (slot < 0) return [];
    const at = this.stack.times[slot];
    const hits = [];
    for (const s of this.visibleSeries()) {
      const i = nearestIndex(s.times, at);
      if (i >= 0 && s.times[i] === at && Number.isFinite(s.values[i])) hits.push({ series: s, t: at, value: s.values[i] });
    }
    return hits;
  }

  showTooltip(at, rows, x, y) {
    const shown = rows.slice(0, TOOLTIP_ROWS);
    replaceChildren(this.tooltip,
      h("div", { class: "chart-tooltip-time" }, formatDateTime(at)),
      shown.map((hit) => h("div", { class: "chart-tooltip-row" },
        h("span", { class: "swatch", style: { background: hit.series.color } }),
        h("span", { class: "chart-tooltip-name" }, hit.series.name),
        h("span", { class: "chart-tooltip-value" }, formatNumber(hit.value, this.unit)))),
      rows.length > shown.length ? h("div", { class: "muted" }, `… and ${rows.length - shown.length} more`) : null);
    this.tooltip.hidden = false;
    const width = this.plot.clientWidth, box = this.tooltip.getBoundingClientRect();
    const left = x + 16 + box.width > width ? Math.max(0, x - 16 - box.width) : x + 16;
    const top = Math.max(0, Math.min(y + 12, this.options.height - box.height));
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${top}px`;
  }

  dragStarted(event) {
    if (!this.options.onZoom || event.button !== 0) return;
    const { x, y } = this.plotX(event);
    if (!this.insidePlot(x, y)) return;
    event.preventDefault(); // no text selection while dragging
    this.drag = { origin: x, current: x };
    window.addEventListener("mousemove", this.onMouseMove);
    window.addEventListener("mouseup", this.onMouseUp);
  }

  drawDrag() {
    const ctx = this.overlay.getContext("2d");
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    this.tooltip.hidden = true;
    const { origin, current } = this.drag, s = this.scale;
    ctx.globalAlpha = 0.18;
    ctx.fillStyle = this.colors.selection;
    ctx.fillRect(Math.min(origin, current), s.top, Math.abs(current - origin), s.height);
    ctx.globalAlpha = 1;
  }

  dragEnded() {
    window.removeEventListener("mousemove", this.onMouseMove);
    window.removeEventListener("mouseup", this.onMouseUp);
    const drag = this.drag;
    this.drag = null;
    this.clearHover();
    if (!drag || Math.abs(drag.current - drag.origin) < MIN_DRAG_PX) return;
    const a = this.scale.time(Math.min(drag.origin, drag.current));
    const b = this.scale.time(Math.max(drag.origin, drag.current));
    this.options.onZoom(Math.round(a), Math.round(b));
  }
}

function prepareSeries(s, index) {
  const points = s.points || [];
  const times = new Float64Array(points.length), values = new Float64Array(points.length);
  for (let i = 0; i < points.length; i += 1) {
    times[i] = points[i][0];
    values[i] = Number(points[i][1]);
  }
  return { name: s.name, title: s.title, labels: s.labels, color: s.color || seriesColor(index), times, values };
}

/** A sample interval when none is given: the smallest gap between samples of the longest series. */
function guessStep(series) {
  let longest = null;
  for (const s of series) if (!longest || s.times.length > longest.times.length) longest = s;
  let step = Infinity;
  for (let i = 1; longest && i < longest.times.length; i += 1) step = Math.min(step, longest.times[i] - longest.times[i - 1] || Infinity);
  return Number.isFinite(step) ? step : 60e3;
}

/** The sorted union of the series' times, and each sample's index into it (`slots`). */
function buildStack(series) {
  const all = new Set();
  for (const s of series) for (const t of s.times) all.add(t);
  const times = Float64Array.from(all).sort();
  const index = new Map();
  times.forEach((t, i) => index.set(t, i));
  for (const s of series) s.slots = Int32Array.from(s.times, (t) => index.get(t));
  return { times };
}

function stackedMax(series, slots) {
  const sums = new Float64Array(slots);
  for (const s of series) for (let i = 0; i < s.values.length; i += 1) if (s.values[i] > 0) sums[s.slots[i]] += s.values[i];
  let max = -Infinity;
  for (const sum of sums) if (sum > max) max = sum;
  return max > 0 ? max : 1;
}

/** [min, max] of the finite values inside [start, end]; [NaN, NaN] when there are none. */
function valueExtent(series, start, end) {
  let min = Infinity, max = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.values.length; i += 1) {
      const v = s.values[i], t = s.times[i];
      if (t < start || t > end || !Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? [min, max] : [NaN, NaN];
}

/** Sizes a canvas for devicePixelRatio and returns its context, scaled to CSS pixels. */
function sizeCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.round(width * ratio), hgt = Math.round(height * ratio);
  if (canvas.width !== w || canvas.height !== hgt) {
    canvas.width = w; canvas.height = hgt;
    canvas.style.width = `${width}px`; canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}
