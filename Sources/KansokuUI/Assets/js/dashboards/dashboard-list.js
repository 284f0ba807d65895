// The list of dashboards (/ui/dashboards): title, tags, last save; "New
// dashboard", "Import Grafana JSON" (`import=1` in the URL), and delete with
// an inline confirmation.

import { emptyState, errorBox, h, loading, replaceChildren } from "../dom.js";
import { formatDateTime } from "../format.js";
import { deleteDashboard, listDashboards } from "./dashboard-api.js";
import { importDialog } from "./import-dialog.js";

/** Mounts the list into `root`. */
export async function mountDashboardList(root, ctx) {
  const importHost = h("div");
  const listHost = h("div", { class: "panel dash-list" }, loading("Loading dashboards…"));
  const showImport = (open) => {
    ctx.setParams({ import: open ? "1" : null });
    replaceChildren(importHost, open ? importDialog({
      signal: ctx.signal,
      onCreated: (uid) => ctx.navigate(`/ui/dashboards/${encodeURIComponent(uid)}`),
      onClose: () => showImport(false),
    }) : null);
    importHost.querySelector("textarea")?.focus();
  };
  replaceChildren(root,
    h("div", { class: "toolbar" }, h("h1", {}, "Dashboards"), h("span", { class: "spacer" }),
      h("button", { type: "button", name: "import", onclick: () => showImport(true) }, "Import Grafana JSON"),
      h("button", { type: "button", class: "primary", name: "new-dashboard", onclick: () => ctx.navigate("/ui/dashboards/new") }, "New dashboard")),
    importHost, listHost);
  if (ctx.params.get("import") === "1") showImport(true);

  const load = async () => {
    try {
      const dashboards = await listDashboards({ signal: ctx.signal });
      replaceChildren(listHost, dashboards.length ? table(dashboards, remove)
        : emptyState("No dashboards yet. Create one, or import a Grafana dashboard."));
    } catch (error) {
      if (error.name !== "AbortError") replaceChildren(listHost, errorBox(error, "The dashboards could not be listed"));
    }
  };
  const remove = async (uid, row) => {
    try {
      await deleteDashboard(uid, { signal: ctx.signal });
      await load();
    } catch (error) {
      if (error.name !== "AbortError") replaceChildren(row.lastChild, h("span", { class: "field-error" }, error.message));
    }
  };
  await load();
}

function table(dashboards, remove) {
  return h("table", { class: "data dash-table-list" },
    h("thead", {}, h("tr", {}, h("th", {}, "Title"), h("th", {}, "Tags"), h("th", {}, "Saved"), h("th", { class: "num" }, "Version"), h("th", {}))),
    h("tbody", {}, dashboards.map((d) => {
      const row = h("tr", { dataset: { uid: d.uid } },
        h("td", {}, h("a", { class: "dash-link", href: `/ui/dashboards/${encodeURIComponent(d.uid)}` }, d.title)),
        h("td", {}, d.tags.map((tag) => h("span", { class: "badge" }, tag))),
        h("td", { class: "muted" }, d.updated ? formatDateTime(Date.parse(d.updated)) : ""),
        h("td", { class: "num muted" }, d.version),
        h("td", { class: "dash-row-actions" }));
      row.lastChild.append(deleteControl(d, () => remove(d.uid, row)));
      return row;
    })));
}

function deleteControl(dashboard, onConfirm) {
  const ask = h("button", { type: "button", class: "ghost", name: "delete", onclick: () => ask.replaceWith(confirm) }, "Delete");
  const confirm = h("span", { class: "dash-confirm" }, `Delete “${dashboard.title}”?`,
    h("button", { type: "button", class: "danger", name: "confirm-delete", onclick: onConfirm }, "Delete"),
    h("button", { type: "button", onclick: () => confirm.replaceWith(ask) }, "Keep"));
  return ask;
}
