// Converts a Grafana dashboard (JSON model of Grafana 8–11, as "Export" or the
// HTTP API gives it) into Kansoku's model. Rows are flattened; graph and
// singlestat become time series and stat; Prometheus and Loki targets keep
// their expr and legend; `fieldConfig.defaults.unit` becomes the unit. What
// cannot be shown is never dropped silently: an unsupported panel becomes a
// note panel saying what it was, and every loss is listed in the report.

import { resolveTime } from "../time-range.js";
import { compactLayout, GRID_COLUMNS } from "./model.js";

const PANEL_TYPES = {
  timeseries: "timeseries", graph: "timeseries", stat: "stat", singlestat: "stat", gauge: "stat",
  table: "table", "table-old": "table", logs: "logs", text: "text",
};
const QUERY_SOURCES = new Set(["prometheus", "loki"]);

/**
 * `{model, report}` for the Grafana dashboard `input` (an object, or `{dashboard, meta}`).
 * `report`: {panels: [{title, type, from}], lost: [sentences], notes: [sentences]}.
 * Throws an Error when `input` is not a Grafana dashboard at all.
 */
export function importGrafanaDashboard(input) {
  const dashboard = input && typeof input === "object" && input.dashboard && typeof input.dashboard === "object" ? input.dashboard : input;
  if (!dashboard || typeof dashboard !== "object" || Array.isArray(dashboard)) throw new Error("a Grafana dashboard is a JSON object");
  if (!Array.isArray(dashboard.panels)) {
    throw new Error(Array.isArray(dashboard.rows)
      ? "this dashboard uses Grafana's pre-5.0 row layout; open and save it in a current Grafana first"
      : 'this is not a Grafana dashboard: it has no "panels" list');
  }
  const report = { panels: [], lost: [], notes: [] };
  const model = {
    title: typeof dashboard.title === "string" && dashboard.title.trim() ? dashboard.title : "Imported dashboard",
    tags: Array.isArray(dashboard.tags) ? dashboard.tags.filter((t) => typeof t === "string") : [],
    time: importTime(dashboard.time, report),
    templating: { list: importVariables(dashboard.templating?.list, report) },
    panels: [],
  };
  if (typeof dashboard.uid === "string" && /^[A-Za-z0-9_-]{1,40}$/.test(dashboard.uid)) model.uid = dashboard.uid;
  const usedIds = new Set();
  for (const panel of flattenRows(dashboard.panels, report)) model.panels.push(importPanel(panel, usedIds, report));
  compactLayout(model.panels); // the rows' lines are gone; close the gaps they leave
  const annotations = (dashboard.annotations?.list || []).filter((a) => !a.builtIn);
  if (annotations.length) report.lost.push(`${annotations.length} annotation quer${annotations.length === 1 ? "y" : "ies"} (${annotations.map((a) => a.name).join(", ")}): annotations are not shown.`);
  if (Array.isArray(dashboard.links) && dashboard.links.length) report.lost.push(`${dashboard.links.length} dashboard link(s).`);
  return { model, report };
}

function importTime(time, report) {
  const fallback = { from: "now-6h", to: "now" };
  if (!time) return fallback;
  try {
    resolveTime(time.from);
    resolveTime(time.to);
    return { from: String(time.from), to: String(time.to) };
  } catch {
    report.notes.push(`The time range ${JSON.stringify(time.from)} to ${JSON.stringify(time.to)} is not understood here; the dashboard opens on the last 6 hours.`);
    return fallback;
  }
}

/** Top-level panels with every row's panels in its place (collapsed rows keep theirs inside the row). */
function flattenRows(panels, report) {
  return panels.flatMap((panel) => {
    if (panel?.type !== "row") return [panel];
    const inner = Array.isArray(panel.panels) ? panel.panels : [];
    report.notes.push(`Row “${panel.title || "untitled"}” was flattened${inner.length ? ` (its ${inner.length} panel(s) are on the grid)` : ""}.`);
    return inner;
  });
}

