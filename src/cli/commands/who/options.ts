// `lore who` flags to one request: which question (expert, workload, reviews, active, overlap) and
// its settings. Every misuse is a USAGE error here, before the database is opened.

import { type PathQuery, parsePathQuery } from "../../../code/path-query.js";
import { usageError } from "../../../core/errors.js";
import { DEFAULT_HALF_LIFE_DAYS } from "../../../people/scoring.js";
import { parseUsername } from "../../../people/usernames.js";
import { parseLimit, parseSince } from "../../../search/filters.js";

interface Common {
  readonly project: string | undefined;
  readonly since: string | undefined;
  readonly includeBots: boolean;
  readonly limit: number;
}

export type WhoRequest = Common &
  (
    | {
        readonly mode: "expert";
        readonly path: PathQuery;
        readonly halfLifeDays: number;
        readonly explain: boolean;
      }
    | { readonly mode: "workload"; readonly username: string }
    | { readonly mode: "reviews"; readonly username: string }
    | { readonly mode: "active" }
    | { readonly mode: "overlap"; readonly path: PathQuery }
  );

const EXAMPLE = "e.g. lore who src/auth/, lore who @alice, lore who --active";

export function parseHalfLife(value: unknown): number {
  if (value === undefined) return DEFAULT_HALF_LIFE_DAYS;
  const text = String(value);
  const days = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(days > 0)) {
    throw usageError(`--half-life ${text}: expected a positive number of days, e.g. 90`);
  }
  return days;
}

export function parseWhoOptions(
  options: Readonly<Record<string, unknown>>,
  target: unknown,
  now = Date.now(),
): WhoRequest {
  const given = typeof target === "string" ? target : undefined;
  const common: Common = {
    project: typeof options.project === "string" ? options.project : undefined,
    since: typeof options.since === "string" ? parseSince(options.since, now) : undefined,
    includeBots: options.includeBots === true,
    limit: parseLimit(options.limit, 50),
  };
  const overlap = typeof options.overlap === "string" ? options.overlap : undefined;
  const active = options.active === true;
  const reviews = options.reviews === true;
  if ([given !== undefined, active, overlap !== undefined].filter(Boolean).length > 1) {
    throw usageError("Give one of PATH, @USER, --active or --overlap PATH.", EXAMPLE);
  }
  if (options.explain === true && (given === undefined || given.startsWith("@"))) {
    throw usageError("--explain goes with an expert question: lore who PATH --explain");
  }
  if (options.halfLife !== undefined && (given === undefined || given.startsWith("@"))) {
    throw usageError("--half-life goes with an expert question: lore who PATH --half-life 90");
  }
  if (reviews && !given?.startsWith("@")) {
    throw usageError("--reviews needs a user: lore who --reviews @alice");
  }
  if (active) return { ...common, mode: "active" };
  if (overlap !== undefined) return { ...common, mode: "overlap", path: parsePathQuery(overlap) };
  if (given === undefined) throw usageError("Say who or what to ask about.", EXAMPLE);
  if (given.startsWith("@")) {
    const username = parseUsername(given, "who");
    return reviews ? { ...common, mode: "reviews", username } : { ...common, mode: "workload", username };
  }
  return {
    ...common,
    mode: "expert",
    path: parsePathQuery(given),
    halfLifeDays: parseHalfLife(options.halfLife),
    explain: options.explain === true,
  };
}
