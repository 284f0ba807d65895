// The drawing half of TimeChart (timechart.js): axes, grid, lines and stacked
// bars on a 2D canvas context already scaled for devicePixelRatio. Everything
// here is a pure function of its arguments, so a redraw is just a call again.

import { formatTimeTick, formatValueTick, timeTicks, valueTicks } from "./chart-scale.js";

const FONT_PX = 11;
const AXIS_GAP = 8;
const BOTTOM_AXIS = 22;
const TOP_PAD = 8;
const RIGHT_PAD = 12;

/**
 * Where things go on a canvas `width` × `height` CSS pixels for values in
 * [min, max] over [start, end]: `{ left, top, width, height, start, end, yTicks, xTicks, x(t), y(v) }`.
 * The left margin fits the widest y label.
 */
export function computeScale(ctx, { width, height, start, end, min, max, unit, font }) {
  ctx.font = `${FONT_PX}px ${font}`;
  const plotHeight = Math.max(20, height - TOP_PAD - BOTTOM_AXIS);
  const y = valueTicks(min, max, Math.max(2, Math.floor(plotHeight / 45)), unit);
  const labels = y.ticks.map((v) => formatValueTick(v, unit));
  const left = Math.ceil(Math.max(24, ...labels.map((text) => ctx.measureText(text).width)) + AXIS_GAP * 2);
  const plotWidth = Math.max(20, width - left - RIGHT_PAD);
  const x = timeTicks(start, end, Math.max(2, Math.floor(plotWidth / 110)));
  const xPerMs = plotWidth / (end - start);
  const yPerUnit = plotHeight / (y.max - y.min);
  return {
    left, top: TOP_PAD, width: plotWidth, height: plotHeight, start, end,
    yTicks: y.ticks.map((value, i) => ({ value, label: labels[i] })), xTicks: x,
    x: (t) => left + (t - start) * xPerMs,
    y: (v) => TOP_PAD + plotHeight - (v - y.min) * yPerUnit,
    time: (px) => start + (px - left) / xPerMs,
  };
}

/** Grid lines, tick labels and, when `empty`, a "No data" note. */
export function drawAxes(ctx, scale, colors, { empty = false } = {}) {
  const { left, top, width, height } = scale;
  ctx.lineWidth = 1;
  ctx.strokeStyle = colors.grid;
  ctx.beginPath();
  for (const { value } of scale.yTicks) {
    const y = Math.round(scale.y(value)) + 0.5;
    ctx.moveTo(left, y); ctx.lineTo(left + width, y);
  }
  for (const t of scale.xTicks.ticks) {
    const x = Math.round(scale.x(t)) + 0.5;
    ctx.moveTo(x, top); ctx.lineTo(x, top + height);
  }
  ctx.stroke();

  ctx.fillStyle = colors.muted;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const { value, label } of scale.yTicks) ctx.fillText(label, left - AXIS_GAP, scale.y(value));
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  let lastRight = -Infinity;
  for (const t of scale.xTicks.ticks) {
    const label = formatTimeTick(t, scale.xTicks.step);
    const half = ctx.measureText(label).width / 2;
    const x = Math.min(Math.max(scale.x(t), left + half), left + width + RIGHT_PAD - half);
    if (x - half < lastRight + 6) continue; // never let labels overlap
    ctx.fillText(label, x, top + height + 6);
    lastRight = x + half;
  }
  if (empty) {
    ctx.textBaseline = "middle";
    ctx.fillText("No data in this range", left + width / 2, top + height / 2);
  }
}

/**
 * Lines, one path per series. Points closer than a pixel column collapse to
 * that column's min/max (spikes survive, work stays proportional to the
 * chart's width); a missing sample (NaN, or a time gap over `gapMs`) breaks
 * the line; a lone sample between gaps is drawn as a dot.
 * Returns the number of series with at least one point drawn.
 */
