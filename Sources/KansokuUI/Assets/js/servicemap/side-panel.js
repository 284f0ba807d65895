// Beside the map: with nothing selected, the list of calls; with a service
// selected, its numbers, its callers and callees, and its traces (Jaeger
// search); with a call selected, its numbers and the traces in which the
// caller calls the callee (a TraceQL structural query).

import { jaeger, tempo } from "../api.js";
import { emptyState, errorBox, h, loading, replaceChildren } from "../dom.js";
import { formatDurationSeconds } from "../format.js";
import { summarizeJaegerTrace } from "../traces/jaeger-summary.js";
import { formatPercent, formatRate } from "../traces/rate-format.js";
import { resultsList, serviceChip } from "../traces/results-list.js";

const TRACE_LIMIT = 20;

function tile(label, value, tone = "") {
  return h("div", { class: `sm-tile ${tone}` }, h("div", { class: "sm-tile-label" }, label), h("div", { class: "sm-tile-value" }, value));
}

function p95Text(seconds) {
  return seconds == null ? "—" : formatDurationSeconds(seconds);
}

function quoteTraceQL(text) {
  return `"${text.replace(/[\\"]/g, "\\$&")}"`;
}

/** TraceQL for the traces in which `edge.source` calls `edge.target`. */
function edgeTraceQL(edge) {
  const caller = `resource.service.name = ${quoteTraceQL(edge.source)}`;
  if (!edge.virtual) return `{ ${caller} } > { resource.service.name = ${quoteTraceQL(edge.target)} }`;
  // A peer that sent no spans is known only from the attributes of the caller's client spans.
  const peer = ["peer.service", "server.address", "net.peer.name"].map((key) => `span.${key} = ${quoteTraceQL(edge.target)}`).join(" || ");
  return `{ ${caller} && (${peer}) }`;
}

function rangeQuery(range) {
  return `from=${Math.floor(range.start)}&to=${Math.ceil(range.end)}`;
}

/**
 * The panel for `selection` (`{node}`, `{edge: [source, target]}` or null)
 * over `data` (see graph.js) and `range` ({start, end}, epoch ms).
 * `onSelect(selection)` selects a service or call listed in the panel.
 */
export function sidePanel(data, selection, { range, signal, onSelect }) {
  if (selection?.node) {
    const node = data.nodes.find((n) => n.service === selection.node);
    if (node) return nodePanel(node, data, { range, signal, onSelect });
  }
  if (selection?.edge) {
    const edge = data.edges.find((e) => e.source === selection.edge[0] && e.target === selection.edge[1]);
    if (edge) return edgePanel(edge, { range, signal, onSelect });
  }
  return overview(data, onSelect);
}

function edgeButton(edge, onSelect) {
  return h("button", { type: "button", class: "link sm-edge-link", onclick: () => onSelect({ edge: [edge.source, edge.target] }) },
    `${edge.source} → ${edge.target}`);
}

function edgeTable(edges, onSelect) {
  return h("table", { class: "data sm-edge-table" },
    h("thead", {}, h("tr", {}, h("th", {}, "Call"), h("th", { class: "num" }, "Calls"), h("th", { class: "num" }, "Err"), h("th", { class: "num" }, "p95"))),
    h("tbody", {}, edges.map((edge) => h("tr", { dataset: { source: edge.source, target: edge.target } },
      h("td", {}, edgeButton(edge, onSelect)),
      h("td", { class: "num" }, String(edge.calls)),
      h("td", { class: `num${edge.errors ? " bad" : ""}` }, formatPercent(edge.errorRate)),
      h("td", { class: "num" }, p95Text(edge.p95))))));
}

function overview(data, onSelect) {
  const edges = [...data.edges].sort((a, b) => b.calls - a.calls);
  return h("div", { class: "sm-side-content" },
    h("h2", {}, `${data.nodes.length} services · ${data.edges.length} calls`),
    h("p", { class: "muted small" }, "Click a service or a call to list its traces."),
    edges.length ? edgeTable(edges, onSelect) : emptyState("No calls between services in this time range."));
}

