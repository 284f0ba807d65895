// One dashboard (/ui/dashboards/<uid>, or /ui/dashboards/new before its first
// save): the toolbar, the variable pickers and the panel grid; in edit mode
// (`edit=1` in the URL) the editors and save. The time range (`from`, `to`)
// and the variables (`var-<name>`) live in the URL like Grafana's.

import { errorBox, h, loading, replaceChildren } from "../dom.js";
import { resolveRange, stepFor } from "../time-range.js";
import { createDashboard, getDashboard, updateDashboard } from "./dashboard-api.js";
import { dashboardToolbar } from "./dashboard-toolbar.js";
import { editJSON } from "./json-editor.js";
import { newDashboard, newPanel, normalizeModel } from "./model.js";
import { editPanel } from "./panel-editor.js";
import { enableGridDrag } from "./panel-grid.js";
import { PanelView } from "./panels.js";
import { variableBar } from "./variable-bar.js";
import { builtinVariables, interpolate, resolveVariables, variableParams } from "./variables.js";
import { editVariables } from "./variables-editor.js";

/** Mounts the dashboard `uid` (or a new one when `uid` is "new") into `root`. */
export async function mountDashboard(root, ctx, uid) {
  const isNew = uid === "new";
  let model;
  if (isNew) {
    model = newDashboard();
  } else {
    replaceChildren(root, loading("Loading the dashboard…"));
    try {
      model = checked(await getDashboard(uid, { signal: ctx.signal }));
    } catch (error) {
      if (error.name === "AbortError") return null;
      replaceChildren(root, h("div", { class: "toolbar" }, h("a", { href: "/ui/dashboards" }, "← All dashboards")),
        errorBox(error, error.status === 404 ? "No such dashboard" : "The dashboard could not be loaded"));
      return null;
    }
  }
  const view = new DashboardView(root, ctx, model, isNew);
  view.render();
  return { unmount: () => view.destroy() };
}

/** The model as the view uses it, or an Error listing what is wrong with it. */
function checked(input) {
  const { model, errors } = normalizeModel(input);
  if (errors.length) throw new Error(`the stored dashboard is not usable:\n• ${errors.join("\n• ")}`);
  return model;
}

const params = () => new URLSearchParams(location.search);

class DashboardView {
  constructor(root, ctx, model, isNew) {
    this.root = root;
    this.ctx = ctx;
    this.model = model;
    this.savedJSON = JSON.stringify(model);
    this.isNew = isNew;
    this.editing = isNew || params().get("edit") === "1";
    this.views = [];
    this.states = [];
    this.stopDrag = null;
    this.run = 0; // refreshes started; a slower older one must not draw over a newer one
    this.banner = h("div", { class: "dash-banner" });
    this.variablesHost = h("div", { class: "dash-variables-host" });
    this.grid = h("div", { class: "dash-grid" });
    this.drawerHost = h("div", { class: "dash-drawer-host" }); // kept across renders, so an open editor stays open
  }

  get range() {
    const p = params();
    return { from: p.get("from") || this.model.time.from, to: p.get("to") || this.model.time.to };
  }

  render() {
    document.title = `${this.model.title} · Kansoku`;
    this.root.classList.toggle("editing", this.editing);
    const toolbar = dashboardToolbar({ model: this.model, editing: this.editing, isNew: this.isNew, range: this.range }, {
      onTime: (range) => { this.ctx.setParams(range, { push: true }); this.render(); },
      onRefresh: () => this.refresh(),
      onEdit: () => this.setEditing(true),
      onAddPanel: () => this.openPanelEditor(newPanel(this.model), true),
      onVariables: () => editVariables(this.drawerHost, this.model.templating.list, {
        onApply: (list) => { this.model.templating.list = list; this.updateDirty(); this.refresh(); } }),
      onJSON: () => editJSON(this.drawerHost, this.model, {
        onApply: (model) => { this.model = model; this.updateDirty(); this.render(); } }),
      onSave: () => this.save(),
      onDiscard: () => this.discard(),
      onTitle: (title) => { this.model.title = title; this.updateDirty(); },
      onTags: (tags) => { this.model.tags = tags; this.updateDirty(); },
    });
    replaceChildren(this.root, toolbar, this.banner, this.variablesHost, this.grid, this.drawerHost);
    this.updateDirty();
    this.refresh();
    const panelId = params().get("editPanel");
    const panel = this.editing && panelId !== null && this.model.panels.find((p) => String(p.id) === panelId);
    if (panel) this.openPanelEditor(panel, false);
  }

  /** Reloads the variables' options, then every panel. */
  async refresh() {
    const run = ++this.run;
    let span;
    try {
      span = resolveRange(this.range);
    } catch (error) {
      replaceChildren(this.grid, errorBox(error, "Invalid time range"));
      return;
    }
    // The pickers stay while their options reload; only the first load shows a spinner.
    if (!this.variablesHost.firstChild && this.model.templating.list.length) replaceChildren(this.variablesHost, loading("Loading variables…"));
    try {
      const states = await resolveVariables(this.model.templating.list, params(), { ...span, signal: this.ctx.signal });
      if (run !== this.run) return;
      this.states = states;
    } catch (error) {
      if (error.name !== "AbortError") replaceChildren(this.variablesHost, errorBox(error, "Variables failed to load"));
      return;
    }
    replaceChildren(this.variablesHost, this.states.length ? variableBar(this.states, (state, selected) => {
      state.selected = selected;
      this.ctx.setParams(variableParams([state]), { push: true });
      this.refresh();
    }) : null);
    this.renderPanels(span);
  }

