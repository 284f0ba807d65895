// The live tail's controls in the lines header: connection state, pause and
// resume (lines arriving while paused are held, at most the page's limit),
// and how many lines the server dropped because this page fell behind.

import { h, replaceChildren } from "../dom.js";

const STATUS_TEXT = { connecting: "Connecting…", live: "Live", closed: "Stopped", error: "Disconnected" };

/**
 * Creates the controls. Returns `{ element, reset(active, {onResume}), hold(entries, max),
 * setStatus(status, detail), addDropped(count) }`; `hold` returns true when
 * the entries were held because the tail is paused.
 */
export function createLiveControls() {
  const status = h("span", { class: "live-status", dataset: { status: "off" } });
  const held = h("span", { class: "live-held muted" });
  const dropped = h("span", { class: "live-dropped", hidden: true });
  const pause = h("button", { type: "button", class: "live-pause", onclick: () => setPaused(!paused) }, "Pause");
  const element = h("div", { class: "live-controls", hidden: true }, status, pause, held, dropped);
  let paused = false, heldEntries = [], droppedCount = 0, onResume = null;

  function setPaused(on) {
    paused = on;
    pause.textContent = on ? "Resume" : "Pause";
    pause.classList.toggle("primary", on);
    if (!on && heldEntries.length) {
      const entries = heldEntries;
      heldEntries = [];
      onResume?.(entries);
    }
    showHeld();
  }

  function showHeld() {
    held.textContent = paused ? `paused · ${heldEntries.length.toLocaleString()} new ${heldEntries.length === 1 ? "line" : "lines"} held` : "";
  }

  return {
    element,
    reset(active, options = {}) {
      element.hidden = !active;
      onResume = options.onResume || null;
      heldEntries = [];
      droppedCount = 0;
      dropped.hidden = true;
      status.dataset.status = active ? "connecting" : "off";
      replaceChildren(status, STATUS_TEXT.connecting);
      setPaused(false);
    },
    hold(entries, max) {
      if (!paused) return false;
      heldEntries = entries.concat(heldEntries).slice(0, max);
      showHeld();
      return true;
    },
    setStatus(next, detail) {
      status.dataset.status = next;
      status.title = detail || "";
      replaceChildren(status, STATUS_TEXT[next] || next, detail && next !== "live" ? `: ${detail}` : "");
    },
    addDropped(count) {
      droppedCount += count;
      dropped.hidden = false;
      dropped.dataset.dropped = String(droppedCount);
      dropped.textContent = `${droppedCount.toLocaleString()} ${droppedCount === 1 ? "line" : "lines"} dropped by the server (this page fell behind)`;
    },
  };
}
