// A layered (Sugiyama-style) layout of the service graph, left to right:
// callers in columns left of their callees. Cycles are broken by reversing
// back edges found by a depth-first search; columns come from the longest
// path from a source; an edge spanning several columns passes through
// invisible waypoints so it can be routed between nodes; the order within
// each column is improved by barycentre sweeps, keeping the order with the
// fewest edge crossings.

const SWEEPS = 12;

/**
 * Positions for `ids` (node names) and `edges` ([{source, target}]).
 * `size`: `{nodeWidth, nodeHeight, columnGap, rowGap, waypointHeight}`.
 * Returns `{nodes: Map(id → {x, y, column}), edges: [{source, target,
 * points: [{x, y}], reversed}], width, height}` with (x, y) the top-left
 * corner of a node and edge points running from the source's right side to
 * the target's left side (for a reversed edge: the source's left side to the
 * target's right side).
 */
export function layeredLayout(ids, edges, size) {
  const graphEdges = edges.filter((e) => e.source !== e.target && ids.includes(e.source) && ids.includes(e.target));
  const reversed = backEdges(ids, graphEdges);
  const forward = graphEdges.map((e) => (reversed.has(e) ? { from: e.target, to: e.source, edge: e } : { from: e.source, to: e.target, edge: e }));
  const column = longestPathColumns(ids, forward);

  // Vertices: nodes plus one waypoint per column an edge crosses.
  const vertices = new Map(ids.map((id) => [id, { id, column: column.get(id), waypoint: false, up: [], down: [] }]));
  const chains = forward.map(({ from, to, edge }) => {
    const chain = [vertices.get(from)];
    for (let c = column.get(from) + 1; c < column.get(to); c += 1) {
      const waypoint = { id: `${from}→${to}#${c}`, column: c, waypoint: true, up: [], down: [] };
      vertices.set(waypoint.id, waypoint);
      chain.push(waypoint);
    }
    chain.push(vertices.get(to));
    for (let i = 0; i + 1 < chain.length; i += 1) {
      chain[i].down.push(chain[i + 1]);
      chain[i + 1].up.push(chain[i]);
    }
    return { edge, chain, reversed: reversed.has(edge) };
  });

  const columns = orderColumns(vertices, ids);
  const { place, width, height } = placeVertices(columns, size);
  const nodes = new Map(ids.map((id) => [id, { ...place.get(vertices.get(id)), column: column.get(id) }]));
  const routed = chains.map(({ edge, chain, reversed: isReversed }) => {
    const points = chain.map((vertex, index) => {
      const p = place.get(vertex);
      if (vertex.waypoint) return { x: p.x + size.nodeWidth / 2, y: p.y + size.waypointHeight / 2 };
      const mid = p.y + size.nodeHeight / 2;
      return { x: index === 0 ? p.x + size.nodeWidth : p.x, y: mid };
    });
    if (isReversed) points.reverse();
    return { source: edge.source, target: edge.target, points, reversed: isReversed };
  });
  return { nodes, edges: routed, width, height };
}

/** Edges that close a cycle in a depth-first search, starting from nodes nobody calls. */
function backEdges(ids, edges) {
  const out = new Map(ids.map((id) => [id, []]));
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const e of edges) { out.get(e.source).push(e); indegree.set(e.target, indegree.get(e.target) + 1); }
  const state = new Map(); // id → "open" | "done"
  const back = new Set();
  const starts = [...ids].sort((a, b) => indegree.get(a) - indegree.get(b) || a.localeCompare(b));
  for (const start of starts) {
    if (state.has(start)) continue;
    const stack = [[start, 0]];
    state.set(start, "open");
    while (stack.length) {
      const top = stack[stack.length - 1];
      const edge = out.get(top[0])[top[1]];
      top[1] += 1;
      if (!edge) { state.set(top[0], "done"); stack.pop(); continue; }
      const seen = state.get(edge.target);
      if (seen === "open") back.add(edge);
      else if (!seen) { state.set(edge.target, "open"); stack.push([edge.target, 0]); }
    }
  }
  return back;
}

