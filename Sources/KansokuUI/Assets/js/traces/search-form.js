// The trace search form: Jaeger-style fields (service, operation, tags,
// durations, limit) or a TraceQL query, plus the time range. The form only
// edits; `onSearch(updates)` puts the new query in the URL and runs it.

import { jaeger } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { timeRangePicker } from "../time-range.js";
import { parseTags } from "./tags.js";

const SEARCH_KEYS = ["service", "operation", "tags", "minDuration", "maxDuration", "limit"];
const DURATION = /^\d+(\.\d+)?(ns|us|µs|ms|s|m|h)$/;

/**
 * The form for `params` (URLSearchParams) and `range` ({from, to});
 * `services` is a promise of the service names. `onSearch(updates)` receives
 * URL parameter updates (null clears a key); `onRefresh()` reruns the search.
 */
export function searchForm({ params, range, services, signal, onSearch, onRefresh }) {
  let mode = params.has("q") ? "traceql" : "search";
  const fields = jaegerFields(params, services, signal);
  const traceQL = h("textarea", {
    class: "code traceql-input", rows: 5, spellcheck: "false", "aria-label": "TraceQL query",
    placeholder: '{ resource.service.name = "checkout" && status = error }',
  });
  traceQL.value = params.get("q") || "";
  traceQL.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey || event.shiftKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  const problem = h("div", { class: "field-error", role: "alert" });
  const searchPane = h("div", { class: "search-fields" }, fields.element);
  const traceQLPane = h("div", { class: "search-fields" },
    h("label", { class: "field" }, "TraceQL", traceQL),
    h("p", { class: "hint muted" }, "Structural operators work too: ",
      h("code", {}, '{resource.service.name="a"} > {resource.service.name="b"}'), ". Ctrl+Enter runs."));

  const tabButtons = {
    search: h("button", { type: "button", onclick: () => setMode("search") }, "Search"),
    traceql: h("button", { type: "button", onclick: () => setMode("traceql") }, "TraceQL"),
  };
  function setMode(next) {
    mode = next;
    for (const [name, button] of Object.entries(tabButtons)) {
      button.classList.toggle("active", name === mode);
      button.setAttribute("aria-selected", String(name === mode));
    }
    searchPane.hidden = mode !== "search";
    traceQLPane.hidden = mode !== "traceql";
    problem.textContent = "";
  }
  setMode(mode);

  const form = h("form", {
    class: "panel search-form", "aria-label": "Find traces",
    onsubmit: (event) => {
      if (event.target !== form) return; // the time range's own form, bubbling up
      event.preventDefault();
      problem.textContent = "";
      try {
        onSearch(mode === "traceql" ? traceQLUpdates(traceQL.value) : fields.updates());
      } catch (error) {
        problem.textContent = error.message;
      }
    },
  },
  h("div", { class: "tabs", role: "tablist" }, tabButtons.search, tabButtons.traceql),
  searchPane, traceQLPane,
  h("label", { class: "field" }, "Time range",
    timeRangePicker(range, { onChange: (next) => onSearch(next), onRefresh })),
  problem,
  h("button", { type: "submit", class: "primary find-traces" }, "Find traces"));
  return form;
}

function traceQLUpdates(text) {
  const q = text.trim();
  if (!q) throw new Error("Write a TraceQL query, e.g. { status = error }.");
  return { q, ...Object.fromEntries(SEARCH_KEYS.map((key) => [key, null])) };
}

/** The service/operation/tags/duration/limit fields and their URL updates. */
function jaegerFields(params, services, signal) {
  const service = h("select", { name: "service", "aria-label": "Service" },
    h("option", { value: "" }, "Loading services…"));
  const operation = h("select", { name: "operation", "aria-label": "Operation" },
    h("option", { value: "" }, "All operations"));
  const tags = h("input", { name: "tags", value: params.get("tags") || "", spellcheck: "false",
    placeholder: "http.response.status_code=500 error=true" });
  const minDuration = h("input", { name: "minDuration", value: params.get("minDuration") || "", placeholder: "e.g. 100ms" });
  const maxDuration = h("input", { name: "maxDuration", value: params.get("maxDuration") || "", placeholder: "e.g. 1.2s" });
  const limit = h("input", { name: "limit", type: "number", min: "1", max: "1000", value: params.get("limit") || "20" });
  const serviceProblem = h("span", { class: "field-error" });

  async function loadOperations(name, selected) {
    replaceChildren(operation, h("option", { value: "" }, "All operations"));
    if (!name) return;
    try {
      const names = (await jaeger.operations(name, { signal })).sort();
      for (const op of names) operation.append(h("option", { value: op, selected: op === selected }, op));
      if (selected && !names.includes(selected)) operation.append(h("option", { value: selected, selected: true }, selected));
    } catch (error) {
      if (error.name !== "AbortError") serviceProblem.textContent = `Operations: ${error.message}`;
    }
  }

  (async () => {
    const wanted = params.get("service") || "";
    try {
      const names = await services;
      replaceChildren(service, h("option", { value: "" }, names.length ? "Choose a service…" : "No services yet"),
        names.map((name) => h("option", { value: name, selected: name === wanted }, name)));
      if (wanted && !names.includes(wanted)) service.append(h("option", { value: wanted, selected: true }, wanted));
    } catch (error) {
      if (error.name === "AbortError") return;
      replaceChildren(service, h("option", { value: wanted }, wanted || "—"));
      serviceProblem.textContent = `Services: ${error.message}`;
    }
    await loadOperations(service.value, params.get("operation") || "");
  })();
  service.addEventListener("change", () => { serviceProblem.textContent = ""; loadOperations(service.value, ""); });

  const element = [
    h("label", { class: "field" }, "Service", service, serviceProblem),
    h("label", { class: "field" }, "Operation", operation),
    h("label", { class: "field" }, "Tags", tags),
    h("div", { class: "field-pair" },
      h("label", { class: "field" }, "Min duration", minDuration),
      h("label", { class: "field" }, "Max duration", maxDuration)),
    h("label", { class: "field" }, "Limit", limit),
  ];

  function updates() {
    if (!service.value) throw new Error("Choose a service.");
    parseTags(tags.value); // reports a malformed pair before the request
    for (const [input, label] of [[minDuration, "Min duration"], [maxDuration, "Max duration"]]) {
      if (input.value.trim() && !DURATION.test(input.value.trim())) throw new Error(`${label}: write a duration such as 100ms, 1.5s or 2m.`);
    }
    return {
      q: null, service: service.value, operation: operation.value, tags: tags.value.trim(),
      minDuration: minDuration.value.trim(), maxDuration: maxDuration.value.trim(),
      limit: limit.value && limit.value !== "20" ? limit.value : null,
    };
  }
  return { element, updates };
}
