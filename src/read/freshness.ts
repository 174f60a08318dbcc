// How old the local copy of something is: `synced_at` is when lore last fetched the issue or MR (and
// with it its threads, events and links), `age_seconds` how long ago that was when the answer was
// made. A discussion and a search document are as fresh as the entity they were fetched with.

import type { Db } from "../db/open.js";

export interface Freshness {
  readonly synced_at: string | null;
  readonly age_seconds: number | null;
}

/** Whole seconds from `syncedAt` to `now` (never negative: clocks drift); null when never synced. */
export function ageSeconds(syncedAt: string | null | undefined, now: number): number | null {
  if (!syncedAt) return null;
  const at = Date.parse(syncedAt);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.floor((now - at) / 1000));
}

export function freshness(syncedAt: string | null | undefined, now: number): Freshness {
  return { synced_at: syncedAt ?? null, age_seconds: ageSeconds(syncedAt, now) };
}

/**
 * The SQL for an entity row's sync time (alias `e`): when the fetch of its stored copy began, or,
 * for rows stored before lore recorded that, when the row was written.
 */
export const SYNCED_AT_SQL = (alias: string) => `COALESCE(${alias}.fetched_at, ${alias}.synced_at)`;

/** When the entity behind each search document was last fetched, by document id. */
export function documentSyncTimes(db: Db, documentIds: readonly number[]): Map<number, string | null> {
  if (documentIds.length === 0) return new Map();
  const rows = db
    .prepare(
      `SELECT d.id, CASE d.parent_type WHEN 'issue' THEN ${SYNCED_AT_SQL("i")} ELSE ${SYNCED_AT_SQL("m")} END AS synced_at
       FROM documents d
       LEFT JOIN issues i ON d.parent_type = 'issue' AND i.id = d.parent_id
       LEFT JOIN merge_requests m ON d.parent_type = 'merge_request' AND m.id = d.parent_id
       WHERE d.id IN (${documentIds.map(() => "?").join(", ")})`,
    )
    .all(...documentIds) as { id: number; synced_at: string | null }[];
  return new Map(rows.map((row) => [row.id, row.synced_at]));
}

/** When lore last fetched this issue or merge request (by GitLab id), or null when it is not stored. */
export function entitySyncedAt(db: Db, type: "issue" | "merge_request", id: number): string | null {
  const table = type === "issue" ? "issues" : "merge_requests";
  const row = db
    .prepare(`SELECT ${SYNCED_AT_SQL("e")} AS synced_at FROM ${table} e WHERE e.id = ?`)
    .get(id) as { synced_at: string | null } | undefined;
  return row?.synced_at ?? null;
}
