// Surgical sync: refresh named issues and MRs with everything they carry, in about two round trips:
// preflight (validate every IID with batched `iids[]` lists) → fetch (the preflight payloads) →
// ingest (soft TOCTOU check) → dependents (fetched concurrently; each entity then written with its
// dependents in one monotonic transaction) → docs (scoped) → embed (scoped).
// It neither takes the sync lock nor moves cursors: monotonic upserts make interleaving harmless.

import { setTimeout as delay } from "node:timers/promises";
import { isLoreError, LoreError, throwIfCancelled } from "../core/errors.js";
import type { ShutdownSignal } from "../core/shutdown.js";
import type { Db } from "../db/open.js";
import {
  finishSyncRun,
  type RequestedIids,
  setSyncRunCounters,
  setSyncRunPhase,
  setSyncRunWarnings,
  startSyncRun,
} from "../db/sync-runs.js";
import { collectPages, type GitLabClient } from "../gitlab/client.js";
import type { GitLabProject } from "../gitlab/schemas.js";
import { storedUpdatedAt } from "../ingestion/monotonic-upsert.js";
import { isoTime } from "../ingestion/values.js";
import { type Dependents, storeDependents } from "./dependents.js";
import { type Entity, type EntityKind, ISSUES, MERGE_REQUESTS } from "./entity-kinds.js";
import { upsertProject } from "./projects.js";
import { endRunWithError } from "./run-failure.js";

export const SURGICAL_STAGES = ["preflight", "fetch", "ingest", "dependents", "docs", "embed"] as const;
export type SurgicalStage = (typeof SURGICAL_STAGES)[number];

export interface DocumentSource {
  readonly source_type: "issue" | "merge_request" | "discussion";
  readonly source_id: string;
}

export interface SurgicalInput {
  readonly project: string;
  readonly issues: readonly number[];
  readonly mrs: readonly number[];
  readonly dryRun: boolean;
  /** Regenerates the documents of exactly these sources; returns the written document ids. */
  readonly regenerateDocs?:
    | ((db: Db, sources: readonly DocumentSource[], signal: AbortSignal) => Promise<{ count: number }>)
    | undefined;
  /** Embeds exactly these documents; an unreachable provider is a warning, not a failure. */
  readonly embedDocuments?:
    | ((
        db: Db,
        documentIds: readonly number[],
        signal: AbortSignal,
      ) => Promise<{ count: number; warning?: string }>)
    | undefined;
}

export interface SurgicalDeps {
  readonly db: Db;
  readonly client: GitLabClient;
  readonly shutdown: ShutdownSignal;
  readonly warn: (message: string) => void;
  readonly onStage?: (stage: SurgicalStage | "done") => void;
  /**
   * Fault injection for tests (LORE_TEST_HOLD_STAGE): wait at the start of this stage, its phase
   * recorded, until cancelled, so a signal lands inside a stage that otherwise takes microseconds.
   */
  readonly holdAt?: SurgicalStage | undefined;
}

/** found: validated by a dry run; ingested: written with fresh dependents; vanished: 404 after preflight. */
export type EntityStatus = "ingested" | "skipped_stale" | "vanished" | "found";

export interface EntityOutcome {
  readonly entity_type: "issue" | "merge_request";
  readonly iid: number;
  status: EntityStatus;
  readonly title: string;
  readonly updated_at: string;
  readonly web_url: string;
  local_updated_at: string | null;
  /** For an ingested entity: whether its own row differed from the stored copy (dependents are always refreshed). */
  changed: boolean | null;
}

export interface SurgicalCounters {
  issues_fetched: number;
  mrs_fetched: number;
  issues_ingested: number;
  mrs_ingested: number;
  skipped_stale: number;
  discussions_fetched: number;
  notes_upserted: number;
  events_fetched: number;
  docs_regenerated: number;
  docs_embedded: number;
}

export interface SurgicalResult {
  readonly mode: "surgical";
  readonly run_id: number;
  readonly project: string;
  readonly status: "succeeded";
  readonly dry_run: boolean;
  readonly requested: RequestedIids;
  readonly counters: SurgicalCounters;
  readonly entities: readonly EntityOutcome[];
  readonly stages: readonly { name: SurgicalStage; elapsed_ms: number }[];
  readonly warnings: readonly string[];
  readonly requests: number;
}

interface Fetched {
  readonly kind: EntityKind;
  readonly entity: Entity;
  readonly outcome: EntityOutcome;
}

