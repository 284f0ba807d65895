// One trace (/ui/traces/<traceId>): a header with its key facts, the
// waterfall with the critical path, the selected span's details and its
// service's RED metrics, and the trace's log lines. URL state: `span`
// (selected span id), `collapsed` (comma-separated span ids) and
// `critical=0` when the critical path is hidden.

import { kansoku } from "../api.js";
import { emptyState, errorBox, h, loading, replaceChildren } from "../dom.js";
import { formatDateTime } from "../format.js";
import { criticalPath } from "./critical-path.js";
import { RED_WINDOW_MS, redPanel } from "./red-panel.js";
import { serviceChip, timeAgo } from "./results-list.js";
import { serviceColor } from "./service-colors.js";
import { spanDetails } from "./span-details.js";
import { traceLogsPanel } from "./trace-logs.js";
import { buildTraceModel, epochMillis } from "./trace-model.js";
import { formatNanos, waterfall } from "./waterfall.js";

/** Fills `root` with the trace `traceId`; returns `{unmount}`. */
export async function mountTrace(root, ctx, traceId) {
  replaceChildren(root, loading("Loading trace…"));
  let items;
  try {
    items = await kansoku.traceSpans(traceId, { signal: ctx.signal });
  } catch (error) {
    if (error.name === "AbortError") return null;
    replaceChildren(root, errorBox(error, "The trace could not be loaded"));
    return null;
  }
  if (!items.length) {
    replaceChildren(root, h("div", { class: "panel" }, emptyState(`No spans of trace ${traceId} are stored.`),
      h("p", { class: "center" }, h("a", { href: "/ui/traces" }, "← Search traces"))));
    return null;
  }
  const model = buildTraceModel(items);
  const critical = criticalPath(model);
  const state = {
    selectedId: model.byId.has(ctx.params.get("span")) ? ctx.params.get("span") : null,
    collapsed: new Set((ctx.params.get("collapsed") || "").split(",").filter((id) => model.byId.has(id))),
    showCritical: ctx.params.get("critical") !== "0",
  };

  let redController = null;
  const details = h("aside", { class: "panel span-details-panel", "aria-label": "Span details" });
  const logs = traceLogsPanel(model, { signal: ctx.signal, onSelectSpan: (id) => select(id, { reveal: true }) });
  const chart = waterfall(model, critical, state, {
    onSelect: (id) => select(id === state.selectedId ? null : id),
    onCollapse: (collapsed) => {
      state.collapsed = collapsed;
      ctx.setParams({ collapsed: [...collapsed].join(",") });
      chart.update(state);
    },
  });

  function select(id, { reveal = false } = {}) {
    state.selectedId = id;
    let hidden = false;
    if (reveal) {
      // Expand the span's collapsed ancestors so its row is visible.
      for (let s = model.byId.get(id)?.parent; s; s = s.parent) hidden = state.collapsed.delete(s.id) || hidden;
      ctx.setParams({ collapsed: [...state.collapsed].join(",") });
    }
    ctx.setParams({ span: id });
    if (hidden) chart.update(state); else chart.setSelected(id);
    showDetails();
    logs.highlight(id);
    if (reveal) chart.element.querySelector(`.wf-row[data-span-id="${id}"]`)?.scrollIntoView({ block: "nearest" });
  }

  function showDetails() {
    redController?.abort();
    const span = state.selectedId && model.byId.get(state.selectedId);
    if (!span) {
      replaceChildren(details, h("div", { class: "sd-placeholder muted" },
        h("p", {}, "Click a span to see its attributes, events and status, and its service's RED metrics."),
        h("p", { class: "small" }, "The dark stripe over a bar marks the critical path: the work that set the trace's end-to-end latency.")));
      return;
    }
    redController = new AbortController();
    ctx.signal.addEventListener("abort", () => redController?.abort(), { once: true });
    const middle = epochMillis(model, model.durationNs / 2);
    const extra = redPanel(span, { start: middle - RED_WINDOW_MS, end: middle + RED_WINDOW_MS }, redController.signal);
    replaceChildren(details, spanDetails(span, model, { onSelect: (id) => select(id, { reveal: true }), onClose: () => select(null), extra }));
  }

  const criticalToggle = h("input", { type: "checkbox", checked: state.showCritical, onchange: () => {
    state.showCritical = criticalToggle.checked;
    ctx.setParams({ critical: state.showCritical ? null : "0" });
    chart.update(state);
  } });

  replaceChildren(root,
    traceHeader(model, critical, criticalToggle),
    h("div", { class: "trace-main" }, h("section", { class: "panel waterfall-panel", "aria-label": "Waterfall" }, chart.element), details),
    logs.element);
  showDetails();
  logs.highlight(state.selectedId);
  if (state.selectedId) chart.element.querySelector(".wf-row.selected")?.scrollIntoView({ block: "nearest" });
  return { unmount: () => redController?.abort() };
}

function traceHeader(model, critical, criticalToggle) {
  const root = model.roots.find((span) => !span.missingParent) || model.roots[0];
  const startMs = epochMillis(model);
  const counts = new Map();
  for (const span of model.spans) counts.set(span.service, (counts.get(span.service) || 0) + 1);
  const fact = (label, value, extraClass = "") => h("div", { class: `th-fact ${extraClass}` }, h("span", { class: "th-label" }, label), h("span", { class: "th-value" }, value));
  return h("header", { class: "panel trace-header" },
    h("div", { class: "th-title" },
      h("a", { class: "th-back", href: `/ui/traces?service=${encodeURIComponent(root.service)}`, title: `Search the traces of ${root.service}` }, "←"),
      h("span", { class: "svc-dot big", style: { background: serviceColor(root.service) } }),
      h("h1", {}, h("span", { class: "th-service" }, root.service), ": ", root.name),
      h("code", { class: "th-trace-id", title: "Trace ID" }, model.traceId)),
    h("div", { class: "th-facts" },
      fact("Started", h("span", { title: formatDateTime(startMs, { millis: true }) }, `${formatDateTime(startMs)} · ${timeAgo(startMs)}`)),
      fact("Duration", formatNanos(model.durationNs), "th-duration"),
      fact("Spans", String(model.spans.length), "th-spans"),
      fact("Services", String(model.services.length), "th-services"),
      fact("Errors", model.errorCount ? h("span", { class: "badge error" }, String(model.errorCount)) : "0", "th-errors"),
      h("span", { class: "spacer" }),
      h("label", { class: "critical-toggle", title: "Highlight the chain of spans that determined the trace's latency" },
        criticalToggle, h("span", { class: "critical-swatch" }), `Critical path (${critical.size} spans)`)),
    h("div", { class: "th-services-list" }, model.services.map((name) => serviceChip(name, counts.get(name)))));
}
