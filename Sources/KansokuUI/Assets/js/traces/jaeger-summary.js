// One line's worth of facts about a trace in Jaeger's JSON (/api/traces):
// what the results list and the service map's trace list show.

/**
 * `{ traceId, rootService, rootOperation, startMicros, durationMicros,
 *    spanCount, errorCount, services: [{name, spans, errors}] }`.
 * The root is the earliest span without a parent in the trace; services are
 * listed by span count, busiest first.
 */
export function summarizeJaegerTrace(trace) {
  const spans = trace.spans || [];
  const ids = new Set(spans.map((span) => span.spanID));
  const serviceOf = (span) => trace.processes?.[span.processID]?.serviceName || "unknown_service";
  const isError = (span) => (span.tags || []).some((tag) =>
    (tag.key === "error" && (tag.value === true || tag.value === "true"))
    || (tag.key === "otel.status_code" && tag.value === "ERROR"));

  let start = Infinity, end = -Infinity, root = null, errorCount = 0;
  const services = new Map();
  for (const span of spans) {
    start = Math.min(start, span.startTime);
    end = Math.max(end, span.startTime + span.duration);
    const parent = (span.references || []).find((ref) => ref.refType === "CHILD_OF" && ids.has(ref.spanID));
    if (!parent && (!root || span.startTime < root.startTime)) root = span;
    const failed = isError(span);
    if (failed) errorCount += 1;
    const name = serviceOf(span);
    const entry = services.get(name) || { name, spans: 0, errors: 0 };
    entry.spans += 1;
    if (failed) entry.errors += 1;
    services.set(name, entry);
  }
  root = root || spans[0];
  return {
    traceId: trace.traceID,
    rootService: root ? serviceOf(root) : "",
    rootOperation: root ? root.operationName : "",
    startMicros: spans.length ? start : 0,
    durationMicros: spans.length ? end - start : 0,
    spanCount: spans.length,
    errorCount,
    services: [...services.values()].sort((a, b) => b.spans - a.spans || a.name.localeCompare(b.name)),
  };
}
