// Axis ticks at round values, shared by the waterfall's ruler and the scatter.

/** A "nice" step (1, 2 or 5 × 10^n) giving about `count` ticks over `span`. */
export function tickStep(span, count) {
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((step) => step >= raw);
}
