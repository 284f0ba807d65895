// Where JSON text stops being valid. JSON.parse's messages differ between
// engines and often give no position, so the JSON model editor finds the
// place itself to name a line and column.

/** The offset of the first character at which `text` is not valid JSON, or -1 when it is valid. */
export function jsonErrorOffset(text) {
  let i = 0;
  const fail = () => { throw i; };
  const space = () => { while (i < text.length && " \t\n\r".includes(text[i])) i += 1; };
  const literal = (word) => { if (text.startsWith(word, i)) i += word.length; else fail(); };
  const string = () => {
    if (text[i] !== '"') fail();
    i += 1;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") {
        i += 1;
        if (text[i] === "u") { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail(); i += 4; }
        else if (!'"\\/bfnrt'.includes(text[i] ?? "x")) fail();
      } else if (text.charCodeAt(i) < 0x20) fail();
      i += 1;
    }
    if (i >= text.length) fail();
    i += 1;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail();
    i += match[0].length;
  };
  const sequence = (close, item) => {
    i += 1;
    space();
    if (text[i] === close) { i += 1; return; }
    for (;;) {
      item();
      space();
      if (text[i] === close) { i += 1; return; }
      if (text[i] !== ",") fail();
      i += 1;
      space();
    }
  };
  const value = () => {
    space();
    const c = text[i];
    if (c === "{") sequence("}", () => { string(); space(); if (text[i] !== ":") fail(); i += 1; value(); });
    else if (c === "[") sequence("]", value);
    else if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else number();
  };
  try {
    value();
    space();
    return i < text.length ? i : -1;
  } catch (offset) {
    if (typeof offset !== "number") throw offset;
    return Math.min(offset, text.length);
  }
}
