// The logs view: a LogQL query over a time range, its volume by level as a
// histogram, and its lines (expandable into parsed fields, linked to their
// trace); or, with "Live", the lines the server tails as they arrive.
// URL state: `query`, `from`, `to`, `direction` (backward | forward),
// `limit`, `live` (1 = tailing), `labels` (0 = stream labels hidden).

import { loki } from "../api.js";
import { emptyState, errorBox, h, loading, replaceChildren } from "../dom.js";
import { resolveRange, rangeFromParams, timeRangePicker } from "../time-range.js";
import { entriesFromStreams } from "../logs/log-entries.js";
import { createLogLines } from "../logs/log-lines.js";
import { createLogVolume } from "../logs/log-volume.js";
import { createLogqlEditor } from "../logs/logql-editor.js";
import { openLiveTail } from "../logs/live-tail.js";
import { createLiveControls } from "../logs/live-controls.js";
import { streamPicker } from "../logs/stream-picker.js";

const LIMITS = [100, 500, 1000, 5000];
const DEFAULT_LIMIT = 1000;
// Live mode first shows this many recent lines, then keeps at most `limit` lines on the page.
const LIVE_HISTORY = 100;

/** Mounts the view; see app.js for the page contract. */
export function mount(root, ctx) {
  const state = {
    query: ctx.params.get("query") || "",
    range: rangeFromParams(ctx.params),
    direction: ctx.params.get("direction") === "forward" ? "forward" : "backward",
    limit: LIMITS.includes(Number(ctx.params.get("limit"))) ? Number(ctx.params.get("limit")) : DEFAULT_LIMIT,
    live: ctx.params.get("live") === "1",
    showLabels: ctx.params.get("labels") !== "0",
  };
  let runController = null, tail = null, streamNames = new Set();

  const editor = createLogqlEditor({
    value: state.query, signal: ctx.signal, onRun: () => runFromEditor(),
    range: () => { try { return resolveRange(state.range); } catch { return resolveRange({ from: "now-1h", to: "now" }); } },
  });
  const pickerSlot = h("div", { class: "logs-range" });
  const directionSelect = h("select", { "aria-label": "Order", title: "Order of the lines",
    onchange: () => { state.direction = directionSelect.value; ctx.setParams({ direction: state.direction === "backward" ? null : state.direction }, { push: true }); run(); } },
  h("option", { value: "backward", selected: state.direction === "backward" }, "Newest first"),
  h("option", { value: "forward", selected: state.direction === "forward" }, "Oldest first"));
  const limitSelect = h("select", { "aria-label": "Line limit", title: "The most lines to show",
    onchange: () => { state.limit = Number(limitSelect.value); ctx.setParams({ limit: state.limit === DEFAULT_LIMIT ? null : state.limit }, { push: true }); run(); } },
  LIMITS.map((n) => h("option", { value: String(n), selected: n === state.limit }, `${n} lines`)));
  const liveButton = h("button", { type: "button", class: "logs-live-toggle", "aria-pressed": String(state.live),
    title: "Show new lines as they arrive", onclick: () => setLive(!state.live) }, h("span", { class: "live-dot" }), "Live");
  const runButton = h("button", { class: "primary logs-run", type: "button", title: "Run the query (Enter)", onclick: () => runFromEditor() }, "Run query");
  const labelsToggle = h("input", { type: "checkbox", checked: state.showLabels,
    onchange: () => { state.showLabels = labelsToggle.checked; lines.setShowLabels(state.showLabels); ctx.setParams({ labels: state.showLabels ? null : "0" }); } });

  const volume = createLogVolume({ onZoom: (start, end) => setRange({ from: String(start), to: String(end) }) });
  const lines = createLogLines({ streamLabelNames: () => streamNames, showLabels: state.showLabels });
  const live = createLiveControls();
  const stats = h("div", { class: "logs-stats muted", "aria-live": "polite" });
  const linesBody = h("div", { class: "logs-lines-body" });
  const linesPanel = h("section", { class: "panel logs-lines" },
    h("header", {}, h("h2", {}, "Lines"), stats, live.element, h("span", { class: "spacer" }),
      h("label", { class: "logs-labels-toggle" }, labelsToggle, "Stream labels")),
    linesBody);

  replaceChildren(root,
    h("div", { class: "toolbar logs-toolbar" }, h("h1", {}, "Logs"), h("span", { class: "spacer" }),
      directionSelect, limitSelect, pickerSlot, liveButton),
    h("section", { class: "panel logs-query" }, h("div", { class: "logs-query-row" }, editor.element, runButton)),
    volume.element, linesPanel);

  function renderPicker() {
    replaceChildren(pickerSlot, timeRangePicker(state.range, { onChange: (range) => setRange(range), onRefresh: () => run() }));
  }

  function setRange(range) {
    state.range = range;
    ctx.setParams({ from: range.from, to: range.to }, { push: true });
    renderPicker();
    run();
  }

  function setLive(on) {
    state.live = on;
    ctx.setParams({ live: on ? "1" : null }, { push: true });
    run();
  }

  function runFromEditor() {
    state.query = editor.value().trim();
    ctx.setParams({ query: state.query }, { push: true });
    run();
  }

  function stopTail() {
    tail?.close();
    tail = null;
  }

  async function run() {
    runController?.abort();
    runController = new AbortController();
    const signal = AbortSignal.any([ctx.signal, runController.signal]);
    stopTail();
    editor.setError(null);
    replaceChildren(stats);
    live.reset(false);
    liveButton.setAttribute("aria-pressed", String(state.live));
    liveButton.classList.toggle("active", state.live);
    volume.element.hidden = state.live;
    for (const control of [directionSelect, pickerSlot]) control.classList.toggle("disabled-in-live", state.live);
    if (!state.query) {
      volume.destroy();
      volume.element.hidden = true;
      replaceChildren(linesBody, streamPicker({ range: state.range, signal, onPick: (query) => {
        editor.setValue(query);
        runFromEditor();
      } }));
      return;
    }
    let range;
    try {
      range = resolveRange(state.range);
    } catch (error) {
      replaceChildren(linesBody, errorBox(error, "Cannot run the query"));
      return;
    }
    replaceChildren(linesBody, loading(state.live ? "Connecting…" : "Running query…"));
    // Stream label names tell stream labels from structured metadata in each line's labels.
    const names = loki.labels(`${range.start}000000`, `${range.end}000000`, { signal }).catch(() => []);
    try {
      if (state.live) await startLive(range, names, signal);
      else await Promise.all([showLines(range, names, signal), volume.load(state.query, range, signal)]);
    } catch (error) {
      if (error.name === "AbortError") return;
      if (error.status === 400) {
        editor.setError(error);
        volume.destroy();
        volume.element.hidden = true;
        replaceChildren(linesBody, emptyState("Fix the query above and run it again."));
      } else replaceChildren(linesBody, errorBox(error, "The query failed"));
    }
  }

  async function showLines(range, names, signal) {
    const began = performance.now();
    const data = await loki.queryRange({
      query: state.query, start: `${range.start}000000`, end: `${range.end}000000`, limit: state.limit, direction: state.direction,
    }, { signal });
    streamNames = new Set(await names);
    if (data.resultType !== "streams") {
      throw Object.assign(new Error("This view shows log lines: enter a log query (a stream selector with filters), not a metric query."), { status: 400 });
    }
    const entries = entriesFromStreams(data.result, state.direction);
    const queryMs = performance.now() - began;
    if (!entries.length) {
      replaceChildren(linesBody, emptyState("No lines match the query in this time range."));
    } else {
      lines.show(entries);
      replaceChildren(linesBody, lines.element);
    }
    const limited = entries.length >= state.limit;
    replaceChildren(stats, `${entries.length.toLocaleString()} ${entries.length === 1 ? "line" : "lines"}${limited ? " (limit reached)" : ""}`,
      h("span", { class: "sep" }, "·"), `${state.direction === "backward" ? "newest" : "oldest"} first`,
      h("span", { class: "sep" }, "·"), `${Math.round(queryMs)} ms`);
    Object.assign(stats.dataset, { lines: String(entries.length) });
  }

  async function startLive(range, names, signal) {
    // Ask over HTTP first: a bad query gets the server's message (a refused WebSocket upgrade carries none).
    await loki.queryRange({ query: state.query, start: `${range.end - 1000}000000`, end: `${range.end}000000`, limit: 1 }, { signal });
    streamNames = new Set(await names);
    if (signal.aborted) return;
    lines.show([]);
    replaceChildren(linesBody, lines.element, emptyState("Waiting for lines…"));
    const waiting = linesBody.lastChild;
    live.reset(true, { onResume: (held) => { lines.prepend(held, state.limit); updateLiveStats(); } });
    const updateLiveStats = () => {
      replaceChildren(stats, `${lines.count().toLocaleString()} ${lines.count() === 1 ? "line" : "lines"}`, h("span", { class: "sep" }, "·"), "newest first");
      stats.dataset.lines = String(lines.count());
    };
    updateLiveStats();
    tail = openLiveTail({
      query: state.query, historyLimit: Math.min(LIVE_HISTORY, state.limit), startMs: range.start,
      onEntries: (entries) => {
        waiting.remove();
        if (live.hold(entries, state.limit)) return;
        lines.prepend(entries, state.limit);
        updateLiveStats();
      },
      onDropped: (count) => live.addDropped(count),
      onState: (status, detail) => live.setStatus(status, detail),
    });
  }

  renderPicker();
  run();
  return { unmount: () => { runController?.abort(); stopTail(); volume.destroy(); } };
}
