// The metrics explorer: a PromQL query over a time range, drawn as a graph
// (query_range) or listed as a table (an instant query at the range's end).
// URL state: `query`, `from`, `to`, `tab` (graph | table), `step` (optional, e.g. 30s).

import { prometheus } from "../api.js";
import { append, emptyState, errorBox, h, loading, replaceChildren } from "../dom.js";
import { formatDurationSeconds, formatNumber, formatSeriesName } from "../format.js";
import { TimeChart } from "../components/timechart.js";
import { firstMetric } from "../metrics/promql-language.js";
import { createPromqlEditor } from "../metrics/promql-editor.js";
import { resultTable } from "../metrics/result-table.js";
import { rangeFromParams, resolveRange, stepFor, timeRangePicker } from "../time-range.js";

const TABS = [["graph", "Graph"], ["table", "Table"]];

/** Mounts the view; see app.js for the page contract. */
export function mount(root, ctx) {
  const state = {
    query: ctx.params.get("query") || "",
    range: rangeFromParams(ctx.params),
    tab: ctx.params.get("tab") === "table" ? "table" : "graph",
    step: ctx.params.get("step") || "",
  };
  let chart = null, runController = null;

  const editor = createPromqlEditor({ value: state.query, signal: ctx.signal, onRun: () => runEdited() });
  const pickerSlot = h("div", { class: "metrics-range" });
  const stepInput = h("input", { class: "metrics-step", type: "text", value: state.step, placeholder: "auto", "aria-label": "Step",
    title: "Resolution of the graph: seconds or a duration such as 30s or 5m; empty chooses one for the range",
    onkeydown: (event) => { if (event.key === "Enter") runEdited(); } });
  const runButton = h("button", { class: "primary metrics-run", type: "button", title: "Run the query (Ctrl+Enter)", onclick: () => runEdited() }, "Run query");
  const tabButtons = TABS.map(([id, label]) => h("button", { type: "button", dataset: { tab: id }, role: "tab",
    onclick: () => { state.tab = id; runEdited({ push: false }); } }, label));
  const stats = h("div", { class: "metrics-stats muted", "aria-live": "polite" });
  const body = h("div", { class: "metrics-result" });

  replaceChildren(root,
    h("div", { class: "toolbar metrics-toolbar" }, h("h1", {}, "Metrics explorer"), h("span", { class: "spacer" }),
      h("label", { class: "metrics-step-field" }, "Step", stepInput), pickerSlot),
    h("section", { class: "panel metrics-query" }, h("div", { class: "metrics-query-row" }, editor.element, runButton)),
    h("section", { class: "panel metrics-results" },
      h("div", { class: "metrics-results-head" }, h("div", { class: "tabs", role: "tablist" }, tabButtons), stats),
      body));

  function renderPicker() {
    replaceChildren(pickerSlot, timeRangePicker(state.range, {
      onChange: (range) => setRange(range),
      onRefresh: () => run(),
    }));
  }

  function setRange(range) {
    state.range = range;
    renderPicker();
    runEdited();
  }

  /** Runs what the editor and the step field say now, and records it with the range and tab in the URL. */
  function runEdited({ push = true } = {}) {
    state.query = editor.value().trim();
    state.step = stepInput.value.trim();
    ctx.setParams({ query: state.query, step: state.step, from: state.range.from, to: state.range.to,
      tab: state.tab === "graph" ? null : state.tab }, { push });
    run();
  }

  function dropChart() {
    chart?.destroy();
    chart = null;
  }

  async function run() {
    runController?.abort();
    runController = new AbortController();
    const signal = AbortSignal.any([ctx.signal, runController.signal]);
    for (const button of tabButtons) button.classList.toggle("active", button.dataset.tab === state.tab);
    editor.setError(null);
    replaceChildren(stats);
    for (const key of Object.keys(stats.dataset)) delete stats.dataset[key];
    dropChart();
    if (!state.query) {
      replaceChildren(body, emptyState("Enter a PromQL expression above and press Run query (or Ctrl+Enter). Start typing a metric name to see what the server has."));
      return;
    }
    let range, stepSeconds;
    try {
      range = resolveRange(state.range);
      stepSeconds = state.step ? parseStep(state.step) : stepFor(range);
    } catch (error) {
      replaceChildren(body, errorBox(error, "Cannot run the query"));
      return;
    }
    replaceChildren(body, loading("Running query…"));
    try {
      if (state.tab === "table") await showTable(range, signal);
      else await showGraph(range, stepSeconds, signal);
    } catch (error) {
      if (error.name === "AbortError") return;
      if (error.type === "bad_data") {
        editor.setError(error);
        replaceChildren(body, emptyState("Fix the query above and run it again."));
      } else replaceChildren(body, errorBox(error, "The query failed"));
    }
  }

  async function showGraph(range, stepSeconds, signal) {
    const began = performance.now();
    const data = await prometheus.queryRange(state.query, range.start / 1000, range.end / 1000, stepSeconds, { signal });
    const queryMs = performance.now() - began;
    const arrived = performance.mark("kansoku:metrics:data").startTime;
    // Native histograms are not lines: they are left out of the chart, and a note says how to chart them.
    const floats = data.result.filter((element) => element.values);
    const histogramCount = data.result.length - floats.length;
    const { common, names } = distinguishingNames(floats.map((element) => element.metric));
    const series = floats.map((element, i) => ({
      name: names[i], title: formatSeriesName(element.metric), labels: element.metric,
      points: element.values.map(([t, v]) => [t * 1000, v]),
    }));
    const points = series.reduce((sum, s) => sum + s.points.length, 0);
    replaceChildren(body);
    if (histogramCount) {
      append(body, h("p", { class: "muted metrics-histogram-note" },
        `${histogramCount} native histogram ${histogramCount === 1 ? "series is" : "series are"} not drawn: chart `,
        h("code", {}, "histogram_quantile(0.9, rate(…[5m]))"), ", ", h("code", {}, "histogram_count(…)"), " or ",
        h("code", {}, "histogram_sum(…)"), ", or see them in the table."));
    }
    if (!series.length) {
      if (!histogramCount) replaceChildren(body, emptyState("The query returned no series in this time range."));
    } else {
      if (common) {
        const text = formatSeriesName(common);
        append(body, h("div", { class: "metrics-common-labels" }, h("span", { class: "muted" }, "Common labels"), h("code", { title: text }, text)));
      }
      chart = new TimeChart(body, { height: 340, unit: guessUnit(state.query), onZoom: (start, end) => setRange({ from: String(start), to: String(end) }) });
      chart.setData(series, { start: range.start, end: range.end, step: stepSeconds * 1000 });
    }
    const render = performance.measure("kansoku:metrics:render", "kansoku:metrics:data");
    showStats([
      `${series.length} series`, `${formatNumber(points)} points`, `step ${formatDurationSeconds(stepSeconds)}`,
      `query ${Math.round(queryMs)} ms`, `render ${Math.round(render.duration)} ms`,
    ], { series: series.length, points, queryMs: Math.round(queryMs), renderMs: render.duration.toFixed(1) });
    // Until the frame with the chart is painted: the callback after the next animation frame runs once it is.
    requestAnimationFrame(() => setTimeout(() => {
      if (!signal.aborted) stats.dataset.paintMs = (performance.now() - arrived).toFixed(1);
    }));
  }

  async function showTable(range, signal) {
    const began = performance.now();
    const data = await prometheus.query(state.query, range.end / 1000, { signal });
    const queryMs = performance.now() - began;
    replaceChildren(body, resultTable(data, guessUnit(state.query)));
    const count = Array.isArray(data.result) && data.resultType !== "scalar" && data.resultType !== "string" ? data.result.length : 1;
    showStats([`${data.resultType}`, `${count} ${count === 1 ? "result" : "results"}`, `query ${Math.round(queryMs)} ms`],
      { series: count, queryMs: Math.round(queryMs) });
  }

  function showStats(parts, dataset) {
    replaceChildren(stats, parts.map((part, i) => [i ? h("span", { class: "sep" }, "·") : null, h("span", {}, part)]));
    Object.assign(stats.dataset, dataset);
  }

  renderPicker();
  run();
  return { unmount: () => { runController?.abort(); dropChart(); } };
}

