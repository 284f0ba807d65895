// The 24-column panel grid, and in edit mode dragging a panel by its header
// to move it or by its corner to resize it. Positions snap to grid cells and
// are committed as the panel's gridPos when the pointer is released.

import { GRID_COLUMNS } from "./model.js";
import { GAP_PX, ROW_PX } from "./panels.js";

/**
 * Lets the panels in `grid` be moved and resized. `views()` returns the
 * current PanelViews; `onLayout(panel, gridPos)` gets the new position.
 * Returns a function that removes the listeners.
 */
export function enableGridDrag(grid, views, onLayout) {
  let drag = null;

  const cellOf = (event) => {
    const rect = grid.getBoundingClientRect();
    const column = (rect.width + GAP_PX) / GRID_COLUMNS;
    return { col: (event.clientX - rect.left) / column, row: (event.clientY - rect.top) / (ROW_PX + GAP_PX) };
  };

  const onDown = (event) => {
    if (event.button !== 0) return;
    const view = views().find((v) => v.element.contains(event.target));
    if (!view) return;
    const resizing = event.target === view.resizeHandle;
    if (!resizing && (!view.header.contains(event.target) || event.target.closest("button, input, select, a"))) return;
    event.preventDefault();
    drag = { view, resizing, origin: cellOf(event), start: { ...view.panel.gridPos }, pos: { ...view.panel.gridPos } };
    view.element.classList.add("dragging");
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onUp, { once: true });
  };

  const onMove = (event) => {
    const at = cellOf(event);
    const dx = Math.round(at.col - drag.origin.col), dy = Math.round(at.row - drag.origin.row);
    const { x, y, w, h } = drag.start;
    drag.pos = drag.resizing
      ? { x, y, w: clamp(w + dx, 1, GRID_COLUMNS - x), h: Math.max(2, h + dy) }
      : { x: clamp(x + dx, 0, GRID_COLUMNS - w), y: Math.max(0, y + dy), w, h };
    drag.view.place(drag.pos);
  };

  const onUp = () => {
    window.removeEventListener("pointermove", onMove);
    const { view, start, pos } = drag;
    drag = null;
    view.element.classList.remove("dragging");
    if (["x", "y", "w", "h"].some((k) => start[k] !== pos[k])) onLayout(view.panel, pos);
  };

  grid.addEventListener("pointerdown", onDown);
  return () => {
    grid.removeEventListener("pointerdown", onDown);
    window.removeEventListener("pointermove", onMove);
  };
}

const clamp = (value, lo, hi) => Math.min(hi, Math.max(lo, value));
