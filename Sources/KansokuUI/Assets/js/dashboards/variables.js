// Template variables: their options come from the Prometheus API (query
// variables such as `label_values(up, job)`) or a fixed list (custom), their
// selection from the URL (`var-<name>=…`, repeated for several values, as
// Grafana writes it), and `interpolate` puts them into queries as `$name`,
// `${name}`, `${name:format}` or `[[name]]`.

import { prometheus } from "../api.js";
import { formatSeriesName } from "../format.js";

/** The option that stands for every value of a variable with `includeAll`. */
export const ALL = "$__all";

/** Each variable with its `options` and `selected` values, resolved in order so a query may use the variables before it. */
export async function resolveVariables(list, params, { start, end, signal }) {
  const states = [];
  for (const variable of list) {
    const state = { variable, options: [], selected: [], error: null };
    try {
      state.options = await loadOptions(variable, states, { start, end, signal });
    } catch (error) {
      if (error.name === "AbortError") throw error;
      state.error = error;
    }
    state.selected = initialSelection(variable, state.options, params.getAll(`var-${variable.name}`));
    states.push(state);
  }
  return states;
}

async function loadOptions(variable, earlier, { start, end, signal }) {
  let values;
  if (variable.type === "custom") {
    values = String(variable.query || "").split(",").map((v) => v.trim()).filter(Boolean);
  } else {
    const query = interpolate(String(variable.query || "").trim(), earlier, {});
    values = await runVariableQuery(query, Math.floor(start / 1000), Math.ceil(end / 1000), signal);
  }
  return applyRegex([...new Set(values)], variable.regex);
}

async function runVariableQuery(query, start, end, signal) {
  const call = /^(\w+)\s*\(([\s\S]*)\)$/.exec(query);
  if (!call) throw new Error(`cannot read the variable query "${query}": use label_values(label), label_values(series, label), label_names(), metrics(regex) or query_result(query)`);
  const [, fn, args] = call;
  if (fn === "label_values") {
    const comma = args.lastIndexOf(",");
    const label = args.slice(comma + 1).trim();
    const match = comma < 0 ? undefined : args.slice(0, comma).trim();
    return prometheus.labelValues(label, match, start, end, { signal });
  }
  if (fn === "label_names") return prometheus.labels(args.trim() || undefined, start, end, { signal });
  if (fn === "metrics") {
    const pattern = new RegExp(args.trim() || ".*");
    return (await prometheus.labelValues("__name__", undefined, start, end, { signal })).filter((name) => pattern.test(name));
  }
  if (fn === "query_result") {
    const data = await prometheus.query(args.trim(), end, { signal });
    const rows = data.resultType === "vector" ? data.result : [];
    return rows.map((row) => `${formatSeriesName(row.metric)} ${row.value[1]} ${row.value[0] * 1000}`);
  }
  throw new Error(`the variable function ${fn}() is not supported: use label_values, label_names, metrics or query_result`);
}

/** Grafana's variable regex: keeps values matching `/pattern/flags`, and of those the first capture group when there is one. */
function applyRegex(values, regex) {
  if (!regex) return values;
  const literal = /^\/(.*)\/([a-z]*)$/.exec(regex);
  const pattern = literal ? new RegExp(literal[1], literal[2]) : new RegExp(regex);
  return [...new Set(values.flatMap((value) => {
    const match = pattern.exec(value);
    if (!match) return [];
    return [match[1] ?? match[0]];
  }))];
}

function initialSelection(variable, options, fromURL) {
  const offered = variable.includeAll ? [ALL, ...options] : options;
  if (fromURL.length) return variable.multi ? fromURL : fromURL.slice(0, 1);
  const current = variable.current?.value;
  const wanted = (Array.isArray(current) ? current : current !== undefined && current !== null && current !== "" ? [current] : [])
    .map((v) => (v === "$__all" || v === "All" ? ALL : String(v)))
    .filter((v) => offered.includes(v));
  if (wanted.length) return variable.multi ? wanted : wanted.slice(0, 1);
  return offered.length ? [offered[0]] : [];
}

/** The values a selection stands for: every option for "All", else the selection itself. */
function selectedValues(state) {
  return state.selected.includes(ALL) ? state.options : state.selected;
}

const escapeRegex = (value) => value.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");

function formatValue(state, format) {
  const values = selectedValues(state);
  const all = state.selected.includes(ALL);
  switch (format) {
    case "raw": case "csv": return values.join(",");
    case "pipe": return values.join("|");
    case "json": return JSON.stringify(values);
    case "regex": return values.length === 1 ? escapeRegex(values[0]) : `(${values.map(escapeRegex).join("|")})`;
    default:
      if (all && state.variable.allValue) return state.variable.allValue;
      // One value goes in as written; several become a regex alternation, as Grafana's Prometheus source does.
      if (values.length === 1 && !all) return values[0];
      return `(${values.map(escapeRegex).join("|")})`;
  }
}

/**
 * `text` with every known variable replaced. `builtins` maps names such as
 * `__interval` to their text; unknown names are left as written.
 */
export function interpolate(text, states, builtins) {
  const byName = new Map(states.map((s) => [s.variable.name, s]));
  return String(text).replace(/\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)(?::(\w+))?\]\]|\$(\w+)/g, (whole, n1, f1, n2, f2, n3) => {
    const name = n1 || n2 || n3;
    if (builtins && name in builtins) return builtins[name];
    const state = byName.get(name);
    return state ? formatValue(state, f1 || f2) : whole;
  });
}

/** Grafana's interval variables for a query range `{start, end}` (ms) and step (s). */
export function builtinVariables({ start, end }, stepSeconds) {
  const rangeSeconds = Math.round((end - start) / 1000);
  // Grafana's rule with its default 15 s scrape interval: at least four scrapes, at least one step plus a scrape.
  const rate = Math.max(stepSeconds + 15, 60);
  return {
    __interval: `${stepSeconds}s`, __interval_ms: String(stepSeconds * 1000),
    __rate_interval: `${rate}s`, __range: `${rangeSeconds}s`, __range_s: String(rangeSeconds), __range_ms: String(rangeSeconds * 1000),
  };
}

/** `var-<name>` URL parameters for the current selections (null removes one). */
export function variableParams(states) {
  return Object.fromEntries(states.map((s) => [`var-${s.variable.name}`, s.selected.length ? s.selected : null]));
}
