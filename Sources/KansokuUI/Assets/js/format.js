// Formatting shared by the views: numbers with SI prefixes, durations, times.

const SI = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];

/** A short human form of a number: 1234567 → "1.23M", 0.000123 → "123µ". */
export function formatNumber(value, unit = "") {
  if (value === null || value === undefined || Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  if (unit === "seconds") return formatDurationSeconds(value);
  if (unit === "bytes") return formatBytes(value);
  const abs = Math.abs(value);
  let text;
  if (abs === 0) text = "0";
  else if (abs >= 1e3) {
    const [scale, prefix] = SI.find(([s]) => abs >= s);
    text = trim(value / scale) + prefix;
  } else if (abs >= 1) text = trim(value);
  else if (abs >= 1e-3) text = trim(value * 1e3) + "m";
  else if (abs >= 1e-6) text = trim(value * 1e6) + "µ";
  else text = value.toExponential(2);
  return unit && unit !== "percent" ? `${text} ${unit}` : unit === "percent" ? `${text}%` : text;
}

function trim(value) {
  return String(Number(value.toPrecision(3)));
}

/** Bytes with binary prefixes: 1536 → "1.5 KiB". */
export function formatBytes(value) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = value, i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i += 1; }
  return `${trim(v)} ${units[i]}`;
}

/** A duration given in seconds: 0.0042 → "4.2ms", 95 → "1m35s". */
export function formatDurationSeconds(seconds) {
  return formatDurationMicros(seconds * 1e6);
}

/** A duration given in microseconds (Jaeger's unit): 1234 → "1.23ms". */
export function formatDurationMicros(micros) {
  const abs = Math.abs(micros);
  if (abs < 1) return `${trim(micros * 1000)}ns`;
  if (abs < 1000) return `${trim(micros)}µs`;
  if (abs < 1e6) return `${trim(micros / 1000)}ms`;
  if (abs < 60e6) return `${trim(micros / 1e6)}s`;
  const totalSeconds = Math.round(micros / 1e6);
  const h = Math.floor(totalSeconds / 3600), m = Math.floor((totalSeconds % 3600) / 60), s = totalSeconds % 60;
  return h ? `${h}h${m}m` : `${m}m${s}s`;
}

const pad = (n, width = 2) => String(n).padStart(width, "0");

/** Local date and time of epoch milliseconds: "2026-11-21 14:03:07". */
export function formatDateTime(ms, { millis = false } = {}) {
  const d = new Date(ms);
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return millis ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

/** Local time of day of epoch milliseconds: "14:03:07". */
export function formatTime(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A Prometheus label set as `name{a="b", c="d"}`. */
export function formatSeriesName(metric) {
  const { __name__: name = "", ...rest } = metric || {};
  const pairs = Object.keys(rest).sort().map((k) => `${k}="${rest[k]}"`);
  return pairs.length ? `${name}{${pairs.join(", ")}}` : name || "{}";
}
