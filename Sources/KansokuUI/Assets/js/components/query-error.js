// The error panel under a query editor (PromQL, LogQL): the server's message
// as it said it and, when the message names a line and column, that line of
// the query with a caret under the column; clicking the line puts the
// editor's cursor there.

import { h, replaceChildren } from "../dom.js";

/**
 * Creates the panel for `input` (the editor's textarea). `errorPosition(message)`
 * reads `{line, column}` (1-based) out of a server message, or null.
 * `className` is added beside `query-error` so each view can place it.
 * Returns `{ element, show(error | null) }`.
 */
export function queryErrorPanel(input, { errorPosition, className = "" }) {
  const element = h("div", { class: `query-error ${className}`.trim(), role: "alert", hidden: true });

  const marker = (text, { line, column }) => {
    const lines = text.split("\n");
    const source = lines[line - 1];
    if (source === undefined) return null;
    const offset = lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0) + column - 1;
    return h("pre", { class: "query-error-position", title: "Click to put the cursor there",
      onclick: () => { input.focus(); input.setSelectionRange(offset, offset); } },
    source, "\n", " ".repeat(Math.max(0, column - 1)), h("span", { class: "query-error-caret" }, "^"));
  };

  const show = (error) => {
    element.hidden = !error;
    if (!error) { replaceChildren(element); return; }
    const message = error instanceof Error ? error.message : String(error);
    const position = errorPosition(message);
    replaceChildren(element, h("strong", {}, "Query error"), h("pre", { class: "query-error-message" }, message),
      position ? marker(input.value, position) : null);
  };

  return { element, show };
}
