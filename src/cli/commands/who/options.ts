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

export type WhoMode = WhoRequest["mode"];

/**
 * Which question the flags and target ask (undefined: none yet). Also what `--fields` selects from
 * (src/agent/registry.ts), so it is decided in this one place.
 */
export function whoMode(options: Readonly<Record<string, unknown>>, target: unknown): WhoMode | undefined {
  if (options.active === true) return "active";
  if (typeof options.overlap === "string") return "overlap";
  if (typeof target !== "string") return undefined;
  if (target.startsWith("@")) return options.reviews === true ? "reviews" : "workload";
  return "expert";
}

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
  switch (whoMode(options, given)) {
    case "active":
      return { ...common, mode: "active" };
    case "overlap":
      return { ...common, mode: "overlap", path: parsePathQuery(overlap as string) };
    case "reviews":
      return { ...common, mode: "reviews", username: parseUsername(given as string, "who") };
    case "workload":
      return { ...common, mode: "workload", username: parseUsername(given as string, "who") };
    case "expert":
      return {
        ...common,
        mode: "expert",
        path: parsePathQuery(given as string),
        halfLifeDays: parseHalfLife(options.halfLife),
        explain: options.explain === true,
      };
    case undefined:
      throw usageError("Say who or what to ask about.", EXAMPLE);
  }
}
