// A small chart of a service's requests and errors per minute around a
// trace, so a span can be seen against the traffic of its moment (a spike,
// a burst of errors). The RED endpoint answers one window at a time, so the
// range is asked for in a few slices; each slice reads only the blocks of
// its own window.

import { kansoku } from "../api.js";
import { TimeChart } from "../components/timechart.js";
import { errorBox, h, replaceChildren } from "../dom.js";
import { seriesColor } from "../theme.js";

const SLICES = 10;
const CALLEE_KINDS = new Set(["SPAN_KIND_SERVER", "SPAN_KIND_CONSUMER"]);

/**
 * The chart for `service` over `range` ({start, end}, epoch ms). `entryOnly`
 * counts only SERVER/CONSUMER spans (as the RED numbers beside it do).
 * The chart is destroyed when `signal` aborts.
 */
export function redHistory(service, range, { entryOnly, signal }) {
  const element = h("div", { class: "red-history", "aria-label": `${service} requests and errors per minute` });
  const sliceMs = (range.end - range.start) / SLICES;
  const slices = Array.from({ length: SLICES }, (_, i) => ({ start: range.start + i * sliceMs, end: range.start + (i + 1) * sliceMs }));
  Promise.all(slices.map((slice) => kansoku.red({ service, start: slice.start / 1000, end: slice.end / 1000 }, { signal })))
    .then((answers) => {
      const perMinute = 60e3 / sliceMs;
      const counts = answers.map(({ series = [] }) => series.filter((row) => !entryOnly || CALLEE_KINDS.has(row.spanKind)));
      const points = (pick) => counts.map((rows, i) => [(slices[i].start + slices[i].end) / 2, rows.reduce((sum, row) => sum + pick(row), 0) * perMinute]);
      const chart = new TimeChart(element, { height: 96, legend: true });
      chart.setData([
        { name: "requests/min", color: seriesColor(10), points: points((row) => row.requests) },
        { name: "errors/min", color: seriesColor(4), points: points((row) => row.errors) },
      ], { start: range.start, end: range.end, step: sliceMs });
      signal.addEventListener("abort", () => chart.destroy(), { once: true });
    })
    .catch((error) => { if (error.name !== "AbortError") replaceChildren(element, errorBox(error, "RED history failed")); });
  return element;
}
