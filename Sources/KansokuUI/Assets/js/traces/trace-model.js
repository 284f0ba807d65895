// The span tree of one trace, built from Kansoku's span items
// (/api/kansoku/v1/traces/{id}, docs/CONTRACTS.md). Times become offsets in
// nanoseconds from the trace's first span: epoch nanoseconds exceed 2^53, so
// they are read as BigInt and only the (small) differences become Numbers.

const SPAN_KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"];
const STATUS_CODES = ["unset", "ok", "error"];

/**
 * The trace as the waterfall draws it:
 * `{ traceId, startNs (BigInt epoch ns), durationNs, spans (depth-first order),
 *    roots, byId (Map), services (names, by first appearance), errorCount }`.
 * Each span: `{ id, parentId, name, service, kind, status, attributes,
 * resource, scope, events [{name, offsetNs, attributes}], links, startNs,
 * endNs, durationNs (offsets, Number), depth, parent, children, isError,
 * missingParent }`. A span whose parent is not in the trace becomes a root
 * (marked `missingParent`); a span id seen twice (a retried export) counts once.
 */
export function buildTraceModel(items) {
  if (!items.length) throw new Error("the trace has no spans");
  let traceStart = null;
  for (const item of items) {
    const start = BigInt(item.startTimeUnixNano);
    if (traceStart === null || start < traceStart) traceStart = start;
  }
  const offset = (nanos) => Number(BigInt(nanos) - traceStart);

  const byId = new Map();
  for (const item of items) {
    if (byId.has(item.spanId)) continue;
    const startNs = offset(item.startTimeUnixNano);
    const endNs = Math.max(startNs, offset(item.endTimeUnixNano));
    byId.set(item.spanId, {
      id: item.spanId,
      parentId: item.parentSpanId || "",
      name: item.name,
      service: item.resource?.["service.name"] || "unknown_service",
      kind: SPAN_KINDS[item.kind] || "unspecified",
      status: { code: STATUS_CODES[item.status?.code] || "unset", message: item.status?.message || "" },
      isError: item.status?.code === 2,
      attributes: item.attributes || {},
      resource: item.resource || {},
      scope: item.scope || {},
      events: (item.events || []).map((event) => ({
        name: event.name, offsetNs: offset(event.timeUnixNano), attributes: event.attributes || {},
      })),
      links: item.links || [],
      startNs, endNs, durationNs: endNs - startNs,
      depth: 0, parent: null, children: [], missingParent: false,
    });
  }

  const roots = [];
  for (const span of byId.values()) {
    const parent = span.parentId ? byId.get(span.parentId) : null;
    if (parent && parent !== span) {
      span.parent = parent;
      parent.children.push(span);
    } else {
      span.missingParent = Boolean(span.parentId);
      roots.push(span);
    }
  }
  const byStart = (a, b) => a.startNs - b.startNs || (a.id < b.id ? -1 : 1);
  roots.sort(byStart);

  // Depth-first, children by start time. A parent cycle (corrupt data) would
  // leave spans unreached; they are appended as roots so none is lost.
  const ordered = [];
  const seen = new Set();
  const walk = (root) => {
    const stack = [[root, 0]];
    while (stack.length) {
      const [span, depth] = stack.pop();
      if (seen.has(span)) continue;
      seen.add(span);
      span.depth = depth;
      ordered.push(span);
      span.children.sort(byStart);
      for (let i = span.children.length - 1; i >= 0; i -= 1) stack.push([span.children[i], depth + 1]);
    }
  };
  roots.forEach(walk);
  for (const span of byId.values()) {
    if (seen.has(span)) continue;
    span.parent?.children.splice(span.parent.children.indexOf(span), 1);
    span.parent = null;
    span.missingParent = true;
    roots.push(span);
    walk(span);
  }

  const services = [];
  for (const span of ordered) if (!services.includes(span.service)) services.push(span.service);
  return {
    traceId: items[0].traceId,
    startNs: traceStart,
    durationNs: Math.max(...ordered.map((span) => span.endNs)),
    spans: ordered,
    roots,
    byId,
    services,
    errorCount: ordered.filter((span) => span.isError).length,
  };
}

/** Epoch milliseconds of an offset (ns) into the trace, for clock times. */
export function epochMillis(model, offsetNs = 0) {
  return Number(model.startNs / 1_000_000n) + (Number(model.startNs % 1_000_000n) + offsetNs) / 1e6;
}
