// Live tail: a WebSocket to the server's /loki/api/v1/tail (Loki's tail
// API). The server first sends recent lines, then each new line the query
// keeps; when this page reads too slowly it reports `dropped_entries`.

import { entriesFromStreams } from "./log-entries.js";

/**
 * Opens a tail of `query`. `onEntries(entries)` gets each message's entries,
 * newest first; `onDropped(count)` how many the server dropped;
 * `onState(state, detail)` "connecting" | "live" | "closed" | "error".
 * `historyLimit` recent lines are sent first, from `startMs` on.
 * Returns `{ close() }`.
 */
export function openLiveTail({ query, historyLimit, startMs, onEntries, onDropped, onState }) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const params = new URLSearchParams({ query, limit: String(historyLimit), start: `${Math.floor(startMs)}000000` });
  const socket = new WebSocket(`${scheme}//${location.host}/loki/api/v1/tail?${params}`);
  let closedByUs = false;
  onState("connecting");
  socket.addEventListener("open", () => onState("live"));
  socket.addEventListener("message", (event) => {
    if (closedByUs) return;
    let message;
    try {
      message = JSON.parse(event.data);
    } catch (error) {
      onState("error", `the server sent a message that is not JSON: ${error.message}`);
      return;
    }
    const entries = entriesFromStreams(message.streams, "backward");
    if (entries.length) onEntries(entries);
    if (message.dropped_entries?.length) onDropped(message.dropped_entries.length);
  });
  socket.addEventListener("close", (event) => {
    if (closedByUs) return;
    // A refused upgrade (a bad query) arrives as code 1006 with no reason; the page checks the query over HTTP first.
    if (event.code === 1000) onState("closed", "the server ended the tail");
    else onState("error", event.reason || `the connection closed (code ${event.code})`);
  });
  return {
    close() {
      closedByUs = true;
      // Closing while still connecting makes the browser log an error; close once open instead.
      if (socket.readyState === WebSocket.CONNECTING) socket.addEventListener("open", () => socket.close(1000));
      else socket.close(1000);
    },
  };
}
