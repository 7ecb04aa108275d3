/**
 * The span of simulated time (epoch ms) whose billed time a fleet and a proof ledger account for: all of it by
 * default, or a steady-state window of a stream. Time outside it is not counted, so a breakdown of the window sums
 * to the window's bill.
 */
export interface AccountingWindow {
  readonly from: number;
  readonly to: number;
}

export const WHOLE_TIME: AccountingWindow = { from: -Infinity, to: Infinity };

/** Milliseconds of [start, end) inside the window. */
export function overlapMs(start: number, end: number, window: AccountingWindow): number {
  return Math.max(0, Math.min(end, window.to) - Math.max(start, window.from));
}
