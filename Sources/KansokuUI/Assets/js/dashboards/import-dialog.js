// "Import Grafana JSON": paste a dashboard or pick its file, see what will be
// imported and what will not, then create it.

import { h, replaceChildren } from "../dom.js";
import { createDashboard } from "./dashboard-api.js";
import { importGrafanaDashboard } from "./grafana-import.js";
import { PANEL_TYPES } from "./model.js";

/** The import panel; `onCreated(uid)` runs once the dashboard is stored, `onClose()` when dismissed. */
export function importDialog({ signal, onCreated, onClose }) {
  const text = h("textarea", { class: "code dash-import-text", name: "grafana-json", rows: 10, spellcheck: "false",
    placeholder: "Paste a Grafana dashboard JSON model here (Dashboard settings → JSON Model, or Export → Save to file)." });
  const file = h("input", { type: "file", accept: ".json,application/json", name: "grafana-file",
    onchange: async () => { if (file.files[0]) { text.value = await file.files[0].text(); preview(); } } });
  const result = h("div", { class: "dash-import-result" });
  let converted = null;

  function preview() {
    converted = null;
    problem.textContent = "";
    newUID.hidden = true;
    let input;
    try {
      input = JSON.parse(text.value);
    } catch (error) {
      replaceChildren(result, h("p", { class: "field-error", role: "alert" }, `Not valid JSON: ${error.message}`));
      return;
    }
    try {
      converted = importGrafanaDashboard(input);
    } catch (error) {
      replaceChildren(result, h("p", { class: "field-error", role: "alert" }, error.message));
      return;
    }
    const { model, report } = converted;
    replaceChildren(result,
      h("div", { class: "toolbar" },
        h("h3", {}, `“${model.title}”: ${report.panels.length} panel(s), ${model.templating.list.length} variable(s)`),
        h("span", { class: "spacer" }), newUID, create),
      problem,
      h("ul", { class: "dash-import-panels" }, report.panels.map((p) => h("li", {},
        h("span", { class: "badge" }, PANEL_TYPES[p.type]), " ", p.title || h("span", { class: "muted" }, "untitled"),
        p.from !== p.type ? h("span", { class: "muted" }, ` (Grafana ${p.from})`) : null))),
      report.lost.length ? h("div", { class: "dash-import-lost" }, h("strong", {}, "Not imported"),
        h("ul", {}, report.lost.map((line) => h("li", {}, line)))) : null,
      report.notes.length ? h("div", { class: "dash-import-notes" }, h("strong", {}, "Notes"),
        h("ul", {}, report.notes.map((line) => h("li", {}, line)))) : null);
  }

  const problem = h("span", { class: "field-error", role: "alert" });
  const store = async (withOwnUID) => {
    const model = structuredClone(converted.model);
    if (!withOwnUID) delete model.uid;
    problem.textContent = "";
    try {
      const stored = await createDashboard(model, { signal });
      onCreated(stored.uid);
    } catch (error) {
      if (error.name === "AbortError") return;
      problem.textContent = error.message;
      newUID.hidden = error.status !== 409;
    }
  };
  const create = h("button", { type: "button", class: "primary", name: "create-import", onclick: () => store(true) }, "Create dashboard");
  const newUID = h("button", { type: "button", hidden: true, onclick: () => store(false) }, "Import as a copy with a new uid");

  return h("section", { class: "panel dash-import" },
    h("header", {}, h("h2", {}, "Import a Grafana dashboard"), h("span", { class: "spacer" }),
      h("button", { type: "button", class: "ghost", "aria-label": "Close", onclick: onClose }, "✕")),
    h("p", { class: "muted" }, "Prometheus and Loki queries, units, layout and query variables come across; rows are flattened, and whatever cannot be shown is listed below before anything is saved."),
    text,
    h("div", { class: "toolbar" }, h("label", { class: "dash-file" }, "Or choose a file ", file), h("span", { class: "spacer" }),
      h("button", { type: "button", name: "preview-import", onclick: preview }, "Check")),
    result);
}