const HOLD_LIMIT_MS = 60_000;
const NOT_FOUND_REASON = "not found or not visible with this token";

export async function runSurgicalSync(input: SurgicalInput, deps: SurgicalDeps): Promise<SurgicalResult> {
  const { db, client, shutdown } = deps;
  const signal = shutdown.signal;
  const requested: RequestedIids = { issues: [...input.issues], mrs: [...input.mrs] };
  const runId = startSyncRun(db, "surgical", [input.project], { phase: "preflight", requested });
  const counters: SurgicalCounters = {
    issues_fetched: 0,
    mrs_fetched: 0,
    issues_ingested: 0,
    mrs_ingested: 0,
    skipped_stale: 0,
    discussions_fetched: 0,
    notes_upserted: 0,
    events_fetched: 0,
    docs_regenerated: 0,
    docs_embedded: 0,
  };
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    deps.warn(message);
  };
  const stages: { name: SurgicalStage; elapsed_ms: number }[] = [];
  let phase: SurgicalStage = "preflight";
  const record = () => {
    setSyncRunCounters(db, runId, {
      ...counters,
      requests: client.metrics.requests,
      retries: client.metrics.retries,
    });
    setSyncRunWarnings(db, runId, warnings);
  };
  async function stage<T>(name: SurgicalStage, work: () => Promise<T> | T): Promise<T> {
    throwIfCancelled(signal);
    phase = name;
    setSyncRunPhase(db, runId, name);
    deps.onStage?.(name);
    const started = performance.now();
    try {
      if (deps.holdAt === name) await delay(HOLD_LIMIT_MS, undefined, { signal }).catch(() => {});
      throwIfCancelled(signal);
      return await work();
    } finally {
      stages.push({ name, elapsed_ms: Math.round(performance.now() - started) });
      record();
    }
  }
  const removeHook = shutdown.onCleanup(() =>
    finishSyncRun(db, runId, "cancelled", `interrupted during ${phase}`),
  );

  try {
    const preflight = await stage("preflight", () => preflightFetch(db, client, input, signal));
    counters.issues_fetched = preflight.fetched.filter((f) => f.kind === ISSUES).length;
    counters.mrs_fetched = preflight.fetched.filter((f) => f.kind === MERGE_REQUESTS).length;
    const entities = preflight.fetched.map((f) => f.outcome);

    if (!input.dryRun) {
      // The preflight payloads are the fetched entities: no second request per entity.
      const fetched = await stage("fetch", () => preflight.fetched);
      const toRefresh = await stage("ingest", () =>
        ingestFetched(db, preflight.project, fetched, counters, warn, signal),
      );
      const touched = await stage("dependents", () =>
        refreshDependents(db, client, preflight.project, toRefresh, counters, warn, signal),
      );
      const sources = documentSources(db, touched);
      if (input.regenerateDocs) {
        const regenerate = input.regenerateDocs;
        await stage("docs", async () => {
          counters.docs_regenerated = (await regenerate(db, sources, signal)).count;
        });
      }
      if (input.embedDocuments) {
        const embed = input.embedDocuments;
        await stage("embed", async () => {
          const ids = documentIdsFor(db, sources);
          const result = await embed(db, ids, signal);
          counters.docs_embedded = result.count;
          if (result.warning) warn(result.warning);
        });
      }
    }
    record();
    setSyncRunPhase(db, runId, "done");
    deps.onStage?.("done");
    finishSyncRun(db, runId, "succeeded");
    return {
      mode: "surgical",
      run_id: runId,
      project: preflight.project.path,
      status: "succeeded",
      dry_run: input.dryRun,
      requested,
      counters,
      entities,
      stages,
      warnings,
      requests: client.metrics.requests,
    };
  } catch (error) {
    record();
    endRunWithError(db, runId, phase, error, signal);
  } finally {
    removeHook();
  }
}

interface Preflight {
  readonly project: { readonly id: number; readonly path: string; readonly fetched?: GitLabProject };
  readonly fetched: readonly Fetched[];
}

/**
 * Validates every requested IID on GitLab before anything is written: the project (only when not
 * known locally) and batched `iids[]` lists for issues and MRs, all concurrently. Any missing IID
 * fails the whole run with SURGICAL_PREFLIGHT_FAILED naming each one.
 */
