// The list of log lines: time, a level colour bar, the stream labels
// (compact, can be hidden) and the line. Clicking a line opens its details:
// stream labels, structured metadata, fields parsed from a JSON or logfmt
// line, and a link to its trace when it has a trace id.

import { h, replaceChildren } from "../dom.js";
import { formatDateTime } from "../format.js";
import { LEVEL_COLORS } from "../theme.js";

/**
 * Creates the list. `streamLabelNames()` gives the Set of names that are
 * stream labels (the others in a result are structured metadata or parsed).
 * Returns `{ element, show(entries), prepend(entries, max), setShowLabels(bool), count() }`.
 */
export function createLogLines({ streamLabelNames, showLabels = true }) {
  const element = h("div", { class: `logs-list${showLabels ? "" : " hide-labels"}`, role: "list" });

  const row = (entry) => {
    const streamNames = streamLabelNames();
    const compact = Object.entries(entry.labels).filter(([name]) => streamNames.size === 0 || streamNames.has(name));
    const details = h("div", { class: "logs-details", hidden: true });
    const item = h("div", {
      class: "logs-row", role: "listitem", tabindex: "0", dataset: { level: entry.level, ns: entry.nanosText },
      "aria-expanded": "false",
      onclick: (event) => { if (!event.target.closest("a") && !window.getSelection()?.toString()) toggle(); },
      onkeydown: (event) => { if (event.key === "Enter" && event.target === item) toggle(); },
    },
    h("span", { class: "logs-level-bar", style: { background: LEVEL_COLORS[entry.level] || LEVEL_COLORS.unknown }, title: entry.level }),
    h("time", { class: "logs-time mono", datetime: new Date(entry.ms).toISOString() }, formatDateTime(entry.ms, { millis: true })),
    // Values only, to stay compact; the name is in the tooltip and in the details.
    h("span", { class: "logs-labels" }, compact.map(([name, value]) => h("span", { class: "logs-label", title: `${name}="${value}"` }, value))),
    h("span", { class: "logs-text mono" }, entry.line),
    entry.traceId ? traceLink(entry.traceId, "logs-trace-link") : null);
    const toggle = () => {
      const open = details.hidden;
      if (open && !details.firstChild) fillDetails(details, entry, streamLabelNames());
      details.hidden = !open;
      item.setAttribute("aria-expanded", String(open));
      item.classList.toggle("open", open);
    };
    return [item, details];
  };

  return {
    element,
    show(entries) { replaceChildren(element, entries.map(row)); },
    /** Puts `entries` (newest first) on top, keeping at most `max` lines. */
    prepend(entries, max) {
      const fragment = document.createDocumentFragment();
      for (const entry of entries) fragment.append(...row(entry));
      element.prepend(fragment);
      while (element.children.length > max * 2) { element.lastChild.remove(); element.lastChild.remove(); }
    },
    setShowLabels(show) { element.classList.toggle("hide-labels", !show); },
    count: () => element.querySelectorAll(":scope > .logs-row").length,
  };
}

function traceLink(traceId, className) {
  return h("a", { class: className, href: `/ui/traces/${traceId}`, title: `Open trace ${traceId}` }, "Trace");
}

function fillDetails(details, entry, streamNames) {
  const stream = [], metadata = [];
  for (const pair of Object.entries(entry.labels)) (streamNames.has(pair[0]) ? stream : metadata).push(pair);
  const section = (title, pairs, className) => pairs.length ? h("section", { class: `logs-fields ${className}` },
    h("h3", {}, title),
    h("table", { class: "data logs-field-table" }, h("tbody", {}, pairs.map(([name, value]) => h("tr", {},
      h("th", { scope: "row", class: "mono" }, name), h("td", { class: "mono" }, value)))))) : null;
  replaceChildren(details,
    h("div", { class: "logs-details-head" },
      h("span", { class: "badge", style: { borderColor: LEVEL_COLORS[entry.level] } }, entry.level),
      h("span", { class: "muted mono" }, `${entry.nanosText} ns`),
      entry.traceId ? [h("span", { class: "muted" }, "trace"), h("code", {}, entry.traceId), traceLink(entry.traceId, "logs-trace-open")] : null),
    h("div", { class: "logs-details-grid" },
      section("Stream labels", stream, "stream-labels"),
      section(streamNames.size ? "Structured metadata and parsed labels" : "Labels", metadata, "metadata"),
      section(`Fields parsed from the ${entry.format === "json" ? "JSON" : "logfmt"} line`, entry.fields, "parsed-fields")));
}
