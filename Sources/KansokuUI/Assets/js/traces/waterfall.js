// The waterfall (Gantt) of a trace: one row per span in parent/child order,
// indented by depth, with a bar on a shared time axis coloured by service.
// Subtrees collapse; spans with status ERROR are marked; the critical path
// is drawn as a dark stripe over the sections of each bar that lie on it.

import { h, replaceChildren } from "../dom.js";
import { formatDurationMicros } from "../format.js";
import { serviceColor } from "./service-colors.js";
import { tickStep } from "./ticks.js";

const INDENT_PX = 14;

/** A duration in nanoseconds as text. */
export function formatNanos(ns) {
  return formatDurationMicros(ns / 1000);
}

/**
 * The waterfall of `model` (trace-model.js). `critical` is criticalPath()'s
 * map; `state` holds `{selectedId, collapsed (Set of span ids), showCritical}`.
 * `onSelect(spanId)` and `onCollapse(collapsedSet)` report the user's clicks;
 * the owner keeps the URL and calls `update(state)` to redraw, or
 * `setSelected(spanId)` when only the selection moved.
 */
export function waterfall(model, critical, state, { onSelect, onCollapse }) {
  const total = Math.max(model.durationNs, 1);
  const percent = (ns) => `${(100 * ns) / total}%`;
  const step = tickStep(total, 6);
  const ticks = [];
  for (let t = 0; t <= total * 1.0001; t += step) ticks.push(t);

  const withChildren = model.spans.filter((span) => span.parent && span.children.length).map((span) => span.id);
  const toolbar = h("div", { class: "wf-label-head" },
    h("span", {}, "Service · operation"),
    h("span", { class: "spacer" }),
    h("button", { type: "button", class: "ghost small", title: "Expand every span",
      onclick: () => onCollapse(new Set()) }, "Expand all"),
    h("button", { type: "button", class: "ghost small", title: "Collapse every span below the roots",
      onclick: () => onCollapse(new Set(withChildren)) },
    "Collapse all"));
  const ruler = h("div", { class: "wf-ruler" },
    ticks.map((t) => h("span", { class: "wf-tick", style: { left: percent(t) } }, formatNanos(t))));
  const gridlines = h("div", { class: "wf-gridlines", "aria-hidden": "true" },
    ticks.slice(1).map((t) => h("span", { style: { left: percent(t) } })));
  const body = h("div", { class: "wf-body", role: "tree", "aria-label": "Spans" });
  const element = h("div", { class: "waterfall", style: { "--indent": `${INDENT_PX}px` } },
    h("div", { class: "wf-header" }, toolbar, ruler), h("div", { class: "wf-rows" }, gridlines, body));

  function hiddenCount(span) {
    let count = 0;
    const stack = [...span.children];
    while (stack.length) { const s = stack.pop(); count += 1; stack.push(...s.children); }
    return count;
  }

  function row(span, current) {
    const collapsed = current.collapsed.has(span.id);
    const sections = critical.get(span.id);
    const onPath = current.showCritical && sections !== undefined;
    const color = serviceColor(span.service);
    const toggle = span.children.length
      ? h("button", { type: "button", class: "wf-toggle", "aria-label": collapsed ? "Expand" : "Collapse",
        onclick: (event) => {
          event.stopPropagation();
          const next = new Set(current.collapsed);
          if (collapsed) next.delete(span.id); else next.add(span.id);
          onCollapse(next);
        } }, collapsed ? "▸" : "▾")
      : h("span", { class: "wf-toggle-spacer" });
    const bar = h("div", { class: "wf-bar", style: { left: percent(span.startNs), width: percent(span.durationNs), background: color } },
      onPath ? sections.map((section) => h("span", { class: "wf-critical", style: {
        left: `${span.durationNs ? (100 * (section.startNs - span.startNs)) / span.durationNs : 0}%`,
        width: `${span.durationNs ? (100 * (section.endNs - section.startNs)) / span.durationNs : 100}%`,
      } })) : null);
    const nearEnd = (span.startNs + span.durationNs) / total > 0.82;
    const durationLabel = h("span", {
      class: `wf-duration${nearEnd ? " inside-left" : ""}`,
      style: nearEnd ? { right: `calc(${percent(total - span.startNs)} + 6px)` } : { left: `calc(${percent(span.startNs + span.durationNs)} + 6px)` },
    }, formatNanos(span.durationNs));
    const classes = ["wf-row"];
    if (span.isError) classes.push("error");
    if (onPath) classes.push("critical");
    if (span.id === current.selectedId) classes.push("selected");
    return h("div", {
      class: classes.join(" "), role: "treeitem", tabindex: "0", "aria-level": span.depth + 1,
      "aria-expanded": span.children.length ? String(!collapsed) : null,
      "aria-selected": String(span.id === current.selectedId),
      dataset: { spanId: span.id, parentId: span.parent?.id || "", depth: String(span.depth), service: span.service },
      onclick: () => onSelect(span.id),
      onkeydown: (event) => {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); onSelect(span.id); }
      },
    },
    h("div", { class: "wf-label", style: { paddingLeft: `${6 + span.depth * INDENT_PX}px` },
      title: `${span.service}: ${span.name}` },
    toggle,
    h("span", { class: "wf-service-mark", style: { background: color } }),
    h("span", { class: "wf-service" }, span.service),
    h("span", { class: "wf-op" }, span.name),
    span.isError ? h("span", { class: "wf-error-icon", title: `status ERROR${span.status.message ? `: ${span.status.message}` : ""}` }, "!") : null,
    collapsed ? h("span", { class: "wf-hidden-count", title: "Spans hidden in this subtree" }, `+${hiddenCount(span)}`) : null),
    h("div", { class: "wf-track" }, bar,
      span.events.map((event) => h("span", { class: "wf-event", title: event.name, style: { left: percent(event.offsetNs) } })),
      durationLabel));
  }

  /** Redraws the rows for `current` ({selectedId, collapsed, showCritical}). */
  function update(current) {
    const rows = [];
    let skipBelow = null; // depth under which spans are hidden by a collapsed ancestor
    for (const span of model.spans) {
      if (skipBelow !== null) {
        if (span.depth > skipBelow) continue;
        skipBelow = null;
      }
      rows.push(row(span, current));
      if (current.collapsed.has(span.id) && span.children.length) skipBelow = span.depth;
    }
    replaceChildren(body, rows);
    element.classList.toggle("show-critical", current.showCritical);
  }

  /** Moves the selection mark without redrawing the rows. */
  function setSelected(spanId) {
    for (const el of body.querySelectorAll(".wf-row.selected")) {
      el.classList.remove("selected");
      el.setAttribute("aria-selected", "false");
    }
    const el = spanId ? body.querySelector(`.wf-row[data-span-id="${spanId}"]`) : null;
    el?.classList.add("selected");
    el?.setAttribute("aria-selected", "true");
  }

  update(state);
  return { element, update, setSelected };
}
