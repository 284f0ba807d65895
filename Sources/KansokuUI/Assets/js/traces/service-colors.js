// One colour per service name, the same in the results list, the waterfall
// and the service map, whichever trace or window is shown.

import { seriesColor } from "../theme.js";

// The palette minus its darkest entries, which vanish on the dark theme, and
// its reds, which mean "error" in these views.
const USABLE = [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 21, 22, 23];

/** The colour of `service`: a stable hash of the name into the series palette. */
export function serviceColor(service) {
  let hash = 2166136261;
  for (let i = 0; i < service.length; i += 1) {
    hash ^= service.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return seriesColor(USABLE[(hash >>> 0) % USABLE.length]);
}