/**
 * Names that tell a result's series apart: labels every series shares are
 * returned once as `common` (null if none), and each name keeps only the rest,
 * so a legend reads `{route="/a"}` rather than repeating the job and instance.
 */
function distinguishingNames(metrics) {
  if (metrics.length < 2) return { common: null, names: metrics.map(formatSeriesName) };
  const [first] = metrics;
  const shared = Object.keys(first).filter((key) => metrics.every((metric) => metric[key] === first[key]));
  if (!shared.length) return { common: null, names: metrics.map(formatSeriesName) };
  const names = metrics.map((metric) => formatSeriesName(Object.fromEntries(Object.entries(metric).filter(([key]) => !shared.includes(key)))));
  return { common: Object.fromEntries(shared.map((key) => [key, first[key]])), names };
}

/** A step in seconds from `30`, `30s`, `5m`, `1h`… */
function parseStep(text) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text);
  if (!match || Number(match[1]) <= 0) throw new Error(`"${text}" is not a step: use seconds or a duration such as 30s, 5m or 1h`);
  const unit = { ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 }[match[2] || "s"];
  return Number(match[1]) * unit;
}

/** The y unit suggested by the queried metric's name: `_seconds` → seconds, `_bytes` → bytes (after `_total`, `_sum`, `_bucket`). */
function guessUnit(query) {
  const base = firstMetric(query).replace(/_(total|sum|bucket)$/, "");
  if (base.endsWith("_seconds")) return "seconds";
  if (base.endsWith("_bytes")) return "bytes";
  return "";
}
