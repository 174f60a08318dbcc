// Progress figures for people: done against a goal with a percentage, a rate and an ETA. Shared by
// every command that shows progress (sync's walks and stages, lore embed).

import { formatCount } from "./count.js";
import { formatDuration } from "./time.js";

/** A goal as far as it is known: `exact` false means "more than `count`". */
export interface Goal {
  readonly count: number;
  readonly exact: boolean;
}

/** A rate and ETA need this much history to mean anything. */
const MIN_ELAPSED_FOR_RATE_MS = 2_000;

export function percent(done: number, total: number): number {
  if (total <= 0) return 100;
  return Math.min(100, Math.floor((done / total) * 100));
}

/** `1,200/4,512 (26%)`; `1,200/10,000+` when GitLab would not count; `1,200` without a goal. */
export function countAgainst(done: number, goal: Goal | undefined): string {
  if (!goal) return formatCount(done);
  if (!goal.exact) return `${formatCount(done)}/${formatCount(goal.count)}+`;
  // Rows changed during the walk can take it past the count it started with.
  const total = Math.max(goal.count, done);
  return `${formatCount(done)}/${formatCount(total)} (${percent(done, total)}%)`;
}

/** Milliseconds left at the rate so far, or undefined when it cannot be told yet. */
export function etaMs(done: number, total: number | undefined, elapsedMs: number): number | undefined {
  if (total === undefined || done <= 0 || elapsedMs < MIN_ELAPSED_FOR_RATE_MS) return undefined;
  const remaining = Math.max(0, total - done);
  return (remaining / done) * elapsedMs;
}

export function rateText(done: number, elapsedMs: number): string | undefined {
  if (elapsedMs < MIN_ELAPSED_FOR_RATE_MS || done === 0) return undefined;
  return `${formatCount(Math.round(done / (elapsedMs / 1000)))}/s`;
}

/** A stage's live line: `120/2,400 (5%) · 30/s · ETA 1m 16s`. */
export function stageProgressText(
  p: { readonly done: number; readonly total: number },
  elapsedMs: number,
): string {
  const eta = etaMs(p.done, p.total, elapsedMs);
  return [
    countAgainst(p.done, { count: p.total, exact: true }),
    rateText(p.done, elapsedMs),
    eta === undefined ? undefined : `ETA ${formatDuration(eta)}`,
  ]
    .filter((part) => part !== undefined)
    .join(" · ");
}
