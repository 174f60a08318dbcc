// How `lore who PATH` scores a person: each contribution (an authored MR, a reviewed MR, a DiffNote
// on the path) has a base weight, and its weight halves every half-life (default 180 days), so work
// from last month counts more than work from three years ago. Ties go to the more recently active.

export type ContributionKind = "authored" | "reviewed" | "diff_note";

/** An authored change weighs most; a review shows knowledge; each DiffNote adds a little. */
export const BASE_WEIGHTS: Readonly<Record<ContributionKind, number>> = {
  authored: 1,
  reviewed: 0.5,
  diff_note: 0.2,
};

export const DEFAULT_HALF_LIFE_DAYS = 180;
const DAY_MS = 86_400_000;

/** 1 for work done now (or dated in the future), 0.5 one half-life ago, 0.25 two, … */
export function recencyWeight(at: string, now: number, halfLifeDays: number): number {
  const ageDays = Math.max(0, (now - Date.parse(at)) / DAY_MS);
  return 0.5 ** (ageDays / halfLifeDays);
}

export function contributionScore(
  kind: ContributionKind,
  at: string,
  now: number,
  halfLifeDays: number,
): number {
  return BASE_WEIGHTS[kind] * recencyWeight(at, now, halfLifeDays);
}

export interface Ranked {
  readonly username: string;
  readonly score: number;
  readonly last_active_at: string;
}

/** Higher score first; on a tie the more recently active; then by name, so the order is stable. */
export function compareRanked(a: Ranked, b: Ranked): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.last_active_at !== b.last_active_at) return a.last_active_at < b.last_active_at ? 1 : -1;
  return a.username < b.username ? -1 : a.username > b.username ? 1 : 0;
}

/** Scores are shown to three decimals; ranking uses the unrounded sum. */
export function roundScore(score: number): number {
  return Math.round(score * 1000) / 1000;
}
