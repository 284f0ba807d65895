// The template variables editor: name, type, query (`label_values(up, job)`)
// or comma-separated values, multi-value and "All" switches, regex filter.

import { h } from "../dom.js";
import { openDrawer } from "./drawer.js";
import { VARIABLE_TYPES } from "./model.js";

/** Opens the editor on a copy of `list`; `onApply(list)` gets the edited variables. */
export function editVariables(host, list, { onApply, onClose }) {
  const draft = structuredClone(list);
  const rows = h("div", { class: "dash-variable-rows" });
  const problem = h("div", { class: "field-error", role: "alert" });

  function show() {
    rows.replaceChildren(...draft.map((variable, i) => h("fieldset", { class: "dash-variable-row" },
      h("div", { class: "row" },
        labelled("Name", h("input", { name: `name-${i}`, value: variable.name || "", placeholder: "job",
          oninput: (e) => { variable.name = e.target.value.trim(); } })),
        labelled("Type", h("select", { name: `type-${i}`, onchange: (e) => { variable.type = e.target.value; show(); } },
          Object.entries(VARIABLE_TYPES).map(([value, label]) => h("option", { value, selected: value === variable.type }, label)))),
        h("button", { type: "button", class: "ghost dash-remove", title: "Remove this variable", "aria-label": "Remove variable",
          onclick: () => { draft.splice(i, 1); show(); } }, "✕")),
      labelled(variable.type === "custom" ? "Values, separated by commas" : "Query",
        h("input", { class: "mono", name: `query-${i}`, value: variable.query || "",
          placeholder: variable.type === "custom" ? "prod, staging, dev" : "label_values(up, job)",
          oninput: (e) => { variable.query = e.target.value; } })),
      variable.type === "query" ? labelled("Regex filter (optional)", h("input", { class: "mono", name: `regex-${i}`, value: variable.regex || "",
        placeholder: "/^api-(.*)$/", oninput: (e) => { variable.regex = e.target.value || undefined; } })) : null,
      h("div", { class: "row" },
        checkbox("Several values", variable.multi, (on) => { variable.multi = on; }),
        checkbox('Offer "All"', variable.includeAll, (on) => { variable.includeAll = on; })))));
  }

  const apply = () => {
    const names = draft.map((v) => v.name);
    const bad = draft.find((v) => !/^[A-Za-z_]\w*$/.test(v.name || ""));
    if (bad) { problem.textContent = `"${bad.name || ""}" is not a variable name: use letters, digits and _.`; return; }
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) { problem.textContent = `Two variables are called "${twice}".`; return; }
    onApply(draft.map((v) => ({ ...v, query: v.query || "" })));
    drawer.close();
  };

  show();
  const drawer = openDrawer(host, {
    title: "Template variables", onClose,
    body: [h("p", { class: "muted" }, "Use a variable in a query as $name or ${name}. Query variables take their values from label_values(label) or label_values(series selector, label)."),
      rows,
      h("button", { type: "button", onclick: () => { draft.push({ name: "", type: "query", query: "" }); show(); } }, "+ Add variable")],
    buttons: [problem, h("span", { class: "spacer" }),
      h("button", { type: "button", onclick: () => drawer.close() }, "Cancel"),
      h("button", { type: "button", class: "primary", onclick: apply }, "Apply")],
  });
  return drawer;
}

function labelled(text, control) {
  return h("label", { class: "field grow" }, text, control);
}

function checkbox(text, checked, onChange) {
  return h("label", { class: "dash-check" }, h("input", { type: "checkbox", checked: Boolean(checked), onchange: (e) => onChange(e.target.checked) }), text);
}
