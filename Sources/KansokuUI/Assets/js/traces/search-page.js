// The trace search (/ui/traces): the form on the left, the scatter and the
// results on the right. The query lives in the URL — Jaeger-style
// (`service`, `operation`, `tags`, `minDuration`, `maxDuration`, `limit`)
// or TraceQL (`q`) — with `from`/`to` and the list's `sort`.

import { jaeger, tempo } from "../api.js";
import { emptyState, errorBox, h, loading, replaceChildren } from "../dom.js";
import { rangeFromParams, resolveRange } from "../time-range.js";
import { summarizeJaegerTrace } from "./jaeger-summary.js";
import { resultsList, serviceChip, SORTS } from "./results-list.js";
import { durationScatter } from "./scatter.js";
import { searchForm } from "./search-form.js";
import { parseTags } from "./tags.js";

/** Fills `root` with the search view; returns `{unmount}`. */
export function mountSearch(root, ctx) {
  const services = jaeger.services({ signal: ctx.signal }).then((names) => names.sort());
  services.catch(() => {}); // the form shows the failure
  const results = h("section", { class: "trace-search-results", "aria-label": "Search results" });
  let running = null; // AbortController of the search in flight
  let scatter = null;

  const onSearch = (updates) => {
    ctx.setParams(updates, { push: true });
    run();
  };
  const form = searchForm({
    params: ctx.params, range: rangeFromParams(ctx.params), services, signal: ctx.signal, onSearch, onRefresh: () => run(),
  });
  replaceChildren(root, h("div", { class: "traces-search" }, form, results));

  async function run() {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    ctx.signal.addEventListener("abort", () => controller.abort(), { once: true });
    scatter?.destroy();
    scatter = null;
    const params = new URLSearchParams(location.search);
    if (!params.get("q") && !params.get("service")) {
      replaceChildren(results, await startHint(services, params));
      return;
    }
    replaceChildren(results, loading("Searching traces…"));
    try {
      const window = resolveRange(rangeFromParams(params));
      const found = params.get("q")
        ? await searchTraceQL(params, window, controller.signal)
        : await searchJaeger(params, window, controller.signal);
      if (controller.signal.aborted) return;
      showResults(found, window, params);
    } catch (error) {
      if (error.name === "AbortError") return;
      replaceChildren(results, errorBox(error, "The search failed"));
    }
  }

  function showResults(summaries, window, params) {
    if (!summaries.length) {
      replaceChildren(results, h("div", { class: "panel" }, emptyState("No traces match this search in the time range.")));
      return;
    }
    const sort = params.get("sort") in SORTS ? params.get("sort") : "recent";
    const list = h("div", {}, resultsList(summaries, { sort }));
    const sortSelect = h("select", { "aria-label": "Sort traces", onchange: () => {
      ctx.setParams({ sort: sortSelect.value === "recent" ? null : sortSelect.value });
      replaceChildren(list, resultsList(summaries, { sort: sortSelect.value }));
    } }, Object.entries(SORTS).map(([key, [label]]) => h("option", { value: key, selected: key === sort }, label)));
    scatter = durationScatter(summaries, window, { onOpen: (id) => ctx.navigate(`/ui/traces/${id}`) });
    const errors = summaries.filter((s) => s.errorCount).length;
    replaceChildren(results,
      h("div", { class: "panel results-panel" },
        h("header", {},
          h("h2", {}, `${summaries.length} trace${summaries.length === 1 ? "" : "s"}`),
          errors ? h("span", { class: "badge error" }, `${errors} with errors`) : null,
          h("span", { class: "spacer" }), sortSelect),
        scatter.element, list));
  }

  run();
  return { unmount: () => { running?.abort(); scatter?.destroy(); } };
}

async function searchJaeger(params, window, signal) {
  const tags = params.get("tags") ? parseTags(params.get("tags")) : null;
  const traces = await jaeger.traces({
    service: params.get("service"), operation: params.get("operation"),
    tags: tags && Object.keys(tags).length ? JSON.stringify(tags) : null,
    minDuration: params.get("minDuration"), maxDuration: params.get("maxDuration"),
    limit: params.get("limit") || 20, start: Math.floor(window.start * 1000), end: Math.ceil(window.end * 1000),
  }, { signal });
  return traces.map(summarizeJaegerTrace);
}

/** TraceQL finds the trace ids; Jaeger's API then gives the whole traces for their summaries. */
async function searchTraceQL(params, window, signal) {
  const hits = await tempo.search({
    q: params.get("q"), limit: params.get("limit") || 20,
    start: Math.floor(window.start / 1000), end: Math.ceil(window.end / 1000),
  }, { signal });
  if (!hits.length) return [];
  const traces = await jaeger.traces({ traceID: hits.map((hit) => hit.traceID) }, { signal });
  return traces.map(summarizeJaegerTrace);
}

/** Shown before a search: how to start, with the known services one click away. */
async function startHint(services, params) {
  const link = (service) => {
    const query = new URLSearchParams({ service });
    for (const key of ["from", "to"]) if (params.get(key)) query.set(key, params.get(key));
    return `/ui/traces?${query}`;
  };
  let names = [];
  try { names = await services; } catch { /* the form shows why */ }
  return h("div", { class: "panel start-hint" },
    h("h2", {}, "Find traces"),
    h("p", { class: "muted" }, names.length
      ? "Choose a service and press Find traces, or write a TraceQL query. Services with traces:"
      : "No traces are stored yet: spans sent over OTLP or Zipkin show up here."),
    names.length ? h("div", { class: "service-links" },
      names.map((name) => h("a", { href: link(name) }, serviceChip(name)))) : null);
}
