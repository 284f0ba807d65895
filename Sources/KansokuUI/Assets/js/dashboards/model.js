// The dashboard JSON model, as stored by the server and edited in the UI:
//
//   {uid, title, tags, version, time: {from, to},
//    templating: {list: [{name, type: "query"|"custom", query, multi?, includeAll?, regex?, current}]},
//    panels: [{id, title, type, gridPos: {x, y, w, h}, targets: [{expr, legendFormat?}], unit?, options?}]}
//
// gridPos uses Grafana's 24-column grid, so imported layouts keep their shape.

export const GRID_COLUMNS = 24;
export const PANEL_TYPES = {
  timeseries: "Time series",
  stat: "Stat",
  table: "Table",
  logs: "Logs",
  text: "Text note",
};
export const VARIABLE_TYPES = { query: "Query", custom: "Custom" };

/** An empty, unsaved dashboard. */
export function newDashboard() {
  return { title: "New dashboard", tags: [], time: { from: "now-1h", to: "now" }, templating: { list: [] }, panels: [] };
}

/** A new panel of `type`, half the grid wide, in the first free place reading row by row. */
export function newPanel(model, type = "timeseries") {
  const id = Math.max(0, ...model.panels.map((p) => Number(p.id) || 0)) + 1;
  const size = type === "stat" ? { w: 6, h: 5 } : { w: 12, h: 8 };
  return {
    id, type, title: type === "text" ? "Note" : `Panel ${id}`,
    gridPos: { ...firstFreeSpot(model.panels.map((p) => p.gridPos), size), ...size },
    targets: type === "text" ? [] : [{ expr: "" }],
    ...(type === "text" ? { options: { content: "" } } : {}),
  };
}

const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function firstFreeSpot(taken, { w, h }) {
  for (let y = 0; ; y += 1) {
    for (let x = 0; x + w <= GRID_COLUMNS; x += 1) {
      if (!taken.some((t) => overlaps(t, { x, y, w, h }))) return { x, y };
    }
  }
}

/**
 * Moves every panel up as far as it goes without overlapping the panels above it, keeping
 * their order, as Grafana's grid does; used after import, where removed rows leave gaps.
 */
export function compactLayout(panels) {
  const placed = [];
  for (const panel of [...panels].sort((a, b) => a.gridPos.y - b.gridPos.y || a.gridPos.x - b.gridPos.x)) {
    let y = panel.gridPos.y;
    while (y > 0 && !placed.some((p) => overlaps(p.gridPos, { ...panel.gridPos, y: y - 1 }))) y -= 1;
    panel.gridPos = { ...panel.gridPos, y };
    placed.push(panel);
  }
  return panels;
}

/**
 * Checks a model parsed from JSON and fills the defaults the view relies on.
 * Returns `{model, errors}`; `errors` are human sentences naming the field, empty when the model is usable.
 */
export function normalizeModel(input) {
  const errors = [];
  if (!input || typeof input !== "object" || Array.isArray(input)) return { model: null, errors: ["the model must be a JSON object"] };
  const model = structuredClone(input);
  if (typeof model.title !== "string" || !model.title.trim()) errors.push('"title" must be a non-empty string');
  if (model.tags === undefined || model.tags === null) model.tags = [];
  else if (!Array.isArray(model.tags) || model.tags.some((t) => typeof t !== "string")) errors.push('"tags" must be an array of strings');
  if (!model.time || typeof model.time !== "object") model.time = { from: "now-1h", to: "now" };
  else if (typeof model.time.from !== "string" || typeof model.time.to !== "string") errors.push('"time.from" and "time.to" must be strings such as "now-6h" and "now"');
  if (!model.templating || !Array.isArray(model.templating.list)) {
    if (model.templating && model.templating.list !== undefined) errors.push('"templating.list" must be an array');
    model.templating = { ...(model.templating || {}), list: [] };
  }
  model.templating.list.forEach((variable, i) => checkVariable(variable, `templating.list[${i}]`, errors));
  if (model.panels === undefined) model.panels = [];
  if (!Array.isArray(model.panels)) errors.push('"panels" must be an array');
  else model.panels.forEach((panel, i) => checkPanel(panel, `panels[${i}]`, errors));
  if (Array.isArray(model.panels)) {
    const ids = model.panels.map((p) => p?.id);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate !== undefined) errors.push(`two panels have the id ${JSON.stringify(duplicate)}; panel ids must differ`);
  }
  return { model, errors };
}

function checkVariable(variable, where, errors) {
  if (!variable || typeof variable !== "object") { errors.push(`${where} must be an object`); return; }
  if (typeof variable.name !== "string" || !/^[A-Za-z_]\w*$/.test(variable.name)) errors.push(`${where}.name must be a name made of letters, digits and _`);
  if (!(variable.type in VARIABLE_TYPES)) errors.push(`${where}.type must be "query" or "custom", not ${JSON.stringify(variable.type)}`);
  if (typeof variable.query !== "string") errors.push(`${where}.query must be a string`);
}

function checkPanel(panel, where, errors) {
  if (!panel || typeof panel !== "object" || Array.isArray(panel)) { errors.push(`${where} must be an object`); return; }
  if (panel.id === undefined) errors.push(`${where}.id is missing`);
  if (typeof panel.title !== "string") panel.title = "";
  if (!(panel.type in PANEL_TYPES)) errors.push(`${where}.type must be one of ${Object.keys(PANEL_TYPES).join(", ")}, not ${JSON.stringify(panel.type)}`);
  const pos = panel.gridPos;
  if (!pos || !["x", "y", "w", "h"].every((k) => Number.isInteger(pos[k]))) {
    errors.push(`${where}.gridPos must be {x, y, w, h} with whole numbers`);
  } else if (pos.x < 0 || pos.y < 0 || pos.w < 1 || pos.h < 1 || pos.x + pos.w > GRID_COLUMNS) {
    errors.push(`${where}.gridPos ${JSON.stringify(pos)} must lie within the ${GRID_COLUMNS}-column grid (x + w ≤ ${GRID_COLUMNS}, w and h ≥ 1)`);
  }
  if (panel.targets === undefined) panel.targets = [];
  if (!Array.isArray(panel.targets) || panel.targets.some((t) => !t || typeof t.expr !== "string")) {
    errors.push(`${where}.targets must be an array of {expr, legendFormat?}`);
  }
  if (panel.unit !== undefined && typeof panel.unit !== "string") errors.push(`${where}.unit must be a string`);
}

/** The model with its keys in reading order (the server stores them sorted), for the JSON editor. */
export function orderedModel(model) {
  const { uid, title, tags, version, updated, time, templating, panels, ...rest } = model;
  return {
    uid, title, tags, version, updated, time, templating,
    panels: (panels || []).map(({ id, title: t, type, gridPos, targets, unit, ...more }) => ({ id, title: t, type, gridPos, targets, unit, ...more })),
    ...rest,
  };
}
