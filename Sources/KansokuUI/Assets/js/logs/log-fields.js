// What a log line says about itself: fields parsed from a JSON or logfmt
// line (as Loki's `| json` and `| logfmt` would), its level and its trace id.

import { normalizeLevel } from "../theme.js";

/**
 * Fields of a JSON object line (nested keys joined with `_`, as Loki's json
 * parser names them) or of a logfmt line; `{ format: "json" | "logfmt" | null, fields: [[name, value]…] }`.
 */
export function parseLineFields(line) {
  const text = String(line ?? "").trim();
  if (text.startsWith("{")) {
    try {
      const value = JSON.parse(text);
      if (value && typeof value === "object" && !Array.isArray(value)) return { format: "json", fields: flatten(value) };
    } catch { /* not JSON after all: maybe logfmt */ }
  }
  const fields = parseLogfmt(text);
  return fields.length ? { format: "logfmt", fields } : { format: null, fields: [] };
}

function flatten(object, prefix = "", out = []) {
  for (const [key, value] of Object.entries(object)) {
    const name = prefix ? `${prefix}_${key}` : key;
    if (value && typeof value === "object" && !Array.isArray(value)) flatten(value, name, out);
    else out.push([name, typeof value === "string" ? value : JSON.stringify(value)]);
  }
  return out;
}

/** `key=value key="quoted value"` pairs; a line with words that are not pairs still yields the pairs it has. */
function parseLogfmt(text) {
  const fields = [];
  const pattern = /(?:^|\s)([A-Za-z_][\w.\-/]*)=("(?:[^"\\]|\\.)*"|[^\s"]*)/g;
  let match;
  while ((match = pattern.exec(text))) {
    let value = match[2];
    if (value.startsWith('"')) {
      try { value = JSON.parse(value); } catch { value = value.slice(1, -1); }
    }
    fields.push([match[1], value]);
  }
  return fields;
}

const LEVEL_KEYS = ["detected_level", "level", "severity_text", "severity", "lvl", "loglevel"];

/** The normalised level of an entry from its labels, else from its parsed fields; "unknown" when neither says. */
export function entryLevel(labels, fields) {
  for (const key of LEVEL_KEYS) if (labels[key]) return normalizeLevel(labels[key]);
  const byName = new Map(fields.map(([k, v]) => [k.toLowerCase(), v]));
  for (const key of LEVEL_KEYS) if (byName.get(key)) return normalizeLevel(byName.get(key));
  return "unknown";
}

const TRACE_KEYS = ["trace_id", "traceid", "traceId", "traceID"];

/** The entry's trace id (hex, 16 or 32 digits): structured metadata `trace_id`, else a `trace_id`/`traceID` field. */
export function entryTraceId(labels, fields) {
  const candidates = [labels.trace_id, labels.traceID, labels.traceId,
    ...fields.filter(([k]) => TRACE_KEYS.includes(k)).map(([, v]) => v)];
  const id = candidates.find((v) => typeof v === "string" && /^([0-9a-f]{16}|[0-9a-f]{32})$/i.test(v));
  return id ? id.toLowerCase() : null;
}