  renderPanels(span) {
    this.stopDrag?.();
    this.views.forEach((v) => v.destroy());
    const actions = { onEdit: (panel) => this.openPanelEditor(panel, false), onDelete: (panel) => this.deletePanel(panel) };
    this.views = this.model.panels.map((panel) => new PanelView(panel, { editing: this.editing, actions }));
    replaceChildren(this.grid, this.views.length ? this.views.map((v) => v.element)
      : h("div", { class: "state empty dash-empty" }, this.editing ? "No panels yet: add one with “+ Add panel”." : "This dashboard has no panels yet. Edit it to add some."));
    if (this.editing) this.stopDrag = enableGridDrag(this.grid, () => this.views, (panel, gridPos) => this.moved(panel, gridPos));
    const q = this.queryContext(span);
    for (const view of this.views) view.load(q);
  }

  queryContext(span) {
    const step = stepFor(span, 200);
    const builtins = builtinVariables(span, step);
    return {
      range: span, step, signal: this.ctx.signal,
      expr: (text) => interpolate(text, this.states, builtins),
      onZoom: (start, end) => { this.ctx.setParams({ from: String(Math.round(start)), to: String(Math.round(end)) }, { push: true }); this.render(); },
    };
  }

  moved(panel, gridPos) {
    const resized = panel.gridPos.w !== gridPos.w || panel.gridPos.h !== gridPos.h;
    panel.gridPos = gridPos;
    this.updateDirty();
    if (resized) this.views.find((v) => v.panel === panel)?.load(this.queryContext(resolveRange(this.range)));
  }

  openPanelEditor(panel, adding) {
    if (!adding) this.ctx.setParams({ editPanel: panel.id });
    editPanel(this.drawerHost, panel, {
      onApply: (edited) => {
        const index = this.model.panels.indexOf(panel);
        if (index >= 0) this.model.panels[index] = edited; else this.model.panels.push(edited);
        this.updateDirty();
        this.refresh();
      },
      onClose: () => this.ctx.setParams({ editPanel: null }),
    });
  }

  deletePanel(panel) {
    this.model.panels = this.model.panels.filter((p) => p !== panel);
    this.updateDirty();
    this.renderPanels(resolveRange(this.range));
  }

  setEditing(on) {
    this.editing = on;
    this.ctx.setParams({ edit: on ? "1" : null, editPanel: null });
    replaceChildren(this.banner);
    this.render();
  }

  updateDirty() {
    this.root.classList.toggle("dirty", this.isNew || JSON.stringify(this.model) !== this.savedJSON);
  }

  async save() {
    const problems = normalizeModel(this.model).errors;
    if (problems.length) { this.showBanner("error", "The dashboard cannot be saved", problems.join("\n")); return; }
    try {
      const stored = this.isNew ? await createDashboard(this.model, { signal: this.ctx.signal })
        : await updateDashboard(this.model, { signal: this.ctx.signal });
      // The time range and variables in the URL stay, so the saved dashboard shows what was on screen.
      if (this.isNew) { this.ctx.navigate(`/ui/dashboards/${encodeURIComponent(stored.uid)}${location.search}`); return; }
      this.model = checked(stored);
      this.savedJSON = JSON.stringify(this.model);
      this.setEditing(false);
      this.showBanner("ok", `Saved as version ${stored.version}.`);
    } catch (error) {
      if (error.name === "AbortError") return;
      if (error.status === 409 && !this.isNew) this.showConflict(error);
      else this.showBanner("error", "Saving failed", error.message);
    }
  }

  /** Someone saved in between: offer their version or overwriting it with ours. */
  showConflict(error) {
    this.showBanner("error", "Not saved: the dashboard was changed elsewhere", error.message,
      h("button", { type: "button", onclick: () => this.reloadFromServer() }, "Load their version (drop my changes)"),
      h("button", { type: "button", class: "danger", onclick: () => this.overwrite() }, "Overwrite with mine"));
  }

  async overwrite() {
    try {
      const latest = await getDashboard(this.model.uid, { signal: this.ctx.signal });
      this.model.version = latest.version;
      await this.save();
    } catch (error) {
      if (error.name !== "AbortError") this.showBanner("error", "Saving failed", error.message);
    }
  }

  async reloadFromServer() {
    try {
      this.model = checked(await getDashboard(this.model.uid, { signal: this.ctx.signal }));
      this.savedJSON = JSON.stringify(this.model);
      replaceChildren(this.banner);
      this.render();
    } catch (error) {
      if (error.name !== "AbortError") this.showBanner("error", "Loading failed", error.message);
    }
  }

  discard() {
    if (this.isNew) { this.ctx.navigate("/ui/dashboards"); return; }
    this.model = JSON.parse(this.savedJSON);
    this.setEditing(false);
  }

  showBanner(kind, title, detail = "", ...buttons) {
    replaceChildren(this.banner, h("div", { class: `dash-message ${kind}`, role: kind === "error" ? "alert" : "status" },
      h("div", { class: "grow" }, h("strong", {}, title), detail ? h("pre", {}, detail) : null),
      buttons, h("button", { type: "button", class: "ghost", "aria-label": "Dismiss", onclick: () => replaceChildren(this.banner) }, "✕")));
  }

  destroy() {
    this.run += 1;
    this.stopDrag?.();
    this.views.forEach((v) => v.destroy());
  }
}