function nodePanel(node, data, { range, signal, onSelect }) {
  const incoming = data.edges.filter((e) => e.target === node.service);
  const outgoing = data.edges.filter((e) => e.source === node.service);
  const traces = h("div", { class: "sm-traces" });
  const searchHref = `/ui/traces?service=${encodeURIComponent(node.service)}&${rangeQuery(range)}`;
  const content = h("div", { class: "sm-side-content", dataset: { node: node.service } },
    h("header", { class: "sm-side-head" }, serviceChip(node.service), node.virtual ? h("span", { class: "muted small" }, "known only from its callers") : null,
      h("button", { type: "button", class: "ghost", "aria-label": "Clear the selection", onclick: () => onSelect(null) }, "✕")),
    h("div", { class: "sm-tiles" },
      tile("Requests", String(node.requests)), tile("Rate", formatRate(node.rate)),
      tile(`Errors (${node.errors})`, formatPercent(node.errorRate), node.errors ? "bad" : ""), tile("p95", p95Text(node.p95))),
    incoming.length ? [h("h3", {}, "Called by"), edgeTable(incoming, onSelect)] : null,
    outgoing.length ? [h("h3", {}, "Calls"), edgeTable(outgoing, onSelect)] : null,
    h("h3", { class: "sm-traces-head" }, "Traces", h("a", { href: searchHref, class: "small" }, "Open in Traces ↗")),
    traces);
  if (node.virtual) {
    replaceChildren(traces, emptyState("This peer sent no spans; select a call into it to see the callers' traces."));
  } else {
    loadTraces(traces, () => jaeger.traces({
      service: node.service, limit: TRACE_LIMIT, start: Math.floor(range.start * 1000), end: Math.ceil(range.end * 1000),
    }, { signal }));
  }
  return content;
}

function edgePanel(edge, { range, signal, onSelect }) {
  const q = edgeTraceQL(edge);
  const traces = h("div", { class: "sm-traces" });
  const content = h("div", { class: "sm-side-content", dataset: { source: edge.source, target: edge.target } },
    h("header", { class: "sm-side-head" }, serviceChip(edge.source), h("span", { class: "sm-arrow-text" }, "→"), serviceChip(edge.target),
      h("button", { type: "button", class: "ghost", "aria-label": "Clear the selection", onclick: () => onSelect(null) }, "✕")),
    h("div", { class: "sm-tiles" },
      tile("Calls", String(edge.calls)), tile("Rate", formatRate(edge.rate)),
      tile(`Errors (${edge.errors})`, formatPercent(edge.errorRate), edge.errors ? "bad" : ""), tile("p95", p95Text(edge.p95))),
    h("p", { class: "muted small" }, `p50 ${p95Text(edge.p50)} · p99 ${p95Text(edge.p99)}`),
    h("h3", { class: "sm-traces-head" }, "Traces with this call",
      h("a", { href: `/ui/traces?q=${encodeURIComponent(q)}&${rangeQuery(range)}`, class: "small" }, "Open in Traces ↗")),
    h("code", { class: "sm-traceql" }, q),
    traces);
  loadTraces(traces, async () => {
    const hits = await tempo.search({ q, limit: TRACE_LIMIT, start: Math.floor(range.start / 1000), end: Math.ceil(range.end / 1000) }, { signal });
    return hits.length ? jaeger.traces({ traceID: hits.map((hit) => hit.traceID) }, { signal }) : [];
  });
  return content;
}

function loadTraces(holder, fetchTraces) {
  replaceChildren(holder, loading("Finding traces…"));
  fetchTraces()
    .then((traces) => replaceChildren(holder, traces.length
      ? resultsList(traces.map(summarizeJaegerTrace), { compact: true })
      : emptyState("No traces in this time range.")))
    .catch((error) => { if (error.name !== "AbortError") replaceChildren(holder, errorBox(error, "Finding traces failed")); });
}
