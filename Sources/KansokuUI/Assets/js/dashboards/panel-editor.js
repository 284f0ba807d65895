// The panel editor: title, type, unit, queries (PromQL, or LogQL for a logs
// panel), text for a note, and the panel's place on the 24-column grid.

import { h } from "../dom.js";
import { openDrawer } from "./drawer.js";
import { GRID_COLUMNS, PANEL_TYPES } from "./model.js";
import { COMMON_UNITS } from "./units.js";

/** Opens the editor for a copy of `panel`; `onApply(edited)` gets the result. */
export function editPanel(host, panel, { onApply, onClose }) {
  const draft = structuredClone(panel);
  if (!Array.isArray(draft.targets)) draft.targets = [];
  const problem = h("div", { class: "field-error", role: "alert" });
  const queries = h("div", { class: "dash-queries" });
  const title = h("input", { name: "title", value: draft.title || "", "aria-label": "Title" });
  const unit = h("input", { name: "unit", value: draft.unit || "", list: "dash-units", placeholder: "e.g. s, bytes, percent" });
  const content = h("textarea", { name: "content", rows: 8 }, draft.options?.content ?? "");
  const type = h("select", { name: "type", onchange: () => { draft.type = type.value; showFields(); } },
    Object.entries(PANEL_TYPES).map(([value, label]) => h("option", { value, selected: value === draft.type }, label)));
  const position = Object.fromEntries(["x", "y", "w", "h"].map((k) => [k, h("input", {
    name: k, type: "number", min: k === "w" || k === "h" ? 1 : 0, max: k === "x" ? GRID_COLUMNS - 1 : k === "w" ? GRID_COLUMNS : undefined,
    value: draft.gridPos[k],
  })]));
  const unitField = field("Unit", unit, h("datalist", { id: "dash-units" }, COMMON_UNITS.map((u) => h("option", { value: u }))));
  const contentField = field("Text", content);
  const queriesField = h("div", { class: "dash-field-group" }, h("div", { class: "dash-group-title" }, "Queries"), queries,
    h("button", { type: "button", onclick: () => { draft.targets.push({ expr: "" }); showQueries(); } }, "+ Add query"));

  function showQueries() {
    const logs = draft.type === "logs";
    queries.replaceChildren(...draft.targets.map((target, i) => h("div", { class: "dash-query" },
      h("span", { class: "dash-query-letter" }, String.fromCharCode(65 + i)),
      h("div", { class: "grow" },
        h("textarea", { class: "code", name: `expr-${i}`, rows: 2, spellcheck: "false",
          placeholder: logs ? '{job="api"} |= "error"' : 'sum by (job) (rate(http_requests_total{job="$job"}[$__rate_interval]))',
          oninput: (event) => { target.expr = event.target.value; } }, target.expr || ""),
        logs ? null : h("input", { name: `legend-${i}`, value: target.legendFormat || "", placeholder: "Legend, e.g. {{route}}",
          oninput: (event) => { target.legendFormat = event.target.value || undefined; } })),
      h("button", { type: "button", class: "ghost", title: "Remove this query", "aria-label": "Remove query",
        onclick: () => { draft.targets.splice(i, 1); showQueries(); } }, "✕"))));
  }

  function showFields() {
    const text = draft.type === "text";
    queriesField.hidden = text;
    contentField.hidden = !text;
    unitField.hidden = text || draft.type === "logs";
    if (!text && !draft.targets.length) draft.targets.push({ expr: "" });
    showQueries();
  }

  const apply = () => {
    const gridPos = Object.fromEntries(Object.entries(position).map(([k, input]) => [k, Number(input.value)]));
    if (!Object.values(gridPos).every(Number.isInteger) || gridPos.x < 0 || gridPos.y < 0 || gridPos.w < 1 || gridPos.h < 1
      || gridPos.x + gridPos.w > GRID_COLUMNS) {
      problem.textContent = `The position must be whole numbers within the ${GRID_COLUMNS}-column grid: x + width ≤ ${GRID_COLUMNS}, width and height ≥ 1.`;
      return;
    }
    const edited = { ...draft, title: title.value.trim(), gridPos };
    if (unit.value.trim()) edited.unit = unit.value.trim(); else delete edited.unit;
    if (edited.type === "text") { edited.options = { ...(edited.options || {}), content: content.value }; edited.targets = []; }
    else edited.targets = draft.targets.filter((t) => t.expr.trim());
    onApply(edited);
    drawer.close();
  };

  showFields();
  const drawer = openDrawer(host, {
    title: `Edit panel${panel.title ? ` “${panel.title}”` : ""}`, onClose,
    body: h("form", { class: "dash-form", onsubmit: (event) => { event.preventDefault(); apply(); } },
      field("Title", title), field("Type", type), unitField, queriesField, contentField,
      h("div", { class: "dash-field-group" }, h("div", { class: "dash-group-title" }, "Position on the grid (24 columns)"),
        h("div", { class: "dash-position" }, field("X", position.x), field("Y", position.y), field("Width", position.w), field("Height", position.h)))),
    buttons: [problem, h("span", { class: "spacer" }),
      h("button", { type: "button", onclick: () => drawer.close() }, "Cancel"),
      h("button", { type: "button", class: "primary", onclick: apply }, "Apply")],
  });
  return drawer;
}

function field(label, control, ...extra) {
  return h("label", { class: "field" }, label, control, extra);
}
