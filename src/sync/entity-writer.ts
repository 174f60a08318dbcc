// The one place where sync decides about and writes an issue or merge request with everything it
// carries, for every sync path (incremental, full, surgical): whether a listed copy needs its
// dependents fetched (the staleness rule), fetching them (a 404 means the entity vanished), and the
// monotonic write of the entity with its dependents in the caller's transaction. A new kind of
// dependent data is added in `dependents.ts` (fetch and store) and reaches every path from here.

import { isLoreError } from "../core/errors.js";
import type { Db } from "../db/open.js";
import type { GitLabClient, InvalidItem } from "../gitlab/client.js";
import { isShapeError } from "../gitlab/shape-error.js";
import { type Freshness, freshness } from "../ingestion/monotonic-upsert.js";
import { isoTime } from "../ingestion/values.js";
import { type Dependents, storeDependents } from "./dependents.js";
import type { Entity, EntityKind } from "./entity-kinds.js";

/** Counters of one kind of entity (issues or merge requests) in one run. */
export interface EntityCounters {
  /** Distinct entities received from GitLab. */
  fetched: number;
  /** Written with their dependents; `unchanged` when the entity's own row was identical. */
  ingested: number;
  unchanged: number;
  /** Not written: the stored copy is newer (this holds for every sync path). */
  skipped_stale: number;
  /** Answered 404 while their dependents were fetched (deleted or hidden since they were listed). */
  vanished: number;
  /** Skipped with a warning: GitLab's answer for them (or their dependents) had an unexpected shape. */
  skipped_invalid: number;
  discussions_fetched: number;
  notes_upserted: number;
  events_fetched: number;
}

export function emptyEntityCounters(): EntityCounters {
  return {
    fetched: 0,
    ingested: 0,
    unchanged: 0,
    skipped_stale: 0,
    vanished: 0,
    skipped_invalid: 0,
    discussions_fetched: 0,
    notes_upserted: 0,
    events_fetched: 0,
  };
}

/** An entity as GitLab served it, and when the fetch of this copy (and its dependents) began. */
export interface EntityCopy<T extends Entity = Entity> {
  readonly kind: EntityKind<T>;
  readonly entity: T;
  readonly projectId: number;
  readonly projectPath: string;
  readonly fetchedAt: string;
}

/** `fetch`: get its dependents and write it; `same`: nothing to do; `stale`: the stored copy is newer. */
export type EntityPlan = "fetch" | "same" | "stale";

export interface PlanOptions {
  /** Re-fetch dependents even of an identical copy (surgical sync: the user asked for it). */
  readonly refresh: boolean;
  /**
   * GitLab does not move `updated_at` for a change within 60 s of the previous one: a stored copy
   * fetched less than this long after its `updated_at` may have missed a later note or label.
   */
  readonly overlapSeconds: number;
}

/**
 * The staleness rule. A copy identical to the stored one skips its dependent requests only when the
 * stored dependents were fetched well after the entity last changed (outside the overlap window);
 * a stored copy newer than GitLab's answer is kept.
 */
export function planEntity(db: Db, copy: EntityCopy, options: PlanOptions): EntityPlan {
  const state: Freshness = freshness(
    db,
    copy.kind.table,
    copy.entity.id,
    updatedAtOf(copy.entity),
    JSON.stringify(copy.entity),
  );
  if (state.status === "stale") return "stale";
  if (state.status !== "same" || options.refresh) return "fetch";
  const settled =
    state.fetchedAt !== null &&
    Date.parse(state.fetchedAt) >= Date.parse(state.updatedAt) + options.overlapSeconds * 1000;
  return settled ? "same" : "fetch";
}

export type FetchedDependents =
  | { readonly status: "fetched"; readonly dependents: Dependents }
  | { readonly status: "vanished" }
  | { readonly status: "invalid"; readonly warning: string };

/**
 * Fetches everything the entity carries. A 404 on any of it means the entity vanished; an answer
 * of an unexpected shape skips this one entity (with a warning naming it), not the whole project.
 */
