// The template variable pickers above the panels: a select for a single
// value, a checkbox list for a multi-value variable; "All" when the variable
// offers it. A variable whose options failed to load shows why.

import { h } from "../dom.js";
import { ALL } from "./variables.js";

/** The pickers for `states` (see variables.js); `onChange(state, selected)` gets the new selection. */
export function variableBar(states, onChange) {
  return h("div", { class: "dash-variables" }, states.map((state) => picker(state, onChange)));
}

function picker(state, onChange) {
  const { variable } = state;
  const label = variable.label || variable.name;
  const options = variable.includeAll ? [ALL, ...state.options] : state.options;
  const text = (value) => (value === ALL ? "All" : value);
  let control;
  if (variable.multi) {
    const summary = h("summary", {}, state.selected.map(text).join(" + ") || "None");
    control = h("details", { class: "dash-multi", "aria-label": label }, summary,
      h("div", { class: "dash-multi-list" }, options.map((value) => h("label", {},
        h("input", { type: "checkbox", value, checked: state.selected.includes(value),
          onchange: (event) => {
            const boxes = [...event.target.closest(".dash-multi-list").querySelectorAll("input")];
            let chosen = boxes.filter((b) => b.checked).map((b) => b.value);
            // "All" and single values exclude each other, as in Grafana.
            if (value === ALL && event.target.checked) chosen = [ALL];
            else if (value !== ALL) chosen = chosen.filter((v) => v !== ALL);
            boxes.forEach((b) => { b.checked = chosen.includes(b.value); });
            summary.textContent = chosen.map(text).join(" + ") || "None";
            onChange(state, chosen);
          } }),
        text(value)))));
    // A press outside the open list closes it, as with a select.
    const outside = (event) => { if (!control.contains(event.target)) control.open = false; };
    control.addEventListener("toggle", () => {
      if (control.open) document.addEventListener("pointerdown", outside);
      else document.removeEventListener("pointerdown", outside);
    });
  } else {
    const current = state.selected[0];
    // A value from a shared link that the options no longer list is kept, so the link still shows what it showed.
    const values = current !== undefined && !options.includes(current) ? [current, ...options] : options;
    control = h("select", { name: `var-${variable.name}`, "aria-label": label, dataset: { variable: variable.name },
      onchange: (event) => onChange(state, [event.target.value]) },
    values.map((value) => h("option", { value, selected: value === current }, text(value))));
  }
  return h("div", { class: "dash-variable", dataset: { variable: variable.name } },
    h("span", { class: "dash-variable-name" }, label), control,
    state.error ? h("span", { class: "field-error", title: state.error.message }, `⚠ ${state.error.message}`) : null);
}
