// The dashboard's top bar: back link, title and tags (editable in edit mode),
// the time range, and the view or edit actions. It is rebuilt when the mode
// changes, not on every keystroke, so the title field keeps its focus.

import { h } from "../dom.js";
import { timeRangePicker } from "../time-range.js";

/**
 * `state`: {model, editing, isNew, range}; `actions`: {onTime, onRefresh,
 * onEdit, onAddPanel, onVariables, onJSON, onSave, onDiscard, onTitle, onTags}.
 */
export function dashboardToolbar({ model, editing, isNew, range }, actions) {
  const heading = editing
    ? [h("input", { class: "dash-title-input", name: "dashboard-title", value: model.title, "aria-label": "Dashboard title",
      oninput: (e) => actions.onTitle(e.target.value) }),
    h("input", { class: "dash-tags-input", name: "dashboard-tags", value: (model.tags || []).join(", "), placeholder: "tags, comma separated",
      "aria-label": "Tags", oninput: (e) => actions.onTags(e.target.value.split(",").map((t) => t.trim()).filter(Boolean)) })]
    : [h("h1", { class: "dash-title" }, model.title), (model.tags || []).map((tag) => h("span", { class: "badge" }, tag))];
  const top = h("div", { class: "toolbar dash-toolbar" },
    h("a", { class: "dash-back", href: "/ui/dashboards", title: "All dashboards" }, "Dashboards"),
    h("span", { class: "muted" }, "/"),
    heading,
    // Shown by CSS while the page has the class "dirty".
    editing ? h("span", { class: "badge dash-unsaved" }, "unsaved changes") : null,
    h("span", { class: "spacer" }),
    timeRangePicker(range, { onChange: actions.onTime, onRefresh: actions.onRefresh }),
    editing ? null : h("button", { type: "button", name: "edit", onclick: actions.onEdit }, "Edit"));
  if (!editing) return top;
  return h("div", { class: "dash-toolbars" }, top, h("div", { class: "toolbar dash-edit-bar" },
    h("button", { type: "button", onclick: actions.onAddPanel }, "+ Add panel"),
    h("button", { type: "button", onclick: actions.onVariables }, "Variables"),
    h("button", { type: "button", onclick: actions.onJSON }, "JSON model"),
    h("span", { class: "muted dash-edit-hint" }, "Drag a panel by its title to move it, by its corner to resize it."),
    h("span", { class: "spacer" }),
    h("button", { type: "button", onclick: actions.onDiscard }, isNew ? "Cancel" : "Discard"),
    h("button", { type: "button", class: "primary", name: "save", onclick: actions.onSave }, "Save")));
}
