// Incremental (and full) sync of one project's issues or merge requests, as a pipeline without
// barriers: the list is read one page ahead, each entity that needs them has its dependents
// requested as soon as it is listed, and entities are written in list order as soon as they and
// every entity before them are ready — each with its dependents in one transaction, the cursor
// moving only past stored entities. After each write the caller may regenerate their documents
// while the network keeps working.

import { throwIfCancelled } from "../core/errors.js";
import type { Db } from "../db/open.js";
import type { EntityRef } from "../documents/sources.js";
import type { GitLabClient } from "../gitlab/client.js";
import { PER_PAGE } from "../gitlab/paginate.js";
import { advanceCursor, listFrom, readCursor } from "./cursors.js";
import type { Entity, EntityKind } from "./entity-kinds.js";
import {
  type EntityCopy,
  type EntityCounters,
  type EntityPlan,
  emptyEntityCounters,
  type FetchedDependents,
  fetchEntityDependents,
  invalidEntityWarning,
  planEntity,
  updatedAtOf,
  vanishedWarning,
  writeEntity,
} from "./entity-writer.js";
import { readAhead } from "./read-ahead.js";

export interface WalkCounters extends EntityCounters {
  deleted: number;
  /** Time spent writing to the database, to tell local ingest speed from network time. */
  ingest_ms: number;
}

export function emptyWalkCounters(): WalkCounters {
  return { ...emptyEntityCounters(), deleted: 0, ingest_ms: 0 };
}

export interface WalkContext {
  readonly db: Db;
  readonly client: GitLabClient;
  readonly signal: AbortSignal;
  readonly warn: (message: string) => void;
  readonly onProgress?: (() => void) | undefined;
  /** Called after each write with the entities it stored, in list order (e.g. to regenerate documents). */
  readonly onStored?: ((entities: readonly EntityRef[]) => Promise<void>) | undefined;
  /**
   * Called once with the first (non-empty) page: its size and the walk's lower bound on
   * `updated_at`, so the caller can tell a long walk from a short one (e.g. to ask for its total).
   */
  readonly onFirstPage?: ((size: number, updatedAfter: string | undefined) => void) | undefined;
}

export interface WalkOptions {
  readonly projectId: number;
  readonly projectPath: string;
  /** Ignore the cursor and remove what GitLab no longer lists. */
  readonly full: boolean;
  readonly overlapSeconds: number;
  /** When this run started; full reconciliation spares rows written after it (e.g. by surgical sync). */
  readonly runStartedAt: string;
}

/** One listed entity on its way to the database. */
interface Slot {
  readonly copy: EntityCopy;
  readonly plan: EntityPlan;
  /** Settles (never rejects) once the dependents are fetched, or at once when none are needed. */
  readonly ready: Promise<void>;
  settled: boolean;
  fetched?: FetchedDependents;
  failure?: unknown;
}

/** Listed entities not written yet: about two pages, so memory stays flat however long the list. */
const MAX_PENDING = 2 * PER_PAGE;
/**
 * A write waits this long for more entities to become ready unless a page's worth already is:
 * one transaction per entity would spend more time committing than writing. Network requests go
 * on meanwhile, so the wait costs no wall time.
 */
const COALESCE_MS = 50;
const COALESCE_UP_TO = PER_PAGE;

