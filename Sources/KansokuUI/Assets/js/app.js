// The UI shell: routes `/ui/<view>/…` to a page module, keeps each view's
// state in the URL, and switches themes.
//
// A page module exports `mount(root, ctx)`, which fills `root` and may return
// `{ unmount() }`. `ctx` gives:
//   path       the path segments after /ui/, e.g. ["traces", "4bf92f…"]
//   params     URLSearchParams of the current URL (read-only snapshot)
//   setParams  (updates, { push }) merges updates into the URL (null removes a
//              key) without remounting: the view already shows that state;
//              `push: true` makes a history entry (a new query), else replaced
//   navigate   (href) goes to another view, with a history entry
//   signal     an AbortSignal aborted when the view is left; pass it to fetches

import { errorBox, h, loading, replaceChildren } from "./dom.js";

const VIEWS = {
  metrics: "./pages/metrics.js",
  logs: "./pages/logs.js",
  traces: "./pages/traces.js",
  servicemap: "./pages/servicemap.js",
  dashboards: "./pages/dashboards.js",
};
const DEFAULT_VIEW = "metrics";

const viewRoot = document.getElementById("view");
let current = null; // { unmount, controller }

function segments(pathname) {
  return pathname.replace(/^\/ui\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
}

async function render() {
  if (current) {
    current.controller.abort();
    try { current.unmount?.(); } catch (error) { console.error("unmount failed", error); }
    current = null;
  }
  let path = segments(location.pathname);
  if (path.length === 0) {
    history.replaceState(null, "", `/ui/${DEFAULT_VIEW}${location.search}`);
    path = [DEFAULT_VIEW];
  }
  const view = path[0];
  for (const link of document.querySelectorAll("#nav a")) link.classList.toggle("active", link.dataset.view === view);
  document.title = `${view[0].toUpperCase()}${view.slice(1)} · Kansoku`;
  const controller = new AbortController();
  const mine = { controller, unmount: null };
  current = mine;
  replaceChildren(viewRoot, loading());
  const modulePath = VIEWS[view];
  if (!modulePath) {
    replaceChildren(viewRoot, errorBox(`There is no view called "${view}".`, "Unknown page"));
    return;
  }
  try {
    const page = await import(modulePath);
    if (current !== mine) return; // the user moved on while the module loaded
    const root = h("div", { class: `page page-${view}` });
    replaceChildren(viewRoot, root);
    const ctx = {
      path, params: new URLSearchParams(location.search), signal: controller.signal,
      setParams, navigate,
    };
    const mounted = await page.mount(root, ctx);
    mine.unmount = mounted?.unmount ?? null;
  } catch (error) {
    if (error.name === "AbortError") return;
    console.error(error);
    if (current === mine) replaceChildren(viewRoot, errorBox(error, "This view failed to load"));
  }
}

/** Merges `updates` into the URL's query; `null`/`undefined`/"" removes a key; an array repeats it (`var-x=a&var-x=b`). */
export function setParams(updates, { push = false } = {}) {
  const params = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(updates)) {
    if (value === null || value === undefined || value === "") params.delete(key);
    else if (Array.isArray(value)) { params.delete(key); for (const one of value) params.append(key, String(one)); }
    else params.set(key, String(value));
  }
  const query = params.toString();
  const url = `${location.pathname}${query ? `?${query}` : ""}`;
  if (url === `${location.pathname}${location.search}`) return;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}

/** Opens another view (or the same view with other state) with a history entry. */
export function navigate(href) {
  history.pushState(null, "", href);
  render();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href]");
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.target === "_blank") return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith("/ui/") || url.pathname.startsWith("/ui/assets/")) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});

window.addEventListener("popstate", render);

document.getElementById("theme-toggle").addEventListener("click", () => {
  const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
  document.documentElement.dataset.theme = next;
  localStorage.setItem("kansoku.theme", next);
  window.dispatchEvent(new CustomEvent("kansoku:themechange", { detail: next }));
});

render();
