// Log entries as the logs view handles them, made from Loki's stream results
// and tail messages: one object per line with its labels, parsed fields,
// level and trace id worked out once.

import { entryLevel, entryTraceId, parseLineFields } from "./log-fields.js";

/**
 * Entries of Loki `streams` (`[{stream, values: [[ns, line], …]}]`), newest
 * first for "backward", oldest first for "forward".
 * Each: `{ key, ns (BigInt), ms, line, labels, format, fields, level, traceId }`.
 */
export function entriesFromStreams(streams, direction = "backward") {
  const entries = [];
  for (const stream of streams || []) {
    for (const [ns, line] of stream.values || []) entries.push(makeEntry(stream.stream || {}, ns, line));
  }
  entries.sort((a, b) => (a.ns === b.ns ? 0 : (a.ns < b.ns) === (direction === "forward") ? -1 : 1));
  return entries;
}

let sequence = 0;

function makeEntry(labels, ns, line) {
  const parsed = parseLineFields(line);
  const nanos = BigInt(ns);
  return {
    key: ++sequence, ns: nanos, ms: Number(nanos / 1000000n), nanosText: String(ns), line: String(line), labels,
    format: parsed.format, fields: parsed.fields,
    level: entryLevel(labels, parsed.fields), traceId: entryTraceId(labels, parsed.fields),
  };
}
