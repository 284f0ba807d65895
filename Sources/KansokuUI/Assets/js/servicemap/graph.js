// The service map drawn in SVG: services as boxes (name, request rate,
// error rate, p95), calls as curves from caller to callee with a label
// (rate, error rate, p95). Calls or services with errors are red; hovering
// a service highlights its calls; clicking selects a service or a call.

import { formatDurationSeconds } from "../format.js";
import { formatPercent, formatRate } from "../traces/rate-format.js";
import { serviceColor } from "../traces/service-colors.js";
import { layeredLayout } from "./layout.js";

const NS = "http://www.w3.org/2000/svg";
const SIZE = { nodeWidth: 172, nodeHeight: 72, columnGap: 150, rowGap: 44, waypointHeight: 52 };
const MARGIN = 16;
const REVERSED_OFFSET = 16; // a call back to an earlier column runs just below the forward one
const MIN_SCALE = 0.85;

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A smooth curve through `points`, leaving and entering each horizontally. */
function curve(points) {
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1], b = points[i];
    const mx = (a.x + b.x) / 2;
    d += ` C${mx},${a.y} ${mx},${b.y} ${b.x},${b.y}`;
  }
  return d;
}

/** The point at `t` (0…1) of the middle segment of curve(points). */
function pointOnCurve(points, t) {
  const i = Math.floor((points.length - 1) / 2);
  const a = points[i], b = points[i + 1];
  const mx = (a.x + b.x) / 2, u = 1 - t;
  // Cubic Bézier with control points (mx, a.y) and (mx, b.y).
  return {
    x: u ** 3 * a.x + 3 * u * u * t * mx + 3 * u * t * t * mx + t ** 3 * b.x,
    y: u ** 3 * a.y + 3 * u * u * t * a.y + 3 * u * t * t * b.y + t ** 3 * b.y,
  };
}

const LABEL_SPOTS = [0.5, 0.38, 0.62, 0.28, 0.72];

/**
 * Label centres along each edge's curve that overlap no node and no other
 * label, busiest edges first; null for a label with no free spot (it is
 * then shown only while its edge is hovered or selected).
 */
function placeLabels(items, nodeBoxes) {
  const taken = [...nodeBoxes];
  const overlaps = (box) => taken.some((o) => box.x < o.x + o.w + 4 && o.x < box.x + box.w + 4 && box.y < o.y + o.h + 4 && o.y < box.y + box.h + 4);
  const spots = new Map();
  for (const item of [...items].sort((a, b) => b.calls - a.calls)) {
    spots.set(item, null);
    for (const t of LABEL_SPOTS) {
      const p = pointOnCurve(item.points, t);
      const box = { x: p.x - item.width / 2, y: p.y - item.height / 2, w: item.width, h: item.height };
      if (!overlaps(box)) { taken.push(box); spots.set(item, p); break; }
    }
  }
  return spots;
}

/**
 * The map of `data`: `{nodes: [{service, virtual, requests, errors, rate,
 * errorRate, p95}], edges: [{source, target, virtual, calls, errors, rate,
 * errorRate, p95}]}` (rates per second, p95 in seconds or null).
 * `onSelect({node} | {edge: [source, target]} | null)` reports clicks.
 * Returns `{element, select(selection)}` to mark the selection.
 */
