// Small DOM helpers: every view builds its elements with `h` instead of
// innerHTML, so text from the server is never parsed as markup.

/**
 * Creates an element. `attrs` keys: `class`, `style` (object or string),
 * `dataset` (object), `on<event>` (listener), anything else as an attribute
 * (`true` sets it empty, `false`/`null`/`undefined` leaves it out).
 * Children may be nodes, strings, numbers, arrays or null.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key === "class") el.className = value;
    else if (key === "style" && typeof value === "object") Object.assign(el.style, value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === "value") el.value = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (nodes, strings, nested arrays; null skipped) to `el`. */
export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Removes every child of `el`, then appends `children`. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A "loading" placeholder, shown while a request is in flight. */
export function loading(text = "Loading…") {
  return h("div", { class: "state loading", role: "status" }, h("span", { class: "spinner" }), text);
}

/** An error box naming what failed; `error` is an Error or a string. */
export function errorBox(error, title = "Request failed") {
  const message = error instanceof Error ? error.message : String(error);
  return h("div", { class: "state error", role: "alert" }, h("strong", {}, title), h("pre", {}, message));
}

/** An "empty result" note. */
export function emptyState(text) {
  return h("div", { class: "state empty" }, text);
}
