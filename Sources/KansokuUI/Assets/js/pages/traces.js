// The traces view: `/ui/traces` searches (traces/search-page.js),
// `/ui/traces/<traceId>` shows one trace (traces/trace-page.js).

import { mountSearch } from "../traces/search-page.js";
import { mountTrace } from "../traces/trace-page.js";

/** The page contract of app.js. */
export function mount(root, ctx) {
  return ctx.path[1] ? mountTrace(root, ctx, ctx.path[1]) : mountSearch(root, ctx);
}
