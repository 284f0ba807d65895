// What the PromQL editor knows about the language: function and aggregation
// signatures for completion, and which kind of token the caret is in.

const FUNCTIONS = [
  ["abs", "abs(v instant-vector)"], ["absent", "absent(v instant-vector)"],
  ["absent_over_time", "absent_over_time(v range-vector)"], ["acos", "acos(v instant-vector)"],
  ["acosh", "acosh(v instant-vector)"], ["asin", "asin(v instant-vector)"], ["asinh", "asinh(v instant-vector)"],
  ["atan", "atan(v instant-vector)"], ["atanh", "atanh(v instant-vector)"],
  ["avg_over_time", "avg_over_time(v range-vector)"], ["ceil", "ceil(v instant-vector)"],
  ["changes", "changes(v range-vector)"], ["clamp", "clamp(v instant-vector, min scalar, max scalar)"],
  ["clamp_max", "clamp_max(v instant-vector, max scalar)"], ["clamp_min", "clamp_min(v instant-vector, min scalar)"],
  ["cos", "cos(v instant-vector)"], ["cosh", "cosh(v instant-vector)"],
  ["count_over_time", "count_over_time(v range-vector)"], ["day_of_month", "day_of_month(v=vector(time()))"],
  ["day_of_week", "day_of_week(v=vector(time()))"], ["day_of_year", "day_of_year(v=vector(time()))"],
  ["days_in_month", "days_in_month(v=vector(time()))"], ["deg", "deg(v instant-vector)"],
  ["delta", "delta(v range-vector)"], ["deriv", "deriv(v range-vector)"], ["exp", "exp(v instant-vector)"],
  ["floor", "floor(v instant-vector)"], ["histogram_quantile", "histogram_quantile(φ scalar, b instant-vector)"],
  ["holt_winters", "holt_winters(v range-vector, sf scalar, tf scalar)"], ["hour", "hour(v=vector(time()))"],
  ["idelta", "idelta(v range-vector)"], ["increase", "increase(v range-vector)"], ["irate", "irate(v range-vector)"],
  ["label_join", "label_join(v instant-vector, dst string, separator string, src string…)"],
  ["label_replace", "label_replace(v instant-vector, dst string, replacement string, src string, regex string)"],
  ["last_over_time", "last_over_time(v range-vector)"], ["ln", "ln(v instant-vector)"],
  ["log10", "log10(v instant-vector)"], ["log2", "log2(v instant-vector)"],
  ["mad_over_time", "mad_over_time(v range-vector)"], ["max_over_time", "max_over_time(v range-vector)"],
  ["min_over_time", "min_over_time(v range-vector)"], ["minute", "minute(v=vector(time()))"],
  ["month", "month(v=vector(time()))"], ["pi", "pi()"],
  ["predict_linear", "predict_linear(v range-vector, t scalar)"],
  ["present_over_time", "present_over_time(v range-vector)"],
  ["quantile_over_time", "quantile_over_time(φ scalar, v range-vector)"], ["rad", "rad(v instant-vector)"],
  ["rate", "rate(v range-vector)"], ["resets", "resets(v range-vector)"],
  ["round", "round(v instant-vector, to_nearest=1 scalar)"], ["scalar", "scalar(v instant-vector)"],
  ["sgn", "sgn(v instant-vector)"], ["sin", "sin(v instant-vector)"], ["sinh", "sinh(v instant-vector)"],
  ["sort", "sort(v instant-vector)"], ["sort_by_label", "sort_by_label(v instant-vector, label string…)"],
  ["sort_by_label_desc", "sort_by_label_desc(v instant-vector, label string…)"],
  ["sort_desc", "sort_desc(v instant-vector)"], ["sqrt", "sqrt(v instant-vector)"],
  ["stddev_over_time", "stddev_over_time(v range-vector)"], ["stdvar_over_time", "stdvar_over_time(v range-vector)"],
  ["sum_over_time", "sum_over_time(v range-vector)"], ["tan", "tan(v instant-vector)"],
  ["tanh", "tanh(v instant-vector)"], ["time", "time()"], ["timestamp", "timestamp(v instant-vector)"],
  ["vector", "vector(s scalar)"], ["year", "year(v=vector(time()))"],
];

