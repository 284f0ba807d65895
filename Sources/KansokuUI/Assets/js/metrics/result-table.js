// The table view of an instant query's result: one row per series (vector),
// one row with the value (scalar, string), or each series' samples (matrix,
// from a range selector such as `up[5m]`).

import { emptyState, h } from "../dom.js";
import { formatDateTime, formatNumber } from "../format.js";

const MAX_ROWS = 2000;

/** A `table.data` (or an empty note) for a Prometheus query result `{ resultType, result }`; `unit` adds a readable form next to raw values. */
export function resultTable({ resultType, result }, unit = "") {
  if (resultType === "scalar" || resultType === "string") {
    return table(["Type", "Value"], [h("tr", {}, h("td", {}, resultType), valueCell(result[1], resultType === "scalar" ? unit : null))]);
  }
  if (!result.length) return emptyState("The query returned no series at this time.");
  const rows = result.slice(0, MAX_ROWS).map((element) => resultType === "matrix"
    ? h("tr", {}, h("td", {}, seriesLabel(element.metric)),
      h("td", {}, samplesList(element.values || [], unit), histogramList(element.histograms || [])))
    : h("tr", {}, h("td", {}, seriesLabel(element.metric)),
      element.histogram ? histogramCell(element.histogram[1]) : valueCell(element.value[1], unit)));
  const more = result.length > MAX_ROWS ? h("p", { class: "muted" }, `Showing ${MAX_ROWS} of ${result.length} series.`) : null;
  return h("div", { class: "metrics-table" }, table(["Series", resultType === "matrix" ? "Samples" : "Value"], rows), more);
}

function table(headings, rows) {
  return h("table", { class: "data" }, h("thead", {}, h("tr", {}, headings.map((text) => h("th", { class: text === "Value" ? "num" : "" }, text)))), h("tbody", {}, rows));
}

function valueCell(raw, unit) {
  const readable = unit ? formatNumber(Number(raw), unit) : null;
  return h("td", { class: "num value" }, h("span", { class: "raw" }, raw), readable ? h("span", { class: "muted readable" }, readable) : null);
}

/** `name{label="value", …}` with the name emphasised and each pair kept whole when the line wraps. */
function seriesLabel(metric) {
  const { __name__: name = "", ...labels } = metric || {};
  const pairs = Object.keys(labels).sort().map((key, i, keys) =>
    h("span", { class: "label-pair" }, h("span", { class: "label-name" }, key), "=", h("span", { class: "label-value" }, JSON.stringify(labels[key])), i < keys.length - 1 ? ", " : ""));
  return h("span", { class: "series-label mono" }, h("span", { class: "metric-name" }, name),
    pairs.length || !name ? ["{", pairs, "}"] : null);
}

/** A native histogram: its count, sum and populated buckets (`(lower, upper]: count`). */
function histogramSummary(histogram) {
  const buckets = (histogram.buckets || []).map(([rule, lower, upper, count]) =>
    `${rule === 1 || rule === 3 ? "[" : "("}${lower}, ${upper}${rule === 0 || rule === 3 ? "]" : ")"}: ${count}`);
  return [h("span", { class: "raw" }, `histogram · count ${histogram.count} · sum ${histogram.sum}`),
    buckets.length ? h("span", { class: "muted histogram-buckets", title: buckets.join("\n") }, `${buckets.length} buckets`) : null];
}

function histogramCell(histogram) {
  return h("td", { class: "num value histogram" }, histogramSummary(histogram));
}

function histogramList(histograms) {
  if (!histograms.length) return null;
  return h("div", { class: "samples mono" }, histograms.map(([t, histogram]) => [
    h("span", { class: "num" }, histogramSummary(histogram)), h("span", { class: "muted" }, ""),
    h("span", { class: "muted" }, `@ ${formatDateTime(t * 1000, { millis: true })}`)]));
}

function samplesList(values, unit) {
  return h("div", { class: "samples mono" }, values.map(([t, v]) => [
    h("span", { class: "num" }, v), h("span", { class: "muted" }, unit ? formatNumber(Number(v), unit) : ""),
    h("span", { class: "muted" }, `@ ${formatDateTime(t * 1000, { millis: true })}`)]));
}