function importPanel(panel, usedIds, report) {
  const id = Number.isInteger(panel.id) && !usedIds.has(panel.id) ? panel.id : Math.max(0, ...usedIds) + 1;
  usedIds.add(id);
  const title = typeof panel.title === "string" ? panel.title : "";
  const name = title ? `Panel “${title}”` : `Panel ${id}`;
  const gridPos = importGridPos(panel.gridPos);
  const type = PANEL_TYPES[panel.type];
  if (!type) {
    report.lost.push(`${name}: Grafana panel type “${panel.type}” is not supported; it is kept as a note.`);
    report.panels.push({ title, type: "text", from: panel.type });
    return { id, title: title || String(panel.type), type: "text", gridPos,
      options: { content: `Not imported: a Grafana “${panel.type}” panel. Kansoku shows time series, stat, table, logs and text panels.` } };
  }
  const result = { id, title, type, gridPos };
  if (typeof panel.description === "string" && panel.description) result.description = panel.description;
  if (type === "text") {
    result.options = { content: String(panel.options?.content ?? panel.content ?? "") };
    if ((panel.options?.mode ?? panel.mode) === "html") report.notes.push(`${name}: HTML is shown as plain text.`);
  } else {
    result.targets = importTargets(panel, name, report);
    const unit = panel.fieldConfig?.defaults?.unit ?? (panel.type === "singlestat" ? panel.format : panel.yaxes?.[0]?.format);
    if (typeof unit === "string" && unit && unit !== "short" && unit !== "none") result.unit = unit;
  }
  if (panel.type === "gauge") report.notes.push(`${name}: a gauge is shown as a stat.`);
  const calcs = panel.options?.reduceOptions?.calcs;
  if (type === "stat" && Array.isArray(calcs) && calcs.length && !calcs.every((c) => c === "lastNotNull" || c === "last")) {
    report.notes.push(`${name}: shows the last value, not “${calcs.join(", ")}”.`);
  }
  report.panels.push({ title, type, from: panel.type });
  return result;
}

function importGridPos(pos) {
  const number = (value, fallback) => (Number.isFinite(value) ? Math.round(value) : fallback);
  const w = Math.min(GRID_COLUMNS, Math.max(1, number(pos?.w, 12)));
  return { x: Math.min(GRID_COLUMNS - w, Math.max(0, number(pos?.x, 0))), y: Math.max(0, number(pos?.y, 0)), w, h: Math.max(1, number(pos?.h, 8)) };
}

function sourceType(datasource) {
  return datasource && typeof datasource === "object" && typeof datasource.type === "string" ? datasource.type : null;
}

function importTargets(panel, name, report) {
  const targets = [];
  for (const [index, target] of (Array.isArray(panel.targets) ? panel.targets : []).entries()) {
    if (!target) continue;
    const ref = target.refId || String.fromCharCode(65 + index);
    if (target.hide) { report.notes.push(`${name}, query ${ref}: hidden in Grafana, so left out.`); continue; }
    const source = sourceType(target.datasource) || sourceType(panel.datasource);
    if (source && !QUERY_SOURCES.has(source)) {
      report.lost.push(`${name}, query ${ref}: its data source is “${source}”; only Prometheus and Loki queries are imported.`);
      continue;
    }
    if (typeof target.expr !== "string" || !target.expr.trim()) {
      report.lost.push(`${name}, query ${ref}: it has no PromQL or LogQL expression.`);
      continue;
    }
    const imported = { expr: target.expr };
    if (typeof target.legendFormat === "string" && target.legendFormat && target.legendFormat !== "__auto") imported.legendFormat = target.legendFormat;
    targets.push(imported);
  }
  return targets;
}

function variableQuery(variable) {
  if (typeof variable.query === "string") return variable.query;
  if (variable.query && typeof variable.query.query === "string") return variable.query.query;
  return typeof variable.definition === "string" ? variable.definition : "";
}

function importVariables(list, report) {
  const variables = [];
  for (const variable of Array.isArray(list) ? list : []) {
    if (!variable || typeof variable !== "object") continue;
    const name = `Variable $${variable.name}`;
    const base = {
      name: variable.name, ...(variable.label ? { label: variable.label } : {}),
      ...(variable.multi ? { multi: true } : {}), ...(variable.includeAll ? { includeAll: true } : {}),
      ...(variable.allValue ? { allValue: variable.allValue } : {}),
      ...(variable.current && "value" in variable.current ? { current: { text: variable.current.text, value: variable.current.value } } : {}),
    };
    const source = sourceType(variable.datasource);
    switch (variable.type) {
      case "query":
        if (source && source !== "prometheus") { report.lost.push(`${name}: its data source is “${source}”; only Prometheus variable queries are imported.`); break; }
        variables.push({ ...base, type: "query", query: variableQuery(variable), ...(variable.regex ? { regex: variable.regex } : {}) });
        break;
      case "custom": case "interval":
        variables.push({ ...base, type: "custom", query: String(variable.query ?? "") });
        break;
      case "constant": case "textbox":
        variables.push({ ...base, type: "custom", query: String(variable.query ?? variable.current?.value ?? "") });
        if (variable.type === "textbox") report.notes.push(`${name}: a text box becomes a list with its current value.`);
        break;
      case "datasource":
        report.notes.push(`${name} chose a data source; Kansoku is the only one, so it was left out.`);
        break;
      default:
        report.lost.push(`${name}: variables of type “${variable.type}” are not supported.`);
    }
  }
  return variables;
}
