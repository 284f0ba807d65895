// The dashboards view: /ui/dashboards lists them, /ui/dashboards/<uid> shows
// one, /ui/dashboards/new starts a new one (stored on its first save).

import { mountDashboardList } from "../dashboards/dashboard-list.js";
import { mountDashboard } from "../dashboards/dashboard-view.js";

/** The page contract of app.js: fills `root` for `ctx.path`. */
export function mount(root, ctx) {
  const uid = ctx.path[1];
  return uid ? mountDashboard(root, ctx, uid) : mountDashboardList(root, ctx);
}