export function fetchEntityDependents(
  client: GitLabClient,
  copy: EntityCopy,
  signal: AbortSignal,
): Promise<FetchedDependents> {
  return settleDependents(copy.kind.fetchDependents(client, copy.projectId, copy.entity, signal), copy);
}

/** What a dependents fetch came to, for an entity named by `copy` (see fetchEntityDependents). */
export async function settleDependents(
  work: Promise<Dependents>,
  copy: Pick<EntityCopy, "kind" | "entity" | "projectPath">,
): Promise<FetchedDependents> {
  try {
    return { status: "fetched", dependents: await work };
  } catch (error) {
    if (isLoreError(error, "GITLAB_NOT_FOUND")) return { status: "vanished" };
    if (isShapeError(error))
      return { status: "invalid", warning: `${entityRef(copy)}: skipped, ${error.message}` };
    throw error;
  }
}

export type WriteOutcome =
  | { readonly status: "ingested"; readonly changed: boolean }
  | { readonly status: "skipped_stale"; readonly localUpdatedAt: string; readonly localFetchedAt?: string };

/**
 * Writes the entity and its dependents unless the stored copy is newer (a later `updated_at`, or
 * the same one from a fetch that began later), and counts what was written. Call inside a
 * transaction: an entity is never stored without its dependents.
 */
export function writeEntity(
  db: Db,
  copy: EntityCopy,
  dependents: Dependents,
  counters: EntityCounters,
): WriteOutcome {
  const now = new Date().toISOString();
  const outcome = copy.kind.upsert(db, copy.entity, copy.projectId, {
    syncedAt: now,
    fetchedAt: copy.fetchedAt,
  });
  if (outcome.status === "skipped_stale") {
    counters.skipped_stale += 1;
    return outcome;
  }
  if (outcome.status === "unchanged") counters.unchanged += 1;
  else counters.ingested += 1;
  const stored = storeDependents(
    db,
    { type: copy.kind.type, id: copy.entity.id, projectId: copy.projectId },
    dependents,
    now,
    copy.entity,
  );
  counters.discussions_fetched += stored.discussions_fetched;
  counters.notes_upserted += stored.notes_upserted;
  counters.events_fetched += stored.events_fetched;
  return { status: "ingested", changed: outcome.status !== "unchanged" };
}

/** `group/project#42` or `group/project!7`. */
export function entityRef(copy: Pick<EntityCopy, "kind" | "entity" | "projectPath">): string {
  return `${copy.projectPath}${copy.kind.sigil}${copy.entity.iid}`;
}

export function vanishedWarning(copy: EntityCopy): string {
  return `${entityRef(copy)} vanished from GitLab while its dependents were fetched; skipped`;
}

export function staleWarning(
  copy: EntityCopy,
  outcome: { readonly localUpdatedAt: string; readonly localFetchedAt?: string | undefined },
): string {
  return outcome.localFetchedAt === undefined
    ? `${entityRef(copy)}: the local copy (${outcome.localUpdatedAt}) is newer than GitLab's answer (${updatedAtOf(copy.entity)}); kept it`
    : `${entityRef(copy)}: another sync fetched it later (at ${outcome.localFetchedAt}) while this one was in flight; kept its copy`;
}

/** A list item skipped because GitLab's answer for it had an unexpected shape. */
export function invalidEntityWarning(projectPath: string, kind: EntityKind, item: InvalidItem): string {
  const name =
    item.iid !== undefined
      ? `${projectPath}${kind.sigil}${item.iid}`
      : `a ${kind.type.replace("_", " ")} of ${projectPath}${item.id !== undefined ? ` (id ${item.id})` : ""}`;
  return `${name}: skipped, GitLab's answer has an unexpected shape (${item.problems.join("; ")})`;
}

/** GitLab's `updated_at`, normalised so string order is time order. */
export function updatedAtOf(entity: Entity): string {
  return isoTime(entity.updated_at) ?? entity.updated_at;
}