/** Column of each node: the length of the longest path reaching it (the graph is acyclic here). */
function longestPathColumns(ids, forward) {
  const column = new Map(ids.map((id) => [id, 0]));
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const { to } of forward) indegree.set(to, indegree.get(to) + 1);
  const queue = ids.filter((id) => indegree.get(id) === 0);
  while (queue.length) {
    const id = queue.shift();
    for (const { from, to } of forward) {
      if (from !== id) continue;
      column.set(to, Math.max(column.get(to), column.get(id) + 1));
      indegree.set(to, indegree.get(to) - 1);
      if (indegree.get(to) === 0) queue.push(to);
    }
  }
  return column;
}

/** The vertices of each column in an order with few crossings. */
function orderColumns(vertices, ids) {
  const count = Math.max(0, ...[...vertices.values()].map((v) => v.column)) + 1;
  let columns = Array.from({ length: count }, () => []);
  // Start in name order for nodes, waypoints after the node they leave.
  const rank = new Map([...ids].sort().map((id, i) => [id, i]));
  const initialKey = (v) => (v.waypoint ? rank.get(v.id.split("→")[0]) + 0.5 : rank.get(v.id));
  for (const v of vertices.values()) columns[v.column].push(v);
  for (const column of columns) column.sort((a, b) => initialKey(a) - initialKey(b));

  let best = columns.map((c) => [...c]);
  let bestCrossings = crossings(best);
  for (let sweep = 0; sweep < SWEEPS && bestCrossings > 0; sweep += 1) {
    const down = sweep % 2 === 0;
    const range = down ? [...columns.keys()].slice(1) : [...columns.keys()].reverse().slice(1);
    for (const c of range) {
      const neighbourColumn = columns[down ? c - 1 : c + 1];
      const position = new Map(neighbourColumn.map((v, i) => [v, i]));
      const bary = new Map(columns[c].map((v, i) => {
        const near = (down ? v.up : v.down).map((n) => position.get(n));
        return [v, near.length ? near.reduce((a, b) => a + b, 0) / near.length : i];
      }));
      columns[c] = [...columns[c]].sort((a, b) => bary.get(a) - bary.get(b));
    }
    const total = crossings(columns);
    if (total < bestCrossings) { best = columns.map((col) => [...col]); bestCrossings = total; }
  }
  return best;
}

/** Edge crossings between adjacent columns (each pair of segments whose ends swap order). */
function crossings(columns) {
  let total = 0;
  for (let c = 0; c + 1 < columns.length; c += 1) {
    const next = new Map(columns[c + 1].map((v, i) => [v, i]));
    const segments = [];
    columns[c].forEach((v, i) => v.down.forEach((n) => segments.push([i, next.get(n)])));
    for (let a = 0; a < segments.length; a += 1) {
      for (let b = a + 1; b < segments.length; b += 1) {
        if ((segments[a][0] - segments[b][0]) * (segments[a][1] - segments[b][1]) < 0) total += 1;
      }
    }
  }
  return total;
}

/** Top-left corners (`place`: vertex → {x, y}): columns side by side, each column's stack centred vertically. */
function placeVertices(columns, size) {
  const heightOf = (v) => (v.waypoint ? size.waypointHeight : size.nodeHeight);
  const columnHeight = (column) => column.reduce((sum, v) => sum + heightOf(v), 0) + Math.max(0, column.length - 1) * size.rowGap;
  const height = Math.max(size.nodeHeight, ...columns.map(columnHeight));
  const place = new Map();
  columns.forEach((column, c) => {
    let y = (height - columnHeight(column)) / 2;
    for (const v of column) {
      place.set(v, { x: c * (size.nodeWidth + size.columnGap), y });
      y += heightOf(v) + size.rowGap;
    }
  });
  const width = columns.length * size.nodeWidth + Math.max(0, columns.length - 1) * size.columnGap;
  return { place, width, height };
}
