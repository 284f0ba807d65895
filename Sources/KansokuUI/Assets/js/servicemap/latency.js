// Latency percentiles of merged edge histograms. The service map's edges
// carry cumulative `le` buckets (the servicegraph connector's bounds), so
// the calls into a service can be summed exactly and a percentile estimated
// the way the server and Prometheus' histogram_quantile do.

/** Sums cumulative bucket lists `[{le, count}]` that share their bounds. */
export function mergeBuckets(lists) {
  const merged = new Map();
  for (const list of lists) for (const { le, count } of list || []) merged.set(le, (merged.get(le) || 0) + count);
  return [...merged.entries()].map(([le, count]) => ({ le, count }))
    .sort((a, b) => (a.le === "+Inf" ? 1 : b.le === "+Inf" ? -1 : Number(a.le) - Number(b.le)));
}

/**
 * The `q`-quantile (0…1) in seconds of cumulative buckets, interpolating
 * linearly inside the bucket holding the rank (the first bucket starts at
 * 0); a rank in +Inf answers the highest finite bound. Null when empty.
 */
export function quantile(buckets, q) {
  const total = buckets.length ? buckets[buckets.length - 1].count : 0;
  if (!total) return null;
  const rank = q * total;
  let previousCount = 0, previousBound = 0;
  for (const { le, count } of buckets) {
    if (le === "+Inf") return previousBound;
    const bound = Number(le);
    if (count >= rank && count > previousCount) {
      return previousBound + (bound - previousBound) * (rank - previousCount) / (count - previousCount);
    }
    previousCount = count;
    previousBound = bound;
  }
  return previousBound;
}
