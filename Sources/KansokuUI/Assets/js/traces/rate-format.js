// Request rates and error ratios as the RED panel and the service map show them.

import { formatNumber } from "../format.js";

/** A rate per second as text, per minute or per hour when that reads better than a fraction. */
export function formatRate(perSecond) {
  if (perSecond === 0 || perSecond >= 1) return `${formatNumber(perSecond)}/s`;
  if (perSecond * 60 >= 1) return `${formatNumber(perSecond * 60)}/min`;
  return `${formatNumber(perSecond * 3600)}/h`;
}

/** A ratio (0…1) as a percentage: 0.3333 → "33.3%". */
export function formatPercent(ratio) {
  return `${formatNumber(ratio * 100)}%`;
}
