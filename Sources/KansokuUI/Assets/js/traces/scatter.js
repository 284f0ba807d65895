// A small duration-over-time scatter of the search results, so outliers
// stand out before reading the list. Clicking a dot opens that trace.

import { h } from "../dom.js";
import { formatDurationMicros, formatTime } from "../format.js";
import { themeColor } from "../theme.js";
import { tickStep } from "./ticks.js";

const HEIGHT = 150;
const PAD = { left: 64, right: 16, top: 12, bottom: 24 };

/**
 * The results' own time span, padded, so dots do not pile up at one end of a
 * long search window; the window itself when all traces started together.
 */
function timeExtent(summaries, searchWindow) {
  const starts = summaries.map((s) => s.startMicros / 1000);
  const first = Math.min(...starts), last = Math.max(...starts);
  if (!(last > first)) return searchWindow;
  const pad = (last - first) * 0.06;
  return { start: Math.max(searchWindow.start, first - pad), end: Math.min(searchWindow.end, last + pad) };
}

/**
 * The chart of `summaries` (jaeger-summary.js) over `range` ({start, end},
 * epoch ms). `onOpen(traceId)` is called for a clicked dot. Returns
 * `{element, destroy()}`; it redraws on resize and theme change.
 */
export function durationScatter(summaries, range, { onOpen }) {
  const extent = timeExtent(summaries, range);
  const canvas = h("canvas", { height: HEIGHT, "aria-label": "Trace durations over time" });
  const tooltip = h("div", { class: "chart-tooltip", hidden: true });
  const element = h("div", { class: "chart trace-scatter" }, canvas, tooltip);
  const longest = Math.max(1, ...summaries.map((s) => s.durationMicros));
  const step = tickStep(longest, 3);
  const maxDuration = Math.ceil((longest * 1.08) / step) * step;
  let points = [];

  function draw() {
    const width = canvas.clientWidth;
    if (!width) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(HEIGHT * ratio);
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, HEIGHT);
    const plotW = width - PAD.left - PAD.right, plotH = HEIGHT - PAD.top - PAD.bottom;
    const x = (ms) => PAD.left + ((ms - extent.start) / (extent.end - extent.start)) * plotW;
    const y = (micros) => PAD.top + plotH - (micros / maxDuration) * plotH;

    g.font = "11px system-ui, sans-serif";
    g.strokeStyle = themeColor("--grid");
    g.fillStyle = themeColor("--text-muted");
    g.lineWidth = 1;
    g.textAlign = "right";
    g.textBaseline = "middle";
    for (let i = 0; i * step <= maxDuration * 1.0001; i += 1) {
      const value = i * step;
      const py = Math.round(y(value)) + 0.5;
      g.beginPath(); g.moveTo(PAD.left, py); g.lineTo(width - PAD.right, py); g.stroke();
      g.fillText(value === 0 ? "0" : formatDurationMicros(value), PAD.left - 8, py);
    }
    g.textAlign = "center";
    g.textBaseline = "top";
    for (let i = 0; i <= 4; i += 1) {
      const ms = extent.start + ((extent.end - extent.start) * i) / 4;
      g.fillText(formatTime(ms), Math.min(Math.max(x(ms), PAD.left + 24), width - PAD.right - 24), HEIGHT - PAD.bottom + 6);
    }

    points = summaries.map((s) => ({ summary: s, px: x(s.startMicros / 1000), py: y(s.durationMicros) }));
    const ok = themeColor("--accent"), error = themeColor("--error");
    for (const p of points) {
      g.beginPath();
      g.arc(p.px, p.py, 5, 0, Math.PI * 2);
      g.globalAlpha = 0.75;
      g.fillStyle = p.summary.errorCount ? error : ok;
      g.fill();
      g.globalAlpha = 1;
      g.strokeStyle = themeColor("--panel");
      g.stroke();
    }
  }

  function nearest(event) {
    const rect = canvas.getBoundingClientRect();
    const mx = event.clientX - rect.left, my = event.clientY - rect.top;
    let best = null, bestDistance = 10 * 10;
    for (const p of points) {
      const d = (p.px - mx) ** 2 + (p.py - my) ** 2;
      if (d <= bestDistance) { best = p; bestDistance = d; }
    }
    return best;
  }

  canvas.addEventListener("mousemove", (event) => {
    const p = nearest(event);
    canvas.style.cursor = p ? "pointer" : "default";
    tooltip.hidden = !p;
    if (!p) return;
    const s = p.summary;
    tooltip.replaceChildren(h("strong", {}, `${s.rootService}: ${s.rootOperation}`), h("br"),
      `${formatDurationMicros(s.durationMicros)} · ${s.spanCount} spans${s.errorCount ? ` · ${s.errorCount} errors` : ""}`);
    tooltip.style.left = `${Math.min(p.px + 12, canvas.clientWidth - 260)}px`;
    tooltip.style.top = `${Math.max(0, p.py - 48)}px`;
  });
  canvas.addEventListener("mouseleave", () => { tooltip.hidden = true; });
  canvas.addEventListener("click", (event) => {
    const p = nearest(event);
    if (p) onOpen(p.summary.traceId);
  });

  const resize = new ResizeObserver(draw);
  resize.observe(canvas);
  window.addEventListener("kansoku:themechange", draw);
  return {
    element,
    destroy() {
      resize.disconnect();
      window.removeEventListener("kansoku:themechange", draw);
    },
  };
}