export function serviceGraph(data, { onSelect }) {
  const layout = layeredLayout(data.nodes.map((n) => n.service), data.edges, SIZE);
  const width = layout.width + 2 * MARGIN, height = layout.height + 2 * MARGIN + REVERSED_OFFSET;
  const maxCalls = Math.max(1, ...data.edges.map((e) => e.calls));
  const edgeGroups = new Map(); // "source\ntarget" → <g>
  const nodeGroups = new Map();

  const defs = svg("defs", {}, ["", "error", "hl"].map((kind) => svg("marker", {
    id: `sm-arrow${kind ? `-${kind}` : ""}`, class: `sm-arrow ${kind}`, viewBox: "0 0 10 10", refX: 9, refY: 5,
    markerWidth: 10, markerHeight: 10, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse",
  }, svg("path", { d: "M0,0 L10,5 L0,10 z" }))));

  const routes = layout.edges.map((routed) => {
    const edge = data.edges.find((e) => e.source === routed.source && e.target === routed.target);
    const points = routed.points.map((p) => ({ x: p.x + MARGIN, y: p.y + MARGIN + (routed.reversed ? REVERSED_OFFSET : 0) }));
    const lines = [`${edge.calls} call${edge.calls === 1 ? "" : "s"} · ${formatRate(edge.rate)}`,
      `${formatPercent(edge.errorRate)} errors`, `p95 ${edge.p95 == null ? "—" : formatDurationSeconds(edge.p95)}`];
    return { edge, points, lines, calls: edge.calls, width: Math.max(...lines.map((l) => l.length)) * 6.3 + 14, height: 48 };
  });
  const nodeBoxes = [...layout.nodes.values()].map((p) => ({ x: p.x + MARGIN, y: p.y + MARGIN, w: SIZE.nodeWidth, h: SIZE.nodeHeight }));
  const spots = placeLabels(routes, nodeBoxes);

  const edges = routes.map((route) => {
    const { edge, points, lines, width: labelWidth } = route;
    const d = curve(points);
    const spot = spots.get(route) || pointOnCurve(points, 0.5);
    const strokeWidth = 1.5 + 3 * Math.log1p(edge.calls) / Math.log1p(maxCalls);
    const group = svg("g", {
      class: `sm-edge${edge.errors ? " error" : ""}${edge.virtual ? " virtual" : ""}${spots.get(route) ? "" : " crowded"}`,
      "data-source": edge.source, "data-target": edge.target, "data-calls": edge.calls, "data-errors": edge.errors,
      tabindex: 0, role: "button", "aria-label": `Calls from ${edge.source} to ${edge.target}`,
      onclick: (event) => { event.stopPropagation(); onSelect({ edge: [edge.source, edge.target] }); },
      onkeydown: (event) => { if (event.key === "Enter") onSelect({ edge: [edge.source, edge.target] }); },
    },
    svg("title", {}, `${edge.source} → ${edge.target}: ${edge.calls} calls, ${edge.errors} errors`),
    svg("path", { class: "sm-edge-hit", d }),
    svg("path", { class: "sm-edge-line", d, "stroke-width": strokeWidth.toFixed(1),
      "marker-end": `url(#sm-arrow${edge.errors ? "-error" : ""})` }),
    svg("g", { class: "sm-edge-label", transform: `translate(${spot.x},${spot.y})` },
      svg("rect", { x: -labelWidth / 2, y: -24, width: labelWidth, height: 48, rx: 5 }),
      svg("text", { y: -10, "text-anchor": "middle" }, lines[0]),
      svg("text", { y: 4, "text-anchor": "middle", class: edge.errors ? "bad" : "" }, lines[1]),
      svg("text", { y: 18, "text-anchor": "middle" }, lines[2])));
    edgeGroups.set(`${edge.source}\n${edge.target}`, group);
    return group;
  });

  const nodes = data.nodes.map((node) => {
    const p = layout.nodes.get(node.service);
    const group = svg("g", {
      class: `sm-node${node.errors ? " error" : ""}${node.virtual ? " virtual" : ""}`,
      transform: `translate(${p.x + MARGIN},${p.y + MARGIN})`, "data-service": node.service,
      tabindex: 0, role: "button", "aria-label": `Service ${node.service}`,
      onclick: (event) => { event.stopPropagation(); onSelect({ node: node.service }); },
      onkeydown: (event) => { if (event.key === "Enter") onSelect({ node: node.service }); },
      onmouseenter: () => highlight(node.service), onmouseleave: () => highlight(null),
    },
    svg("title", {}, `${node.service}${node.virtual ? " (known only from its callers)" : ""}: ${node.requests} requests, ${node.errors} errors`),
    svg("rect", { class: "sm-node-box", width: SIZE.nodeWidth, height: SIZE.nodeHeight, rx: 8 }),
    svg("rect", { class: "sm-node-stripe", width: 6, height: SIZE.nodeHeight, rx: 3, fill: serviceColor(node.service) }),
    svg("text", { class: "sm-node-name", x: 18, y: 24 }, truncate(node.service, 22)),
    svg("text", { class: "sm-node-stats", x: 18, y: 44 },
      svg("tspan", {}, formatRate(node.rate)), " · ",
      svg("tspan", { class: node.errors ? "bad" : "" }, `${formatPercent(node.errorRate)} err`)),
    svg("text", { class: "sm-node-stats", x: 18, y: 61 }, node.p95 == null ? "p95 —" : `p95 ${formatDurationSeconds(node.p95)}`),
    node.virtual ? svg("text", { class: "sm-node-tag", x: SIZE.nodeWidth - 10, y: 24, "text-anchor": "end" }, "peer") : null);
    nodeGroups.set(node.service, group);
    return group;
  });

  const root = svg("svg", {
    class: "service-graph", viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    // Shrinks to fit the panel, but not below a readable size: the panel scrolls instead.
    style: `min-width: ${Math.round(width * MIN_SCALE)}px`,
    "aria-label": `Service map: ${data.nodes.length} services, ${data.edges.length} calls`,
    onclick: () => onSelect(null),
  }, defs, svg("g", { class: "sm-edges" }, edges), svg("g", { class: "sm-nodes" }, nodes));

  /** Dims everything not connected to `service` (null clears). */
  function highlight(service) {
    root.classList.toggle("hovering", Boolean(service));
    for (const group of nodeGroups.values()) group.classList.remove("hl");
    for (const [key, group] of edgeGroups) {
      const [source, target] = key.split("\n");
      const on = Boolean(service) && (source === service || target === service);
      group.classList.toggle("hl", on);
      if (on) { nodeGroups.get(source)?.classList.add("hl"); nodeGroups.get(target)?.classList.add("hl"); }
    }
    if (service) nodeGroups.get(service)?.classList.add("hl");
  }

  return {
    element: root,
    select(selection) {
      for (const group of [...nodeGroups.values(), ...edgeGroups.values()]) group.classList.remove("selected");
      if (selection?.node) nodeGroups.get(selection.node)?.classList.add("selected");
      if (selection?.edge) edgeGroups.get(selection.edge.join("\n"))?.classList.add("selected");
    },
  };
}
