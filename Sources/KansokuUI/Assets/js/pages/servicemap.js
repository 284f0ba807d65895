// The service map view (/ui/servicemap): services and the calls between
// them over a time range (/api/kansoku/v1/servicemap), with request rate,
// error rate and p95 latency; a selected service or call lists its traces.
// URL state: `from`, `to`, and `node=<service>` or `edge=<caller>><callee>`.

import { kansoku } from "../api.js";
import { emptyState, errorBox, h, loading, replaceChildren } from "../dom.js";
import { mergeBuckets, quantile } from "../servicemap/latency.js";
import { serviceGraph } from "../servicemap/graph.js";
import { sidePanel } from "../servicemap/side-panel.js";
import { rangeFromParams, resolveRange, timeRangePicker } from "../time-range.js";

const CALLEE_KINDS = new Set(["SPAN_KIND_SERVER", "SPAN_KIND_CONSUMER"]);

function selectionFromParams(params) {
  if (params.get("node")) return { node: params.get("node") };
  const edge = params.get("edge");
  const split = edge ? edge.lastIndexOf(">") : -1;
  return split > 0 ? { edge: [edge.slice(0, split), edge.slice(split + 1)] } : null;
}

/**
 * The numbers the map shows. A service's p95 comes from the calls into it
 * (their histograms add up exactly); a service nobody calls has no such
 * histogram, so its entry operations' p95 from the RED metrics is used — the
 * slowest one's when there are several.
 */
function mapData(map, red, seconds) {
  const edges = map.edges.map((edge) => ({
    source: edge.source, target: edge.target, virtual: edge.virtual, calls: edge.calls, errors: edge.errors,
    rate: edge.calls / seconds, errorRate: edge.errorRate, p50: edge.p50Seconds, p95: edge.p95Seconds, p99: edge.p99Seconds,
    buckets: edge.buckets,
  }));
  const nodes = map.nodes.map((node) => {
    const incoming = edges.filter((e) => e.target === node.service);
    let p95 = null;
    if (incoming.length) {
      p95 = quantile(mergeBuckets(incoming.map((e) => e.buckets)), 0.95);
    } else {
      const own = red.series.filter((row) => row.service === node.service);
      const entry = own.filter((row) => CALLEE_KINDS.has(row.spanKind));
      const rows = (entry.length ? entry : own).filter((row) => row.p95Seconds != null);
      if (rows.length) p95 = Math.max(...rows.map((row) => row.p95Seconds));
    }
    return {
      service: node.service, virtual: node.virtual, requests: node.requests, errors: node.errors,
      rate: node.requests / seconds, errorRate: node.requests ? node.errors / node.requests : 0, p95,
    };
  });
  return { nodes, edges };
}

/** The page contract of app.js. */
export function mount(root, ctx) {
  let selection = selectionFromParams(ctx.params);
  let load = null; // AbortController of the current load
  const mapHolder = h("section", { class: "panel sm-map", "aria-label": "Service map" });
  const side = h("aside", { class: "panel sm-side", "aria-label": "Selection" });
  const picker = timeRangePicker(rangeFromParams(ctx.params), {
    onChange: (range) => { ctx.setParams(range, { push: true }); refresh(); },
    onRefresh: () => refresh(),
  });
  replaceChildren(root,
    h("div", { class: "toolbar sm-toolbar" },
      h("h1", {}, "Service map"),
      h("span", { class: "sm-legend muted" },
        h("span", { class: "sm-legend-line" }), "calls (thicker = more)",
        h("span", { class: "sm-legend-line error" }), "with errors"),
      h("span", { class: "spacer" }), picker),
    h("div", { class: "sm-body" }, mapHolder, side));

  async function refresh() {
    load?.abort();
    const controller = new AbortController();
    load = controller;
    ctx.signal.addEventListener("abort", () => controller.abort(), { once: true });
    replaceChildren(mapHolder, loading("Computing the service map…"));
    replaceChildren(side);
    let range;
    try {
      range = resolveRange(rangeFromParams(new URLSearchParams(location.search)));
      const [start, end] = [range.start / 1000, range.end / 1000];
      const [map, red] = await Promise.all([
        kansoku.serviceMap(start, end, { signal: controller.signal }),
        kansoku.red({ start, end }, { signal: controller.signal }),
      ]);
      if (controller.signal.aborted) return;
      show(mapData(map, red, Math.max(end - start, 1e-3)), range, controller.signal);
    } catch (error) {
      if (error.name === "AbortError") return;
      replaceChildren(mapHolder, errorBox(error, "The service map could not be computed"));
    }
  }

  function show(data, range, signal) {
    if (!data.nodes.length) {
      replaceChildren(mapHolder, emptyState("No spans in this time range, so no services to draw. Pick a longer range or send traces."));
      return;
    }
    const select = (next) => {
      selection = next;
      ctx.setParams({ node: next?.node ?? null, edge: next?.edge ? next.edge.join(">") : null }, { push: true });
      graph.select(selection);
      replaceChildren(side, sidePanel(data, selection, { range, signal, onSelect: select }));
    };
    const graph = serviceGraph(data, { onSelect: select });
    replaceChildren(mapHolder, h("div", { class: "sm-canvas" }, graph.element));
    graph.select(selection);
    replaceChildren(side, sidePanel(data, selection, { range, signal, onSelect: select }));
  }

  refresh();
  return { unmount: () => load?.abort() };
}
