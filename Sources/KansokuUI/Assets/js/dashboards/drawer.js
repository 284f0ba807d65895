// A side drawer over the dashboard for the editors (panel, variables, JSON
// model): a title, a scrolling body, and the buttons at the bottom.

import { h } from "../dom.js";

/** Opens a drawer in `host`; returns `{element, close}`. `onClose` runs on Escape and on close. */
export function openDrawer(host, { title, body, buttons, wide = false, onClose }) {
  const close = () => {
    element.remove();
    document.removeEventListener("keydown", onKey);
    onClose?.();
  };
  const onKey = (event) => { if (event.key === "Escape") close(); };
  const element = h("aside", { class: `dash-drawer${wide ? " wide" : ""}`, role: "dialog", "aria-label": title },
    h("header", {}, h("h2", {}, title), h("button", { type: "button", class: "ghost", "aria-label": "Close", onclick: close }, "✕")),
    h("div", { class: "dash-drawer-body" }, body),
    h("footer", {}, buttons));
  host.querySelector(":scope > .dash-drawer")?.remove();
  host.append(element);
  document.addEventListener("keydown", onKey);
  element.querySelector("input, textarea, select")?.focus();
  return { element, close };
}
