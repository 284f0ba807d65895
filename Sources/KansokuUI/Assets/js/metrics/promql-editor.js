// The PromQL editor: a growing monospace textarea with a completion list
// (metric names, labels and values from the server, functions with their
// signatures) and the server's parse error, with its position, under it.
//
// Keys: ↑/↓ choose a completion, Enter or Tab takes it, Esc closes the list,
// Ctrl+Space opens it, Ctrl/Cmd+Enter or Shift+Enter runs the query.

import { queryErrorPanel } from "../components/query-error.js";
import { h, replaceChildren } from "../dom.js";
import { completionContext, errorPosition } from "./promql-language.js";
import { PromqlSuggestions } from "./promql-suggestions.js";

/**
 * Creates the editor. `onRun(text)` is called to run the query; `signal`
 * aborts completion requests when the view is left.
 * Returns `{ element, value(), setValue(text), setError(error | null), focus() }`.
 */
export function createPromqlEditor({ value = "", onRun, signal }) {
  const suggestions = new PromqlSuggestions(signal);
  const input = h("textarea", {
    class: "code promql-input", rows: "1", spellcheck: "false", autocomplete: "off", autocapitalize: "off",
    "aria-label": "PromQL query", placeholder: "Enter a PromQL expression, e.g. rate(http_requests_total[5m])  —  Ctrl+Enter runs",
    value,
  });
  const list = h("ul", { class: "completions", role: "listbox", hidden: true });
  const errors = queryErrorPanel(input, { errorPosition, className: "promql-error" });
  const element = h("div", { class: "promql-editor" }, h("div", { class: "promql-input-wrap" }, input, list), errors.element);

  let items = [], selected = 0, context = null, request = 0;

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
      role: "option", class: i === selected ? "selected" : "", "aria-selected": String(i === selected), title: item.detail || item.text,
      onmousedown: (event) => { event.preventDefault(); accept(i); },
    }, h("span", { class: "kind" }, item.kind === "function" || item.kind === "aggregation" ? item.detail : item.kind),
    h("span", { class: "completion-text" }, item.text))));
    list.hidden = items.length === 0;
    if (!list.hidden) {
      placeList();
      list.children[selected]?.scrollIntoView({ block: "nearest" });
    }
  };

  const placeList = () => {
    const style = getComputedStyle(input);
    const before = input.value.slice(0, context ? context.from : input.selectionStart);
    const lines = before.split("\n");
    const measure = placeList.canvas || (placeList.canvas = document.createElement("canvas"));
    const ctx = measure.getContext("2d");
    ctx.font = `${style.fontSize} ${style.fontFamily}`;
    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.45;
    const left = parseFloat(style.paddingLeft) + ctx.measureText(lines[lines.length - 1]).width - input.scrollLeft;
    const top = parseFloat(style.paddingTop) + lines.length * lineHeight - input.scrollTop + 4;
    list.style.left = `${Math.max(0, Math.min(left, input.clientWidth - 320))}px`;
    list.style.top = `${Math.min(top, input.offsetHeight)}px`;
  };

  /** Looks up completions for the caret; `force` shows them even before anything is typed. */
  const update = async (force = false) => {
    const caret = input.selectionStart;
    if (caret !== input.selectionEnd) { close(); return; }
    const found = completionContext(input.value, caret);
    if (!found || (found.kind === "metric" && !found.prefix && !force)) { close(); return; }
    const mine = ++request;
    let answer;
    try {
      answer = await suggestions.items(found);
    } catch (error) {
      if (error.name !== "AbortError") console.warn("completions failed:", error.message);
      return;
    }
    if (mine !== request) return;
    context = found; items = answer; selected = 0;
    render();
  };

  const accept = (index) => {
    const item = items[index];
    if (!item || !context) return;
    const text = input.value;
    let insert = item.insert, end = context.kind === "label-value" ? context.to : input.selectionStart;
    let caretOffset = null;
    if (context.kind === "label-name" && isInsideBraces(text, context.from)) {
      insert = `${item.insert}=""`; // then straight on to the value
      caretOffset = insert.length - 1;
    }
    if (insert.endsWith("(") && text[end] === "(") insert = insert.slice(0, -1);
    input.value = text.slice(0, context.from) + insert + text.slice(end);
    const caret = context.from + (caretOffset ?? insert.length);
    input.setSelectionRange(caret, caret);
    close();
    grow();
    input.focus();
    if (caretOffset !== null) update();
  };

  input.addEventListener("input", () => { grow(); update(); });
  input.addEventListener("blur", close);
  input.addEventListener("click", close);
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && items.length > 0;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey || event.shiftKey)) {
      event.preventDefault();
      close();
      onRun?.(input.value);
    } else if (event.key === " " && event.ctrlKey) {
      event.preventDefault();
      update(true);
    } else if (open && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      selected = (selected + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      render();
    } else if (open && (event.key === "Enter" || event.key === "Tab")) {
      event.preventDefault();
      accept(selected);
    } else if (open && event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
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

/** Whether `index` in `text` is inside a `{…}` selector (not a `by (…)` list). */
function isInsideBraces(text, index) {
  const before = text.slice(0, index);
  return before.lastIndexOf("{") > before.lastIndexOf("}");
}
