// The details of one span: what it is (service, operation, kind), when
// (duration, offset into the trace, clock time), how it ended (status), and
// everything it carries (attributes, events, links, resource, scope).

import { h } from "../dom.js";
import { formatDateTime } from "../format.js";
import { epochMillis } from "./trace-model.js";
import { formatNanos } from "./waterfall.js";
import { serviceColor } from "./service-colors.js";

/** An attribute value as text: strings as they are, anything else as JSON. */
function valueText(value) {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "null";
  return JSON.stringify(value);
}

/** A key/value table of an attribute map, sorted by key. */
function attributeTable(attributes, emptyText = "None") {
  const keys = Object.keys(attributes || {}).sort();
  if (!keys.length) return h("p", { class: "muted small" }, emptyText);
  return h("table", { class: "data kv" }, h("tbody", {},
    keys.map((key) => h("tr", {}, h("th", { scope: "row" }, key),
      h("td", { class: `value type-${typeof attributes[key]}` }, valueText(attributes[key]))))));
}

function section(title, count, ...content) {
  return h("section", { class: "sd-section" },
    h("h3", {}, title, count === null ? null : h("span", { class: "count" }, String(count))), content);
}

/**
 * The details panel of `span` in `model`. `onSelect(spanId)` selects another
 * span of the trace (its parent); `onClose()` clears the selection; `extra`
 * is appended (the RED metrics of the span's service).
 */
export function spanDetails(span, model, { onSelect, onClose, extra = null }) {
  const status = span.status;
  const startMs = epochMillis(model, span.startNs);
  const facts = [
    ["Service", h("span", {}, h("span", { class: "svc-dot", style: { background: serviceColor(span.service) } }), span.service)],
    ["Kind", span.kind],
    ["Duration", formatNanos(span.durationNs)],
    ["Start", `+${formatNanos(span.startNs)} · ${formatDateTime(startMs, { millis: true })}`],
    ["Status", h("span", { class: "sd-status" },
      h("span", { class: `badge ${status.code === "error" ? "error" : status.code === "ok" ? "ok" : ""}` }, status.code.toUpperCase()),
      status.message ? h("span", { class: "sd-status-message" }, status.message) : null)],
    ["Span ID", h("code", {}, span.id)],
    ["Parent", span.parent
      ? h("button", { type: "button", class: "link", onclick: () => onSelect(span.parent.id) }, `${span.parent.service}: ${span.parent.name}`)
      : span.parentId ? h("span", { class: "muted" }, `${span.parentId} (not in this trace)`) : h("span", { class: "muted" }, "none (root)")],
    ["Scope", span.scope.name ? `${span.scope.name}${span.scope.version ? ` ${span.scope.version}` : ""}` : h("span", { class: "muted" }, "—")],
  ];
  const { "service.name": _serviceName, ...resource } = span.resource;

  return h("div", { class: "span-details", dataset: { spanId: span.id } },
    h("header", { class: "sd-header" },
      h("div", { class: "grow" },
        h("div", { class: "sd-service muted" }, span.service),
        h("h2", { class: "sd-operation" }, span.name)),
      h("button", { type: "button", class: "ghost", "aria-label": "Close span details", onclick: onClose }, "✕")),
    h("dl", { class: "sd-facts" }, facts.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
    section("Attributes", Object.keys(span.attributes).length, attributeTable(span.attributes)),
    section("Events", span.events.length, span.events.length
      ? h("ol", { class: "sd-events" }, span.events.map((event) => h("li", { class: "sd-event" },
        h("div", { class: "sd-event-head" },
          h("span", { class: "sd-event-time mono" }, `+${formatNanos(event.offsetNs)}`),
          h("strong", { class: "sd-event-name" }, event.name),
          h("span", { class: "muted small" }, `${formatNanos(event.offsetNs - span.startNs)} into the span`)),
        Object.keys(event.attributes).length ? attributeTable(event.attributes) : null)))
      : h("p", { class: "muted small" }, "None")),
    span.links.length ? section("Links", span.links.length, h("ul", { class: "sd-links" }, span.links.map((link) => h("li", {},
      link.traceId === model.traceId && model.byId.has(link.spanId)
        ? h("button", { type: "button", class: "link", onclick: () => onSelect(link.spanId) }, `span ${link.spanId} of this trace`)
        : h("a", { href: `/ui/traces/${link.traceId}?span=${link.spanId}` }, h("code", {}, `${link.traceId} / ${link.spanId}`)),
      Object.keys(link.attributes || {}).length ? attributeTable(link.attributes) : null)))) : null,
    extra,
    h("details", { class: "sd-section sd-resource" },
      h("summary", {}, h("h3", {}, "Resource", h("span", { class: "count" }, String(Object.keys(resource).length)))),
      attributeTable(resource)));
}