export async function preflightFetch(
  db: Db,
  client: GitLabClient,
  input: Pick<SurgicalInput, "project" | "issues" | "mrs">,
  signal: AbortSignal,
): Promise<Preflight> {
  const known = db
    .prepare(
      "SELECT id, path_with_namespace AS path FROM projects WHERE lower(path_with_namespace) = lower(?)",
    )
    .get(input.project) as { id: number; path: string } | undefined;
  const projectRef = known?.id ?? input.project;
  const list = <T extends Entity>(kind: EntityKind<T>, iids: readonly number[]) =>
    iids.length === 0
      ? Promise.resolve([] as T[])
      : collectPages(kind.list(client, projectRef as number, { iids, signal }));

  let project: Preflight["project"];
  let issues: Entity[];
  let mrs: Entity[];
  try {
    const [fetchedProject, fetchedIssues, fetchedMrs] = await Promise.all([
      known ? Promise.resolve(undefined) : client.project(input.project, { signal }),
      list(ISSUES, input.issues),
      list(MERGE_REQUESTS, input.mrs),
    ]);
    project = fetchedProject
      ? { id: fetchedProject.id, path: fetchedProject.path_with_namespace, fetched: fetchedProject }
      : { id: known?.id as number, path: known?.path as string };
    issues = fetchedIssues;
    mrs = fetchedMrs;
  } catch (error) {
    if (isLoreError(error, "GITLAB_NOT_FOUND")) {
      const failures = [
        ...input.issues.map((iid) =>
          failure("issue", iid, input.project, "project not found or not visible"),
        ),
        ...input.mrs.map((iid) =>
          failure("merge_request", iid, input.project, "project not found or not visible"),
        ),
      ];
      throw preflightFailed(input.project, failures);
    }
    throw error;
  }

  const byIid = (items: readonly Entity[]) => new Map(items.map((item) => [item.iid, item]));
  const issueMap = byIid(issues);
  const mrMap = byIid(mrs);
  const failures = [
    ...input.issues
      .filter((iid) => !issueMap.has(iid))
      .map((iid) => failure("issue", iid, project.path, NOT_FOUND_REASON)),
    ...input.mrs
      .filter((iid) => !mrMap.has(iid))
      .map((iid) => failure("merge_request", iid, project.path, NOT_FOUND_REASON)),
  ];
  if (failures.length > 0) throw preflightFailed(project.path, failures);

  const fetched: Fetched[] = [];
  const add = (kind: EntityKind, map: Map<number, Entity>, iids: readonly number[]) => {
    for (const iid of iids) {
      const entity = map.get(iid) as Entity;
      fetched.push({
        kind,
        entity,
        outcome: {
          entity_type: kind.type,
          iid,
          status: "found",
          title: entity.title,
          updated_at: isoTime(entity.updated_at) ?? entity.updated_at,
          web_url: entity.web_url,
          local_updated_at: storedUpdatedAt(db, kind.table, entity.id) ?? null,
          changed: null,
        },
      });
    }
  };
  add(ISSUES, issueMap, input.issues);
  add(MERGE_REQUESTS, mrMap, input.mrs);
  return { project, fetched };
}

function failure(entityType: "issue" | "merge_request", iid: number, project: string, reason: string) {
  return { entity_type: entityType, iid, project, reason };
}

function preflightFailed(project: string, failures: ReturnType<typeof failure>[]): LoreError {
  const names = failures.map((f) => `${f.entity_type === "issue" ? "#" : "!"}${f.iid}`).join(", ");
  return new LoreError(
    "SURGICAL_PREFLIGHT_FAILED",
    `Not found on GitLab in ${project}: ${names}. Nothing was written.`,
    {
      suggestion:
        "Check the IIDs and the project, and that the token can see them (confidential issues need access).",
      details: { failures },
    },
  );
}

/**
 * Soft TOCTOU check: an entity whose local copy is already newer (another sync wrote it meanwhile)
 * is skipped with a warning. Entities are written with their dependents, so a run stopped between
 * stages never leaves an entity stored without its discussions.
 */
