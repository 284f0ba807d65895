// The LogQL editor: a growing monospace textarea that completes stream label
// names and values inside `{…}` (asked of /loki/api/v1/labels and
// /label/<name>/values) and shows the server's error for a bad query.
//
// Keys: ↑/↓ choose a completion, Enter or Tab takes it, Esc closes the list,
// Ctrl+Space opens it, Enter (without a completion open) runs the query,
// Shift+Enter adds a line.

import { loki } from "../api.js";
import { queryErrorPanel } from "../components/query-error.js";
import { h, replaceChildren } from "../dom.js";
import { completionContext, errorPosition } from "./logql.js";

const MAX_ITEMS = 200;

/**
 * Creates the editor. `range()` gives `{start, end}` (epoch ms) for label
 * look-ups; `onRun()` runs the query; `signal` aborts look-ups when the view is left.
 * Returns `{ element, value(), setValue(text), setError(error | null), focus() }`.
 */
export function createLogqlEditor({ value = "", range, onRun, signal }) {
  const input = h("textarea", {
    class: "code logql-input", rows: "1", spellcheck: "false", autocomplete: "off", autocapitalize: "off",
    "aria-label": "LogQL query", value,
    placeholder: '{service_name="checkout"} |= "error"  — type { for labels, Enter runs',
  });
  const list = h("ul", { class: "completions", role: "listbox", hidden: true });
  const errors = queryErrorPanel(input, { errorPosition, className: "logql-error" });
  const element = h("div", { class: "logql-editor" }, h("div", { class: "logql-input-wrap" }, input, list), errors.element);

  const cache = new Map(); // "names" or "values:<name>" → Promise<string[]>
  let items = [], selected = 0, context = null, request = 0;

  const lookup = (key, load) => {
    if (!cache.has(key)) cache.set(key, load().catch((error) => { cache.delete(key); throw error; }));
    return cache.get(key);
  };
  const nanos = () => {
    const { start, end } = range();
    return [`${Math.floor(start)}000000`, `${Math.ceil(end)}000000`];
  };

  const grow = () => {
    input.style.height = "auto";
    input.style.height = `${input.scrollHeight + 2}px`;
  };

  const close = () => {
    request += 1; // answers still on their way are no longer wanted
    list.hidden = true;
    items = [];
  };

  const render = () => {
    replaceChildren(list, items.map((item, i) => h("li", {
      role: "option", class: i === selected ? "selected" : "", "aria-selected": String(i === selected),
      onmousedown: (event) => { event.preventDefault(); accept(i); },
    }, h("span", { class: "kind" }, context.kind === "label-name" ? "label" : context.name), item)));
    list.hidden = items.length === 0;
    if (!list.hidden) list.children[selected]?.scrollIntoView({ block: "nearest" });
  };

  const update = async (force = false) => {
    const caret = input.selectionStart;
    if (caret !== input.selectionEnd) { close(); return; }
    const found = completionContext(input.value, caret);
    if (!found) { close(); return; }
    const mine = ++request;
    let all;
    try {
      const [start, end] = nanos();
      all = found.kind === "label-name"
        ? await lookup("names", () => loki.labels(start, end, { signal }))
        : await lookup(`values:${found.name}`, () => loki.labelValues(found.name, start, end, { signal }));
    } catch (error) {
      if (error.name !== "AbortError") console.warn("label completions failed:", error.message);
      return;
    }
    if (mine !== request) return;
    const prefix = found.prefix.toLowerCase();
    const matching = all.filter((s) => s.toLowerCase().startsWith(prefix) && (force || s !== found.prefix));
    context = found; items = matching.slice(0, MAX_ITEMS); selected = 0;
    render();
  };

  const accept = (index) => {
    const item = items[index];
    if (item === undefined || !context) return;
    const text = input.value;
    // A label name goes straight on to its value; a value gets its closing quote, and the selector its brace.
    const insert = context.kind === "label-name" ? `${item}="` : item.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    let after = text.slice(context.to);
    if (context.kind === "label-value" && !after.startsWith('"')) after = `"${after}`;
    if (context.kind === "label-value" && !after.includes("}")) after = `"}${after.slice(1)}`;
    input.value = text.slice(0, context.from) + insert + after;
    const caret = context.from + insert.length + (context.kind === "label-value" ? 1 : 0);
    input.setSelectionRange(caret, caret);
    const wasName = context.kind === "label-name";
    close();
    grow();
    input.focus();
    if (wasName) update(true);
  };

  input.addEventListener("input", () => { grow(); update(); });
  input.addEventListener("blur", close);
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && items.length > 0;
    if (open && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      selected = (selected + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      render();
    } else if (open && (event.key === "Enter" || event.key === "Tab") && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      accept(selected);
    } else if (open && event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === " " && event.ctrlKey) {
      event.preventDefault();
      update(true);
    } else if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      close();
      onRun?.();
    }
  });

  requestAnimationFrame(grow);
  return {
    element,
    value: () => input.value,
    setValue: (text) => { input.value = text; grow(); },
    setError: errors.show,
    focus: () => input.focus(),
  };
}