const AGGREGATIONS = [
  ["sum", "sum [by|without (labels)] (v)"], ["avg", "avg [by|without (labels)] (v)"],
  ["min", "min [by|without (labels)] (v)"], ["max", "max [by|without (labels)] (v)"],
  ["count", "count [by|without (labels)] (v)"], ["group", "group [by|without (labels)] (v)"],
  ["stddev", "stddev [by|without (labels)] (v)"], ["stdvar", "stdvar [by|without (labels)] (v)"],
  ["count_values", "count_values(label string, v)"], ["topk", "topk(k scalar, v)"],
  ["bottomk", "bottomk(k scalar, v)"], ["quantile", "quantile(φ scalar, v)"],
];

const KEYWORDS = ["by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless"];

/** Completion items for a word in expression position: `{ text, insert, kind, detail }`. */
export function languageItems() {
  return [
    ...FUNCTIONS.map(([name, signature]) => ({ text: name, insert: `${name}(`, kind: "function", detail: signature })),
    ...AGGREGATIONS.map(([name, signature]) => ({ text: name, insert: `${name}(`, kind: "aggregation", detail: signature })),
    ...KEYWORDS.map((name) => ({ text: name, insert: `${name} `, kind: "keyword", detail: "" })),
  ];
}

/**
 * What the caret at `caret` in `text` is completing:
 *  { kind: "metric", prefix, from }                        a metric, function or keyword
 *  { kind: "label-name", prefix, from, metric }            inside `{…}` or `by (…)`
 *  { kind: "label-value", prefix, from, to, metric, label } inside `label="…`
 *  null                                                    nothing (a number, a duration, a comment…)
 * `from` is where the typed prefix starts; a label value's `to` is where its closing quote (if any) is.
 */
export function completionContext(text, caret) {
  const before = text.slice(0, caret);
  const open = unclosedBrace(before);
  if (open >= 0) {
    const metric = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*$/.exec(before.slice(0, open))?.[1] || "";
    const inside = before.slice(open + 1);
    const value = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)$/.exec(inside);
    if (value) {
      const rest = text.slice(caret);
      const close = /^(?:[^"\\]|\\.)*"/.exec(rest);
      return { kind: "label-value", label: value[1], prefix: value[3], from: caret - value[3].length,
        to: close ? caret + close[0].length : caret, metric };
    }
    if (quoteOpen(inside)) return null;
    const word = /(?:^|[{,\s])([a-zA-Z_][a-zA-Z0-9_]*)?$/.exec(inside);
    if (!word) return null;
    const prefix = word[1] || "";
    return { kind: "label-name", prefix, from: caret - prefix.length, metric };
  }
  const grouping = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)$/.exec(before);
  if (grouping) {
    const prefix = /([a-zA-Z_][a-zA-Z0-9_]*)?$/.exec(grouping[1])[1] || "";
    return { kind: "label-name", prefix, from: caret - prefix.length, metric: firstMetric(text) };
  }
  if (quoteOpen(before) || /\[[^\]]*$/.test(before) || before.includes("#")) return null;
  const word = /([a-zA-Z_:][a-zA-Z0-9_:]*)$/.exec(before);
  const prefix = word ? word[1] : "";
  if (/[0-9.]$/.test(before.slice(0, caret - prefix.length))) return null; // part of a number such as 1e3
  return { kind: "metric", prefix, from: caret - prefix.length };
}

/** Index of the `{` the caret is inside (-1 if none), skipping quoted strings. */
function unclosedBrace(text) {
  let open = -1, quote = "";
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i += 1;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "{") open = i;
    else if (c === "}") open = -1;
  }
  return open;
}

function quoteOpen(text) {
  let quote = "";
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i += 1;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'" || c === "`") quote = c;
  }
  return quote !== "";
}

const RESERVED = new Set([...FUNCTIONS, ...AGGREGATIONS].map(([name]) => name).concat(KEYWORDS));

/** The first identifier in `text` that is not a function, aggregation or keyword: the metric a grouping most likely refers to. */
export function firstMetric(text) {
  const code = text.replace(/"(?:[^"\\]|\\.)*"?/g, '""').replace(/\{[^}]*\}?/g, "{}").replace(/\[[^\]]*\]?/g, "[]")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)?/g, " ");
  for (const match of code.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = code.slice(match.index + match[0].length).trimStart();
    if (!RESERVED.has(match[0]) && !after.startsWith("(") && !/[0-9.]$/.test(code.slice(0, match.index))) return match[0];
  }
  return "";
}

/** Escapes a label value for a double-quoted PromQL string. */
export function quoteLabelValue(value) {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** The line and column (1-based) of a server parse error such as `1:18: parse error: …`, or null. */
export function errorPosition(message) {
  const match = /\b(\d+):(\d+): parse error/.exec(message);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}