function ingestFetched(
  db: Db,
  project: Preflight["project"],
  fetched: readonly Fetched[],
  counters: SurgicalCounters,
  warn: (message: string) => void,
  signal: AbortSignal,
): Fetched[] {
  if (project.fetched) {
    const row = project.fetched;
    db.transaction(() => upsertProject(db, row, new Date().toISOString())).immediate();
  }
  const refresh: Fetched[] = [];
  for (const item of fetched) {
    throwIfCancelled(signal);
    const local = storedUpdatedAt(db, item.kind.table, item.entity.id);
    if (local !== undefined && local > item.outcome.updated_at) {
      markStale(item, local, project.path, counters, warn);
      continue;
    }
    refresh.push(item);
  }
  return refresh;
}

function markStale(
  item: Fetched,
  localUpdatedAt: string,
  projectPath: string,
  counters: SurgicalCounters,
  warn: (message: string) => void,
  localFetchedAt?: string,
): void {
  counters.skipped_stale += 1;
  item.outcome.status = "skipped_stale";
  item.outcome.local_updated_at = localUpdatedAt;
  const ref = `${projectPath}${item.kind.sigil}${item.entity.iid}`;
  warn(
    localFetchedAt === undefined
      ? `${ref}: the local copy (${localUpdatedAt}) is newer than GitLab's answer (${item.outcome.updated_at}); kept it`
      : `${ref}: another sync fetched it later (at ${localFetchedAt}) while this one was in flight; kept its copy`,
  );
}

/**
 * Fetches every entity's dependents at once, then writes each entity with its dependents in one
 * transaction, monotonically: a copy that became stale meanwhile is skipped whole.
 */
async function refreshDependents(
  db: Db,
  client: GitLabClient,
  project: Preflight["project"],
  items: readonly Fetched[],
  counters: SurgicalCounters,
  warn: (message: string) => void,
  signal: AbortSignal,
): Promise<Fetched[]> {
  const fetchedAt = new Date().toISOString();
  const settled = await Promise.allSettled(
    items.map((item) => item.kind.fetchDependents(client, project.id, item.entity, signal)),
  );
  throwIfCancelled(signal);
  const touched: Fetched[] = [];
  for (const [index, result] of settled.entries()) {
    throwIfCancelled(signal);
    const item = items[index] as Fetched;
    if (result.status === "rejected") {
      if (isLoreError(result.reason, "GITLAB_NOT_FOUND")) {
        item.outcome.status = "vanished";
        warn(
          `${project.path}${item.kind.sigil}${item.entity.iid} vanished from GitLab while its dependents were fetched`,
        );
        continue;
      }
      throw result.reason;
    }
    const dependents: Dependents = result.value;
    const now = new Date().toISOString();
    db.transaction(() => {
      const outcome = item.kind.upsert(db, item.entity, project.id, { syncedAt: now, fetchedAt });
      if (outcome.status === "skipped_stale") {
        markStale(item, outcome.localUpdatedAt, project.path, counters, warn, outcome.localFetchedAt);
        return;
      }
      item.outcome.status = "ingested";
      item.outcome.changed = outcome.status !== "unchanged";
      if (item.kind === ISSUES) counters.issues_ingested += 1;
      else counters.mrs_ingested += 1;
      const stored = storeDependents(
        db,
        { type: item.kind.type, id: item.entity.id, projectId: project.id },
        dependents,
        now,
      );
      counters.discussions_fetched += stored.discussions_fetched;
      counters.notes_upserted += stored.notes_upserted;
      counters.events_fetched += stored.events_fetched;
      touched.push(item);
    }).immediate();
  }
  return touched;
}

/** The entities and all their current discussions: what the scoped document stages work on. */
function documentSources(db: Db, items: readonly Fetched[]): DocumentSource[] {
  const sources: DocumentSource[] = [];
  const issueThreads = db.prepare("SELECT id FROM discussions WHERE issue_id = ?");
  const mrThreads = db.prepare("SELECT id FROM discussions WHERE merge_request_id = ?");
  for (const item of items) {
    sources.push({ source_type: item.kind.type, source_id: String(item.entity.id) });
    const threads = (item.kind === ISSUES ? issueThreads : mrThreads).all(item.entity.id) as { id: string }[];
    for (const t of threads) sources.push({ source_type: "discussion", source_id: t.id });
  }
  return sources;
}

function documentIdsFor(db: Db, sources: readonly DocumentSource[]): number[] {
  const find = db.prepare("SELECT id FROM documents WHERE source_type = ? AND source_id = ?");
  const ids: number[] = [];
  for (const s of sources) {
    const row = find.get(s.source_type, s.source_id) as { id: number } | undefined;
    if (row) ids.push(row.id);
  }
  return ids;
}
