// Where the PromQL editor's completions come from: metric names, label names
// and label values asked of the server (narrowed with `match[]` to the metric
// being typed, cached for the life of the view), plus the language's own words.

import { prometheus } from "../api.js";
import { languageItems, quoteLabelValue } from "./promql-language.js";

const MAX_ITEMS = 60;
const LANGUAGE = languageItems();

export class PromqlSuggestions {
  /** `signal` ends the cache's requests when the view is left. */
  constructor(signal) {
    this.signal = signal;
    this.cache = new Map();
  }

  cached(key, load) {
    if (!this.cache.has(key)) {
      const promise = load().catch((error) => { this.cache.delete(key); throw error; });
      this.cache.set(key, promise);
    }
    return this.cache.get(key);
  }

  metricNames() {
    return this.cached("names", () => prometheus.labelValues("__name__", undefined, undefined, undefined, { signal: this.signal }));
  }

  metadata() {
    return this.cached("metadata", () => prometheus.metadata({ signal: this.signal }).catch(() => ({})));
  }

  labelNames(metric) {
    const match = metric ? [metric] : undefined;
    return this.cached(`labels:${metric}`, () => prometheus.labels(match, undefined, undefined, { signal: this.signal }));
  }

  labelValues(metric, label) {
    const match = metric ? [metric] : undefined;
    return this.cached(`values:${metric}:${label}`, () => prometheus.labelValues(label, match, undefined, undefined, { signal: this.signal }));
  }

  /**
   * Completion items for a context from promql-language.js `completionContext`:
   * [{ text, insert, kind, detail }], best matches first.
   */
  async items(context) {
    if (context.kind === "label-value") {
      const values = await this.labelValues(context.metric, context.label);
      return rank(values.map((value) => ({ text: value, insert: `${quoteLabelValue(value)}"`, kind: "value", detail: context.label })), context.prefix);
    }
    if (context.kind === "label-name") {
      const names = (await this.labelNames(context.metric)).filter((name) => name !== "__name__");
      return rank(names.map((name) => ({ text: name, insert: name, kind: "label", detail: context.metric })), context.prefix);
    }
    const [names, metadata] = await Promise.all([this.metricNames(), this.metadata()]);
    const metrics = names.map((name) => {
      const meta = metadataFor(metadata, name);
      return { text: name, insert: name, kind: meta?.type || "metric", detail: meta?.help || "" };
    });
    return rank([...metrics, ...LANGUAGE], context.prefix);
  }
}

/** Metadata is keyed by family: `http_seconds` describes `http_seconds_bucket` too. */
function metadataFor(metadata, name) {
  const entries = metadata[name] || metadata[name.replace(/_(total|bucket|sum|count|created|info)$/, "")];
  return entries?.[0];
}

/** Items starting with `prefix` (alphabetically), then those merely containing it. */
function rank(items, prefix) {
  const needle = prefix.toLowerCase();
  const starts = [], contains = [];
  for (const item of items) {
    const text = item.text.toLowerCase();
    if (text === needle && item.kind !== "function" && item.kind !== "aggregation") continue; // already typed in full
    if (text.startsWith(needle)) starts.push(item);
    else if (needle && text.includes(needle)) contains.push(item);
  }
  const byText = (a, b) => a.text.localeCompare(b.text);
  return [...starts.sort(byText), ...contains.sort(byText)].slice(0, MAX_ITEMS);
}