export async function walkEntities<T extends Entity>(
  ctx: WalkContext,
  kind: EntityKind<T>,
  options: WalkOptions,
  counters: WalkCounters,
): Promise<void> {
  const { db, client, signal } = ctx;
  const cursor = options.full ? undefined : readCursor(db, options.projectId, kind.resource);
  const seen = options.full ? new Set<number>() : undefined;
  const distinct = new Set<number>();
  const pending: Slot[] = [];
  let listing = true;
  let writerFailed = false;
  let wakeWriter: (() => void) | undefined;
  let wakeLister: (() => void) | undefined;
  const wake = (waiter: (() => void) | undefined) => waiter?.();

  const enqueue = (entity: T, fetchedAt: string) => {
    const copy: EntityCopy<T> = {
      kind,
      entity,
      projectId: options.projectId,
      projectPath: options.projectPath,
      fetchedAt,
    };
    const plan = planEntity(db, copy, { refresh: false, overlapSeconds: options.overlapSeconds });
    const slot: Slot = { copy, plan, settled: plan !== "fetch", ready: Promise.resolve() };
    if (plan === "fetch") {
      (slot as { ready: Promise<void> }).ready = fetchEntityDependents(client, copy, signal).then(
        (fetched) => {
          slot.fetched = fetched;
          slot.settled = true;
        },
        (failure: unknown) => {
          slot.failure = failure;
          slot.settled = true;
        },
      );
    }
    pending.push(slot);
  };

  const lister = async () => {
    try {
      const updatedAfter = listFrom(cursor, options.overlapSeconds);
      let firstPage = true;
      const pages = kind.list(client, options.projectId, {
        updatedAfter,
        signal,
        onInvalid: (item) => {
          // Skipped, not gone: a full sync must not delete the stored copy of a malformed entity.
          if (item.id !== undefined) seen?.add(item.id);
          counters.skipped_invalid += 1;
          ctx.warn(invalidEntityWarning(options.projectPath, kind, item));
        },
      });
      for await (const page of readAhead(pages)) {
        throwIfCancelled(signal);
        if (writerFailed) return;
        if (firstPage) {
          firstPage = false;
          ctx.onFirstPage?.(page.length, updatedAfter);
        }
        const fetchedAt = new Date().toISOString();
        for (const entity of page) {
          distinct.add(entity.id);
          seen?.add(entity.id);
          enqueue(entity, fetchedAt);
        }
        counters.fetched = distinct.size;
        wake(wakeWriter);
        while (pending.length > MAX_PENDING && !writerFailed) {
          await new Promise<void>((resolve) => {
            wakeLister = resolve;
          });
        }
      }
    } finally {
      listing = false;
      wake(wakeWriter);
    }
  };

  const readyCount = () => {
    let count = 0;
    while (pending[count]?.settled) count += 1;
    return count;
  };

  /** Writes the ready slots at the head of the queue in one transaction; rethrows a failed one's error. */
  const writeReady = (): EntityRef[] => {
    const batch: Slot[] = [];
    while (pending[0]?.settled) batch.push(pending.shift() as Slot);
    const started = performance.now();
    const stored: EntityRef[] = [];
    let failure: { error: unknown } | undefined;
    db.transaction(() => {
      for (const slot of batch) {
        if (slot.failure !== undefined) {
          failure = { error: slot.failure };
          return;
        }
        if (writeSlot(slot)) stored.push({ type: kind.type, id: slot.copy.entity.id });
      }
    }).immediate();
    counters.ingest_ms += performance.now() - started;
    if (failure) throw failure.error;
    return stored;
  };

  /** Stores one slot (or counts why not) and moves the cursor past it; true when it was written. */
  const writeSlot = (slot: Slot): boolean => {
    const { copy } = slot;
    let written = false;
    if (slot.plan === "same") counters.unchanged += 1;
    else if (slot.plan === "stale") counters.skipped_stale += 1;
    else if (slot.fetched?.status === "fetched") {
      written = writeEntity(db, copy, slot.fetched.dependents, counters).status === "ingested";
    } else if (slot.fetched?.status === "vanished") {
      counters.vanished += 1;
      ctx.warn(vanishedWarning(copy));
    } else if (slot.fetched?.status === "invalid") {
      counters.skipped_invalid += 1;
      ctx.warn(slot.fetched.warning);
    }
    advanceCursor(db, options.projectId, kind.resource, {
      updatedAt: updatedAtOf(copy.entity),
      lastId: copy.entity.id,
    });
    return written;
  };

  const writer = async () => {
    try {
      for (;;) {
        const head = pending[0];
        if (!head) {
          if (!listing) return;
          await new Promise<void>((resolve) => {
            wakeWriter = resolve;
          });
          continue;
        }
        await head.ready;
        if (readyCount() < COALESCE_UP_TO && pending.length > readyCount()) {
          await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
        }
        const stored = writeReady();
        wake(wakeLister);
        if (stored.length > 0) await ctx.onStored?.(stored);
        ctx.onProgress?.();
      }
    } catch (error) {
      writerFailed = true;
      throw error;
    } finally {
      wake(wakeLister);
    }
  };

  const [listed, written] = await Promise.allSettled([lister(), writer()]);
  // The writer's error comes first: it is the entity that stopped the walk.
  if (written.status === "rejected") throw written.reason;
  if (listed.status === "rejected") throw listed.reason;
  throwIfCancelled(signal);
  if (seen) counters.deleted = removeUnlisted(db, kind, options, seen);
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
