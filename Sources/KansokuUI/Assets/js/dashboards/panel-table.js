// The table panel: each target as an instant query at the end of the range,
// one row per series, one column per label, then the value in the panel's unit.

import { prometheus } from "../api.js";
import { emptyState, h } from "../dom.js";
import { activeTargets } from "./panel-query.js";
import { formatValue } from "./units.js";

const MAX_ROWS = 500;

/** Draws `panel` into `body`; returns null (nothing to clean up). */
export async function renderTable(body, panel, q) {
  const targets = activeTargets(panel);
  if (!targets.length) { body.append(emptyState("This panel has no query yet.")); return null; }
  const time = q.range.end / 1000;
  const answers = await Promise.all(targets.map((t) => prometheus.query(q.expr(t.expr), time, { signal: q.signal })));
  const rows = answers.flatMap((data, i) => resultRows(data).map((row) => ({ ...row, query: String.fromCharCode(65 + i) })));
  if (!rows.length) { body.append(emptyState("No data at the end of this time range.")); return null; }
  const labels = [...new Set(rows.flatMap((r) => Object.keys(r.labels)))].sort((a, b) => (a === "__name__" ? -1 : b === "__name__" ? 1 : a.localeCompare(b)));
  const several = targets.length > 1;
  body.append(h("div", { class: "dash-table-scroll" }, h("table", { class: "data dash-table" },
    h("thead", {}, h("tr", {}, several ? h("th", {}, "Query") : null, labels.map((l) => h("th", {}, l === "__name__" ? "metric" : l)), h("th", { class: "num" }, "Value"))),
    h("tbody", {}, rows.slice(0, MAX_ROWS).map((r) => h("tr", {},
      several ? h("td", {}, r.query) : null,
      labels.map((l) => h("td", {}, r.labels[l] ?? "")),
      h("td", { class: "num" }, formatValue(r.value, panel.unit))))))));
  if (rows.length > MAX_ROWS) body.append(h("div", { class: "muted dash-note" }, `Showing ${MAX_ROWS} of ${rows.length} rows.`));
  return null;
}

function resultRows(data) {
  // Native histogram rows (`histogram`/`histograms`) have no single value to show: they are left out.
  if (data.resultType === "vector") return data.result.filter((r) => r.value).map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  if (data.resultType === "scalar") return [{ labels: {}, value: Number(data.result[1]) }];
  if (data.resultType === "matrix") return data.result.filter((r) => r.values).map((r) => ({ labels: r.metric, value: Number(r.values.at(-1)?.[1]) }));
  return [];
}
