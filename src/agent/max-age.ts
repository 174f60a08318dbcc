// `--max-age DURATION` (and the config's `read.maxAge`): how old a local copy may be before a read
// refreshes it from GitLab first. `0` always refreshes; `off` turns a configured default off.

import { usageError } from "../core/errors.js";

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** `30s`, `5m`, `2h`, `1d`, `1w`, or bare seconds (`90`, `0`); undefined when it is none of these. */
export function durationSeconds(text: string): number | undefined {
  const match = /^(\d+)\s*([smhdw]?)$/i.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * (UNIT_SECONDS[(match[2] ?? "").toLowerCase()] ?? 1);
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

const OFF = new Set(["off", "none", "never"]);

/**
 * The max age in seconds a read applies: the flag when given (`off` disables the configured
 * default), else the config's `read.maxAge`; undefined means "answer from the local copy".
 */
export function resolveMaxAge(flag: unknown, configured: string | undefined): number | undefined {
  if (flag === undefined || flag === null) {
    return configured === undefined ? undefined : durationSeconds(configured);
  }
  const text = String(flag).trim();
  if (OFF.has(text.toLowerCase())) return undefined;
  const seconds = durationSeconds(text);
  if (seconds === undefined) {
    throw usageError(
      `--max-age ${text}: expected a duration such as 30s, 5m, 2h or 0 (always refresh), or off`,
    );
  }
  return seconds;
}

/** True when a copy synced at `syncedAt` is too old for `maxAgeSeconds` (0: always). */
export function needsRefresh(syncedAt: string | null, maxAgeSeconds: number, now: number): boolean {
  if (maxAgeSeconds === 0 || syncedAt === null) return true;
  const at = Date.parse(syncedAt);
  return Number.isNaN(at) || now - at > maxAgeSeconds * 1000;
}

/** An issue or MR a read showed, with when its local copy was fetched. */
export interface ShownEntity {
  readonly entity_type: "issue" | "merge_request";
  readonly project: string;
  readonly iid: number;
  readonly synced_at: string | null;
}

/** What one surgical sync refreshes: IIDs of one project. */
export interface RefreshTarget {
  readonly project: string;
  readonly issues: readonly number[];
  readonly mrs: readonly number[];
}

export interface StalePlan {
  /** One per project (as the config spells it), in the order the entities came. */
  readonly targets: RefreshTarget[];
  /** When the oldest copy of each target's entities was fetched, by project. */
  readonly oldest: ReadonlyMap<string, string | null>;
  /** Stale entities beyond `limit` (left as they are). */
  readonly omitted: number;
}

/**
 * The entities older than `maxAgeSeconds`, grouped per configured project for one surgical sync
 * each, at most `limit` IIDs in all (the first ones first). Entities of projects no longer
 * configured cannot be synced and are left out, as are those in `skip` (just fetched).
 */
export function staleTargets(
  entities: readonly ShownEntity[],
  options: {
    readonly maxAgeSeconds: number;
    readonly now: number;
    readonly configured: readonly string[];
    readonly limit: number;
    readonly skip?: ReadonlySet<string>;
  },
): StalePlan {
  const groups = new Map<string, { issues: number[]; mrs: number[]; oldest: string | null }>();
  let taken = 0;
  let omitted = 0;
  for (const entity of entities) {
    const project = options.configured.find((p) => p.toLowerCase() === entity.project.toLowerCase());
    if (project === undefined || options.skip?.has(entityKey(entity))) continue;
    if (!needsRefresh(entity.synced_at, options.maxAgeSeconds, options.now)) continue;
    if (taken === options.limit) {
      omitted += 1;
      continue;
    }
    taken += 1;
    const group = groups.get(project) ?? { issues: [], mrs: [], oldest: entity.synced_at };
    (entity.entity_type === "issue" ? group.issues : group.mrs).push(entity.iid);
    if (group.oldest !== null && (entity.synced_at === null || entity.synced_at < group.oldest)) {
      group.oldest = entity.synced_at;
    }
    groups.set(project, group);
  }
  return {
    targets: [...groups].map(([project, g]) => ({ project, issues: g.issues, mrs: g.mrs })),
    oldest: new Map([...groups].map(([project, g]) => [project, g.oldest])),
    omitted,
  };
}

/** `group/proj#42` / `group/proj!7`, case-folded: one key per entity. */
export function entityKey(entity: Pick<ShownEntity, "entity_type" | "project" | "iid">): string {
  return `${entity.project.toLowerCase()}${entity.entity_type === "issue" ? "#" : "!"}${entity.iid}`;
}
