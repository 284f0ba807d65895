// The JSON model editor: the whole dashboard as text, checked on apply — a
// syntax error names its line and column, a model error names the field.

import { h } from "../dom.js";
import { openDrawer } from "./drawer.js";
import { jsonErrorOffset } from "./json-position.js";
import { normalizeModel, orderedModel } from "./model.js";

/** Opens the editor on `model`; `onApply(model)` gets the parsed, checked model. */
export function editJSON(host, model, { onApply, onClose }) {
  const text = h("textarea", { class: "code dash-json", name: "model", spellcheck: "false" }, JSON.stringify(orderedModel(model), null, 2));
  const problems = h("ul", { class: "dash-json-errors", role: "alert" });
  const apply = () => {
    let parsed;
    try {
      parsed = JSON.parse(text.value);
    } catch (error) {
      showProblems([syntaxError(error, text.value)]);
      return;
    }
    const { model: checked, errors } = normalizeModel(parsed);
    if (errors.length) { showProblems(errors); return; }
    // The server owns these; an edit of them would only make the save fail.
    checked.uid = model.uid;
    checked.version = model.version;
    onApply(checked);
    drawer.close();
  };
  const showProblems = (messages) => problems.replaceChildren(...messages.map((m) => h("li", {}, m)));
  const drawer = openDrawer(host, {
    title: "JSON model", wide: true, onClose,
    body: [text, problems],
    buttons: [h("span", { class: "muted" }, "uid and version are kept by the server."), h("span", { class: "spacer" }),
      h("button", { type: "button", onclick: () => drawer.close() }, "Cancel"),
      h("button", { type: "button", class: "primary", onclick: apply }, "Apply")],
  });
  return drawer;
}

/** A JSON.parse error with the line and column where the text stops being JSON. */
function syntaxError(error, source) {
  const offset = jsonErrorOffset(source);
  if (offset < 0) return `Not valid JSON: ${error.message}`;
  const before = source.slice(0, offset);
  const line = before.split("\n").length, column = offset - before.lastIndexOf("\n");
  const found = offset < source.length ? `“${source[offset]}”` : "the end of the text";
  return `Not valid JSON at line ${line}, column ${column}: unexpected ${found}.`;
}
