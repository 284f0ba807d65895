// Axis scales for the canvas charts: "nice" value ticks (1, 2, 5 × 10ⁿ, or
// powers of 1024 for bytes) and time ticks aligned to local clock boundaries,
// with labels short enough to sit under a 1280-pixel-wide chart.

import { formatNumber } from "../format.js";

/**
 * Nice ticks covering [min, max]: `{ min, max, ticks }` where min/max are
 * widened to tick boundaries. `count` is the number of intervals wanted.
 * With `unit === "bytes"` the step is a nice multiple of a power of 1024 so
 * labels read "256 MiB" rather than "268 MB".
 */
export function valueTicks(min, max, count, unit = "") {
  if (!Number.isFinite(min) || !Number.isFinite(max)) { min = 0; max = 1; }
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad; max += pad;
  }
  const scale = unit === "bytes" ? 1024 ** Math.max(0, Math.floor(Math.log(Math.max(Math.abs(min), Math.abs(max))) / Math.log(1024))) : 1;
  const step = niceStep((max - min) / scale / Math.max(1, count)) * scale;
  const low = Math.floor(min / step) * step;
  const high = Math.ceil(max / step) * step;
  const ticks = [];
  // Index-based so floating-point drift cannot add or drop a tick.
  for (let i = 0, n = Math.round((high - low) / step); i <= n; i += 1) ticks.push(low + i * step);
  return { min: low, max: high, ticks };
}

function niceStep(rough) {
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const normalized = rough / magnitude;
  const nice = normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10;
  return nice * magnitude;
}

/** The label of a value tick in `unit` (see format.js `formatNumber`). */
export function formatValueTick(value, unit) {
  // Floating-point noise such as 0.30000000000000004 must not reach the label.
  const clean = Math.abs(value) < 1e-12 ? 0 : Number(value.toPrecision(12));
  return formatNumber(clean, unit);
}

const SECOND = 1e3, MINUTE = 60e3, HOUR = 3600e3, DAY = 86400e3;
const TIME_STEPS = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY,
];

/**
 * Time ticks between `start` and `end` (epoch ms), about `count` of them,
 * on local-time boundaries: `{ step, ticks: [ms…] }`.
 */
export function timeTicks(start, end, count) {
  const rough = (end - start) / Math.max(1, count);
  const step = TIME_STEPS.find((s) => s >= rough) ?? Math.ceil(rough / DAY) * DAY;
  // Align in local time, so hourly ticks fall on :00 in every time zone.
  const offset = -new Date(start).getTimezoneOffset() * MINUTE;
  let t = Math.ceil((start + offset) / step) * step - offset;
  const ticks = [];
  for (; t <= end; t += step) ticks.push(t);
  return { step, ticks };
}

const pad = (n) => String(n).padStart(2, "0");

/** The label of a time tick: seconds only when ticks are under a minute apart, the date at midnight or for day steps. */
export function formatTimeTick(ms, step) {
  const d = new Date(ms);
  const date = `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  if (step >= DAY) return date;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (step < MINUTE) return `${time}:${pad(d.getSeconds())}`;
  return d.getHours() === 0 && d.getMinutes() === 0 ? date : time;
}

/** Index of the element of the sorted array `times` nearest to `t` (-1 when empty). */
export function nearestIndex(times, t) {
  let low = 0, high = times.length - 1;
  if (high < 0) return -1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (times[mid] < t) low = mid + 1;
    else high = mid;
  }
  if (low > 0 && Math.abs(times[low - 1] - t) <= Math.abs(times[low] - t)) return low - 1;
  return low;
}