export function drawLines(ctx, scale, series, gapMs) {
  // Many series: thinner lines, and cheaper mitred joins (no one sees a round join at 1 px).
  const lineWidth = series.length > 20 ? 1 : 1.5;
  const lineJoin = series.length > 20 ? "miter" : "round";
  let drawn = 0;
  for (const s of series) {
    const { times, values } = s;
    const dots = [];
    let any = false;
    let penDown = false, segmentPoints = 0;
    let column = NaN, columnX = 0, columnMin = 0, columnMax = 0, columnLast = 0, columnCount = 0;
    let previousT = -Infinity;
    const flushColumn = () => {
      if (columnCount > 1) { ctx.lineTo(columnX, columnMin); ctx.lineTo(columnX, columnMax); ctx.lineTo(columnX, columnLast); }
    };
    const endSegment = () => {
      if (!penDown) return;
      flushColumn();
      if (segmentPoints === 1) dots.push(columnX, columnLast);
      penDown = false;
    };
    ctx.beginPath();
    for (let i = 0; i < times.length; i += 1) {
      const t = times[i], v = values[i];
      if (t < scale.start - gapMs || t > scale.end + gapMs) continue;
      if (!Number.isFinite(v)) { endSegment(); continue; }
      if (t - previousT > gapMs) endSegment();
      previousT = t;
      const x = scale.x(t), y = scale.y(v), col = Math.round(x);
      any = true;
      if (!penDown) {
        ctx.moveTo(x, y);
        penDown = true; segmentPoints = 1;
      } else if (col === column) {
        if (y < columnMin) columnMin = y; else if (y > columnMax) columnMax = y;
        columnLast = y; columnCount += 1; segmentPoints += 1;
        continue;
      } else {
        flushColumn();
        ctx.lineTo(x, y);
        segmentPoints += 1;
      }
      column = col; columnX = x; columnMin = columnMax = columnLast = y; columnCount = 1;
    }
    endSegment();
    ctx.strokeStyle = s.color;
    ctx.lineWidth = lineWidth;
    ctx.lineJoin = lineJoin;
    ctx.stroke();
    if (dots.length) {
      ctx.fillStyle = s.color;
      ctx.beginPath();
      for (let i = 0; i < dots.length; i += 2) ctx.rect(dots[i] - 1.5, dots[i + 1] - 1.5, 3, 3);
      ctx.fill();
    }
    if (any) drawn += 1;
  }
  return drawn;
}

/**
 * Stacked bars: at every time in `stack.times` the series' values (by `slots`,
 * their index into stack.times) pile up in series order. A bar spans the step
 * before its time when `align` is "end", after it for "start", around it for "center".
 * Returns the number of series with at least one bar.
 */
export function drawStackedBars(ctx, scale, series, stack, stepMs, align) {
  const base = new Float64Array(stack.times.length);
  const { offset, width } = barGeometry(scale, stepMs, align);
  let drawn = 0;
  for (const s of series) {
    let any = false;
    ctx.beginPath();
    for (let i = 0; i < s.values.length; i += 1) {
      const v = s.values[i];
      if (!(v > 0)) continue;
      const slot = s.slots[i];
      const y0 = scale.y(base[slot]), y1 = scale.y(base[slot] + v);
      base[slot] += v;
      ctx.rect(scale.x(stack.times[slot]) + offset, y1, width, y0 - y1);
      any = true;
    }
    ctx.fillStyle = s.color;
    ctx.fill();
    if (any) drawn += 1;
  }
  return drawn;
}

/** Where a bar sits relative to its time's x (`offset`) and how wide it is, leaving a small gap between bars. */
export function barGeometry(scale, stepMs, align) {
  const stepPx = stepMs * scale.width / (scale.end - scale.start);
  const width = Math.max(1, stepPx > 4 ? stepPx - Math.max(1, stepPx * 0.15) : stepPx);
  const offset = align === "end" ? -stepPx + (stepPx - width) / 2 : align === "start" ? (stepPx - width) / 2 : -width / 2;
  return { offset, width };
}
