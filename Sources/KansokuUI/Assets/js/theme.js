// Colours for canvas drawing, read from the CSS custom properties so charts
// follow the dark/light theme. Views redraw on the `kansoku:themechange` event.

/** The value of a CSS custom property on <html>, e.g. themeColor("--text"). */
export function themeColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

// Distinct on both backgrounds; the order follows Grafana's classic palette so
// a series keeps its colour when a query moves between tools.
const SERIES_COLORS = [
  "#7eb26d", "#eab839", "#6ed0e0", "#ef843c", "#e24d42", "#1f78c1", "#ba43a9", "#705da0",
  "#508642", "#cca300", "#447ebc", "#c15c17", "#890f02", "#0a437c", "#6d1f62", "#584477",
  "#b7dbab", "#f4d598", "#70dbed", "#f9ba8f", "#f29191", "#82b5d8", "#e5a8e2", "#aea2e0",
];

/** The colour of the i-th series. */
export function seriesColor(index) {
  return SERIES_COLORS[((index % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length];
}

/** Colours of log levels, shared by the logs view and its volume chart. */
export const LEVEL_COLORS = {
  critical: "#b52ccf", fatal: "#b52ccf", error: "#e24d42", warn: "#eab839", warning: "#eab839",
  info: "#7eb26d", debug: "#1f78c1", trace: "#6ed0e0", unknown: "#8e8e8e",
};

/** The normalised level name of a severity text (`ERROR`, `Warn`, `E` …), or "unknown". */
export function normalizeLevel(text) {
  const value = String(text || "").toLowerCase();
  if (value in LEVEL_COLORS) return value;
  if (/^(crit|emerg|alert|fatal)/.test(value)) return "critical";
  if (/^(err|e$)/.test(value)) return "error";
  if (/^(warn|w$)/.test(value)) return "warn";
  if (/^(inf|i$|notice)/.test(value)) return "info";
  if (/^(dbg|debug|d$)/.test(value)) return "debug";
  if (/^(trace|t$)/.test(value)) return "trace";
  return "unknown";
}
