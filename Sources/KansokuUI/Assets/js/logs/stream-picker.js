// Shown while the logs view has no query: the streams the server has in the
// range, by one telling label, each a button that starts a query for it.

import { loki } from "../api.js";
import { emptyState, h, loading, replaceChildren } from "../dom.js";
import { resolveRange } from "../time-range.js";

const PREFERRED = ["service_name", "app", "job", "namespace", "container", "host"];

/** The picker element; `onPick(query)` runs the chosen selector. */
export function streamPicker({ range, signal, onPick }) {
  const element = h("div", { class: "stream-picker" }, loading("Looking up streams…"));
  fill(element, range, signal, onPick).catch((error) => {
    if (error.name !== "AbortError") replaceChildren(element, emptyState(`Enter a LogQL query above. (The label list failed: ${error.message})`));
  });
  return element;
}

async function fill(element, range, signal, onPick) {
  const { start, end } = resolveRange(range);
  const [from, to] = [`${start}000000`, `${end}000000`];
  const names = await loki.labels(from, to, { signal });
  const name = PREFERRED.find((n) => names.includes(n)) || names[0];
  if (!name) {
    replaceChildren(element, emptyState("No logs in this time range yet. Send some over OTLP or the Loki push API, or pick a longer range."));
    return;
  }
  const values = await loki.labelValues(name, from, to, { signal });
  const quoted = (value) => JSON.stringify(value);
  replaceChildren(element,
    h("p", {}, "Enter a LogQL query above — type ", h("code", {}, "{"), " to pick labels — or start with a stream:"),
    h("div", { class: "stream-picker-values" }, values.map((value) => h("button", { type: "button", class: "stream-pick",
      onclick: () => onPick(`{${name}=${quoted(value)}}`) }, h("span", { class: "muted" }, `${name} = `), value))));
}
