// Incremental (and full) sync of one project's issues or merge requests: walk the list from the
// cursor, fetch the dependents of every new or changed entity concurrently, and store each entity
// with its dependents in one transaction, advancing the cursor only past fully stored entities.

import { isLoreError, throwIfCancelled } from "../core/errors.js";
import type { Db } from "../db/open.js";
import type { GitLabClient } from "../gitlab/client.js";
import { freshness } from "../ingestion/monotonic-upsert.js";
import { isoTime } from "../ingestion/values.js";
import { advanceCursor, listFrom, readCursor } from "./cursors.js";
import { type Dependents, storeDependents } from "./dependents.js";
import type { Entity, EntityKind } from "./entity-kinds.js";

export interface WalkCounters {
  fetched: number;
  ingested: number;
  unchanged: number;
  skipped_stale: number;
  deleted: number;
  discussions_fetched: number;
  notes_upserted: number;
  events_fetched: number;
  /** Time spent writing to the database, to tell local ingest speed from network time. */
  ingest_ms: number;
}

export interface WalkContext {
  readonly db: Db;
  readonly client: GitLabClient;
  readonly signal: AbortSignal;
  readonly warn: (message: string) => void;
  readonly onProgress?: (counters: Readonly<WalkCounters>) => void;
}

export interface WalkOptions {
  readonly projectId: number;
  readonly projectPath: string;
  /** Ignore the cursor, re-fetch every entity's dependents and remove what GitLab no longer lists. */
  readonly full: boolean;
  readonly overlapSeconds: number;
  /** When this run started; full reconciliation spares rows written after it (e.g. by surgical sync). */
  readonly runStartedAt: string;
}

export function emptyWalkCounters(): WalkCounters {
  return {
    fetched: 0,
    ingested: 0,
    unchanged: 0,
    skipped_stale: 0,
    deleted: 0,
    discussions_fetched: 0,
    notes_upserted: 0,
    events_fetched: 0,
    ingest_ms: 0,
  };
}

type Plan = { entity: Entity; updatedAt: string } & (
  | { action: "skip"; reason: "same" | "stale" }
  | { action: "store"; dependents: Promise<Dependents> }
);

export async function walkEntities<T extends Entity>(
  ctx: WalkContext,
  kind: EntityKind<T>,
  options: WalkOptions,
): Promise<WalkCounters> {
  const { db, client, signal } = ctx;
  const counters = emptyWalkCounters();
  const cursor = options.full ? undefined : readCursor(db, options.projectId, kind.resource);
  const seen = options.full ? new Set<number>() : undefined;
  const distinct = new Set<number>();

  for await (const page of kind.list(client, options.projectId, {
    updatedAfter: listFrom(cursor, options.overlapSeconds),
    signal,
  })) {
    throwIfCancelled(signal);
    // Start every needed dependent fetch of the page at once; the client bounds concurrency.
    const fetchedAt = new Date().toISOString();
    const plans: Plan[] = page.map((entity) => {
      distinct.add(entity.id);
      seen?.add(entity.id);
      const updatedAt = isoTime(entity.updated_at) ?? entity.updated_at;
      const state = freshness(db, kind.table, entity.id, updatedAt, JSON.stringify(entity));
      if (state === "stale") return { entity, updatedAt, action: "skip", reason: "stale" };
      if (state === "same" && !options.full) return { entity, updatedAt, action: "skip", reason: "same" };
      const dependents = kind.fetchDependents(client, options.projectId, entity, signal);
      dependents.catch(() => {}); // awaited in order below; this only silences early rejections
      return { entity, updatedAt, action: "store", dependents };
    });
    counters.fetched = distinct.size;

    // Entities are written in list order, a page per transaction (each entity stays atomic with
    // its dependents, and the cursor never passes one that is not stored). When the walk stops
    // early (Ctrl-C, a failed fetch), the entities ready before the stopping one are still written.
    let batch: { plan: Plan; dependents?: Dependents }[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      const started = performance.now();
      const ready = batch;
      batch = [];
      db.transaction(() => {
        for (const item of ready) writePlan(item.plan, item.dependents);
      }).immediate();
      counters.ingest_ms += performance.now() - started;
    };
    const writePlan = (plan: Plan, dependents: Dependents | undefined) => {
      const position = { updatedAt: plan.updatedAt, lastId: plan.entity.id };
      if (dependents !== undefined) {
        const now = new Date().toISOString();
        const outcome = kind.upsert(db, plan.entity as T, options.projectId, { syncedAt: now, fetchedAt });
        if (outcome.status === "skipped_stale") {
          counters.skipped_stale += 1;
        } else {
          if (outcome.status === "unchanged") counters.unchanged += 1;
          else counters.ingested += 1;
          const parent = { type: kind.type, id: plan.entity.id, projectId: options.projectId };
          const stored = storeDependents(db, parent, dependents, now);
          counters.discussions_fetched += stored.discussions_fetched;
          counters.notes_upserted += stored.notes_upserted;
          counters.events_fetched += stored.events_fetched;
        }
      }
      advanceCursor(db, options.projectId, kind.resource, position);
    };

    try {
      for (const plan of plans) {
        if (plan.action === "skip") {
          if (plan.reason === "stale") counters.skipped_stale += 1;
          else counters.unchanged += 1;
          batch.push({ plan });
          continue;
        }
        try {
          batch.push({ plan, dependents: await plan.dependents });
        } catch (error) {
          // A 404 on a dependent means the entity vanished (deleted or hidden) since it was listed.
          if (!isLoreError(error, "GITLAB_NOT_FOUND")) throw error;
          ctx.warn(`${options.projectPath}${kind.sigil}${plan.entity.iid} vanished while syncing; skipped`);
          batch.push({ plan });
        }
      }
    } finally {
      flush();
    }
    throwIfCancelled(signal);
    ctx.onProgress?.(counters);
  }

  if (seen) counters.deleted = removeUnlisted(db, kind, options, seen);
  return counters;
}

/** Deletes local entities GitLab no longer lists, sparing rows written since this full sync began. */
function removeUnlisted(db: Db, kind: EntityKind, options: WalkOptions, seen: ReadonlySet<number>): number {
  return db
    .transaction(() => {
      db.exec("CREATE TEMP TABLE IF NOT EXISTS seen_ids (id INTEGER PRIMARY KEY)");
      db.exec("DELETE FROM seen_ids");
      const insert = db.prepare("INSERT OR IGNORE INTO seen_ids (id) VALUES (?)");
      for (const id of seen) insert.run(id);
      const result = db
        .prepare(
          `DELETE FROM ${kind.table} WHERE project_id = ? AND synced_at < ? AND id NOT IN (SELECT id FROM seen_ids)`,
        )
        .run(options.projectId, options.runStartedAt);
      db.exec("DELETE FROM seen_ids");
      return result.changes;
    })
    .immediate();
}
