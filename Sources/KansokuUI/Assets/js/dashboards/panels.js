// A dashboard panel: its frame (title, edit controls) and body, filled by the
// renderer of its type. `PanelView.load(q)` (re)runs the queries, cancelling a
// run still in flight, and shows a loading state and the server's errors.

import { errorBox, h, loading, replaceChildren } from "../dom.js";
import { renderLogs } from "./panel-logs.js";
import { renderStat } from "./panel-stat.js";
import { renderTable } from "./panel-table.js";
import { renderTimeSeries } from "./panel-timeseries.js";

export const ROW_PX = 30;
export const GAP_PX = 8;
const CHROME_PX = 44; // header and padding

const RENDERERS = {
  timeseries: renderTimeSeries,
  stat: renderStat,
  table: renderTable,
  logs: renderLogs,
  text: renderText,
};

/** A note; variables in it are filled in, as Grafana's text panel does. Plain text, never HTML. */
function renderText(body, panel, q) {
  body.append(h("div", { class: "dash-text" }, q.expr(String(panel.options?.content ?? ""))));
  return null;
}

/** The pixel height of a panel `h` rows tall, gaps included, as the CSS grid lays it out. */
function panelHeight(rows) {
  return rows * ROW_PX + (rows - 1) * GAP_PX;
}

export class PanelView {
  /** `actions`: {onEdit, onDelete} shown in edit mode. */
  constructor(panel, { editing, actions }) {
    this.panel = panel;
    this.cleanup = null;
    this.controller = null;
    this.title = h("h3", { class: "dash-panel-title", title: panel.title }, panel.title);
    this.body = h("div", { class: "dash-panel-body" });
    const controls = editing ? h("div", { class: "dash-panel-actions" },
      h("button", { type: "button", class: "ghost", title: "Edit this panel", "aria-label": "Edit panel", onclick: () => actions.onEdit(panel) }, "✎"),
      this.deleteButton(actions)) : null;
    this.header = h("header", { class: "dash-panel-header" }, this.title, controls);
    this.resizeHandle = editing ? h("div", { class: "dash-resize-handle", title: "Drag to resize" }) : null;
    this.element = h("section", {
      class: `dash-panel dash-panel-${panel.type}${editing ? " editing" : ""}`,
      dataset: { panelId: String(panel.id), panelType: panel.type },
    }, this.header, this.body, this.resizeHandle);
    this.place(panel.gridPos);
  }

  /** An inline "Delete? Yes / No" instead of a browser dialog, so the choice stays on the panel. */
  deleteButton(actions) {
    const ask = h("button", { type: "button", class: "ghost", title: "Delete this panel", "aria-label": "Delete panel",
      onclick: () => ask.replaceWith(confirm) }, "✕");
    const confirm = h("span", { class: "dash-confirm" }, "Delete?",
      h("button", { type: "button", class: "danger", onclick: () => actions.onDelete(this.panel) }, "Delete"),
      h("button", { type: "button", onclick: () => confirm.replaceWith(ask) }, "Keep"));
    return ask;
  }

  place({ x, y, w, h: rows }) {
    this.element.style.gridColumn = `${x + 1} / span ${w}`;
    this.element.style.gridRow = `${y + 1} / span ${rows}`;
  }

  /** Runs the panel's queries with the query context `q` (see panel-query.js) and draws the result. */
  async load(q) {
    this.controller?.abort();
    this.cleanup?.();
    this.cleanup = null;
    const controller = new AbortController();
    this.controller = controller;
    const onLeave = () => controller.abort();
    q.signal.addEventListener("abort", onLeave);
    replaceChildren(this.body, loading());
    this.element.classList.remove("failed");
    const renderer = RENDERERS[this.panel.type];
    const target = h("div", { class: "dash-panel-content" });
    try {
      const cleanup = await renderer(target, this.panel, { ...q, signal: controller.signal, height: panelHeight(this.panel.gridPos.h) - CHROME_PX });
      if (controller.signal.aborted) { cleanup?.(); return; }
      this.cleanup = cleanup;
      replaceChildren(this.body, target);
    } catch (error) {
      if (error.name === "AbortError" || controller.signal.aborted) return;
      this.element.classList.add("failed");
      replaceChildren(this.body, errorBox(error, "Query failed"));
    } finally {
      q.signal.removeEventListener("abort", onLeave);
    }
  }

  destroy() {
    this.controller?.abort();
    this.cleanup?.();
    this.element.remove();
  }
}
