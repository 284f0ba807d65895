// The tag filter of the search form, written as Jaeger UI writes it:
// logfmt pairs `http.status_code=500 error=true`, values with spaces quoted
// (`db.statement="SELECT 1"`). Jaeger's API wants them as a JSON object.

/** The pairs of `text` as an object; throws an Error naming the first bad pair. */
export function parseTags(text) {
  const tags = {};
  const pattern = /\s*([^\s=]+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/y;
  let rest = String(text || "").trim();
  while (rest) {
    pattern.lastIndex = 0;
    const match = pattern.exec(rest);
    if (!match) throw new Error(`cannot read "${rest.split(/\s+/)[0]}": write tags as key=value, quote values with spaces`);
    tags[match[1]] = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : match[3];
    rest = rest.slice(pattern.lastIndex).trim();
  }
  return tags;
}
