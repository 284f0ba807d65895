// Kansoku's dashboards API (/api/kansoku/v1/dashboards): dashboards are JSON
// documents the server keeps in its data directory; saves carry the version
// they were based on, and a stale one is refused with HTTP 409.

import { getJSON, sendJSON } from "../api.js";

const BASE = "/api/kansoku/v1/dashboards";

/** Summaries `[{uid, title, tags, version, updated}]`, sorted by title. */
export async function listDashboards(options) {
  return (await getJSON(BASE, {}, options)).dashboards || [];
}

/** One dashboard's JSON model. */
export function getDashboard(uid, options) {
  return getJSON(`${BASE}/${encodeURIComponent(uid)}`, {}, options);
}

/** Stores a new dashboard; the answer is the stored model with its uid and version 1. */
export function createDashboard(model, options) {
  return sendJSON("POST", BASE, model, options);
}

/** Saves `model` over dashboard `model.uid`; `model.version` must be the stored version (else ApiError with status 409). */
export function updateDashboard(model, options) {
  return sendJSON("PUT", `${BASE}/${encodeURIComponent(model.uid)}`, model, options);
}

export function deleteDashboard(uid, options) {
  return sendJSON("DELETE", `${BASE}/${encodeURIComponent(uid)}`, undefined, options);
}
