// The critical path of a trace: the chain of work that determined its
// end-to-end latency. Walking back from the root's end, the path runs
// through the child that finished last, then from that child's start
// through the child that finished last before it, and so on; time in which
// no child was running belongs to the parent itself. A child that overlaps
// the next critical child ran concurrently with it, so it is not on the path
// (the same rule as Jaeger UI's critical path).

/**
 * The critical sections of `model` (see trace-model.js), as a Map from span
 * id to `[{startNs, endNs}]` (offsets into the trace, latest first). Spans
 * absent from the map are not on the critical path. Starts from the root
 * that ends last, the one that bounds the trace's duration.
 */
export function criticalPath(model) {
  const sections = new Map();
  const root = model.roots.reduce((best, span) => (span.endNs > best.endNs ? span : best), model.roots[0]);
  if (root) visit(root, root.startNs, root.endNs, sections);
  return sections;
}

function addSection(sections, span, startNs, endNs) {
  if (endNs < startNs) return;
  if (!sections.has(span.id)) sections.set(span.id, []);
  if (endNs > startNs || span.durationNs === 0) sections.get(span.id).push({ startNs, endNs });
}

/**
 * Marks the part of `span` within [windowStart, windowEnd] that is critical.
 * Children are clipped to that window (a child may outlive its parent when
 * it was not awaited). The cursor only moves back in time, so once a child
 * is passed over — it ends after the cursor or starts at/after it — it can
 * never qualify again: one pass over the children sorted by end suffices.
 */
function visit(span, windowStart, windowEnd, sections) {
  const children = span.children
    .map((child) => ({ child, startNs: Math.max(child.startNs, windowStart), endNs: Math.min(child.endNs, windowEnd) }))
    .filter((c) => c.startNs <= c.endNs && c.startNs < windowEnd)
    .sort((a, b) => b.endNs - a.endNs || b.startNs - a.startNs);
  let cursor = windowEnd;
  for (const candidate of children) {
    if (candidate.endNs > cursor || candidate.startNs >= cursor) continue;
    addSection(sections, span, candidate.endNs, cursor);
    visit(candidate.child, candidate.startNs, candidate.endNs, sections);
    cursor = candidate.startNs;
  }
  addSection(sections, span, windowStart, cursor);
}
