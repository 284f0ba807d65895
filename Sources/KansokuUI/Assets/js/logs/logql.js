// LogQL text helpers for the logs view: where the caret is for completion
// (a label name or value inside the stream selector's braces), the log
// volume query built from a log query, and the position in a parse error.

/**
 * What to complete at `caret`: `{ kind: "label-name", prefix, from, to }` or
 * `{ kind: "label-value", name, prefix, from, to }` (replace `text[from, to)`),
 * or null when the caret is not inside a stream selector.
 */
export function completionContext(text, caret) {
  const open = selectorStart(text, caret);
  if (open < 0) return null;
  const inside = text.slice(open + 1, caret);
  const value = /([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)$/.exec(inside);
  if (value) {
    const from = caret - value[3].length;
    const close = text.indexOf('"', caret);
    return { kind: "label-value", name: value[1], prefix: value[3], from, to: close < 0 ? caret : close };
  }
  // Complete matchers are skipped; what follows the last comma must be a (partial) name.
  const bare = inside.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  if (bare.replace(/""/g, "").includes('"')) return null; // inside an unfinished string
  const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)?$/.exec(bare.slice(bare.lastIndexOf(",") + 1));
  if (!name) return null;
  const prefix = name[1] || "";
  let to = caret;
  while (to < text.length && /[A-Za-z0-9_]/.test(text[to])) to += 1;
  return { kind: "label-name", prefix, from: caret - prefix.length, to };
}

/** Index of the `{` of the selector enclosing `caret`, or -1 (quotes are skipped). */
function selectorStart(text, caret) {
  let open = -1, quoted = false;
  for (let i = 0; i < caret; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === "\\") i += 1;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "{") open = i;
    else if (c === "}") open = -1;
  }
  return open;
}

// Kansoku gives OTLP records their level as structured metadata `detected_level`
// (from the severity); Loki pushes usually carry a `level` stream label, and
// `| json` or `| logfmt` in a query parse one from the line. Grouping by both
// and merging on the client covers all three.
export const LEVEL_LABELS = ["detected_level", "level"];

/** `sum by (detected_level, level) (count_over_time(<query> [<step>s]))`: lines per level per step. */
export function volumeQuery(logQuery, stepSeconds) {
  return `sum by (${LEVEL_LABELS.join(", ")}) (count_over_time(${logQuery.trim()} [${Math.max(1, Math.round(stepSeconds))}s]))`;
}

/** `{line, column}` of a Loki parse error ("parse error at line 1, col 12: …"), or null. */
export function errorPosition(message) {
  const match = /at line (\d+), col (\d+)/.exec(String(message));
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}
