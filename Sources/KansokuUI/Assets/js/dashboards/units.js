// Panel units. Panels carry Grafana's unit ids (`s`, `ms`, `bytes`,
// `percent`, `percentunit`, `reqps`, …) so imported dashboards keep theirs;
// this maps them onto format.js, which knows seconds, bytes and percent.

import { formatNumber } from "../format.js";

// unit id → [factor that brings a value to format.js' unit, format.js unit]
const SCALED = {
  s: [1, "seconds"], seconds: [1, "seconds"], ms: [1e-3, "seconds"], us: [1e-6, "seconds"], µs: [1e-6, "seconds"], ns: [1e-9, "seconds"],
  m: [60, "seconds"], h: [3600, "seconds"], d: [86400, "seconds"],
  bytes: [1, "bytes"], decbytes: [1, "bytes"], kbytes: [1024, "bytes"], mbytes: [1024 ** 2, "bytes"], gbytes: [1024 ** 3, "bytes"],
  bits: [1 / 8, "bytes"],
  percent: [1, "percent"], percentunit: [100, "percent"],
};
const SUFFIX = { reqps: "req/s", rps: "req/s", ops: "ops/s", iops: "io/s", Bps: "B/s", bps: "b/s", celsius: "°C", short: "", none: "" };

/** The units offered in the panel editor (the field also accepts any other text as a suffix). */
export const COMMON_UNITS = ["", "short", "percent", "percentunit", "s", "ms", "bytes", "reqps", "ops"];

/** `{factor, unit}`: multiply values by `factor`, then format them with format.js' `unit`. */
export function chartUnit(unit) {
  if (!unit) return { factor: 1, unit: "" };
  if (unit in SCALED) return { factor: SCALED[unit][0], unit: SCALED[unit][1] };
  return { factor: 1, unit: unit in SUFFIX ? SUFFIX[unit] : unit };
}

/** One value in a panel's unit: formatValue(0.25, "percentunit") → "25%". */
export function formatValue(value, unit) {
  const { factor, unit: base } = chartUnit(unit);
  return formatNumber(Number(value) * factor, base);
}
