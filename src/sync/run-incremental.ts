// Orchestrates `lore sync` (incremental or --full): take the lock, record the run, walk each
// project's issues then merge requests, then the documents and embedding stages.

import type { ShutdownSignal } from "../core/shutdown.js";
import type { Db } from "../db/open.js";
import { acquireSyncLock, setSyncLockRun } from "../db/sync-lock.js";
import { finishSyncRun, setSyncRunCounters, setSyncRunPhase, startSyncRun } from "../db/sync-runs.js";
import type { GitLabClient } from "../gitlab/client.js";
import { ISSUES, MERGE_REQUESTS } from "./entity-kinds.js";
import { emptyWalkCounters, type WalkCounters, walkEntities } from "./incremental.js";
import { resolveProject } from "./projects.js";
import { endRunWithError } from "./run-failure.js";

export interface ProjectResult {
  readonly project: string;
  readonly issues_fetched: number;
  readonly mrs_fetched: number;
  readonly issues_ingested: number;
  readonly mrs_ingested: number;
  readonly skipped_stale: number;
  readonly issues_deleted: number;
  readonly mrs_deleted: number;
  readonly discussions_fetched: number;
  readonly notes_upserted: number;
  readonly events_fetched: number;
  /** Milliseconds spent writing to the database (the rest of the run is network and waiting). */
  readonly ingest_ms: number;
}

/** A post-ingest stage (documents, embeddings): returns its counters, or a warning instead of failing. */
export type PostStage = (db: Db, signal: AbortSignal) => Promise<{ count: number; warning?: string }>;

export interface IncrementalSyncInput {
  readonly projects: readonly string[];
  readonly full: boolean;
  readonly overlapSeconds: number;
  readonly regenerateDocs?: PostStage | undefined;
  readonly embed?: PostStage | undefined;
}

export interface IncrementalSyncDeps {
  readonly db: Db;
  readonly client: GitLabClient;
  readonly shutdown: ShutdownSignal;
  readonly warn: (message: string) => void;
  readonly onPhase?: (phase: string, project?: string) => void;
  readonly onProgress?: (project: string, resource: string, counters: Readonly<WalkCounters>) => void;
}

export interface IncrementalSyncResult {
  readonly mode: "incremental" | "full";
  readonly run_id: number;
  readonly status: "succeeded";
  readonly projects: readonly ProjectResult[];
  readonly docs_regenerated: number;
  readonly docs_embedded: number;
  readonly requests: number;
  readonly retries: number;
  readonly warnings: readonly string[];
}

function projectResult(project: string, issues: WalkCounters, mrs: WalkCounters): ProjectResult {
  return {
    project,
    issues_fetched: issues.fetched,
    mrs_fetched: mrs.fetched,
    issues_ingested: issues.ingested,
    mrs_ingested: mrs.ingested,
    skipped_stale: issues.skipped_stale + mrs.skipped_stale,
    issues_deleted: issues.deleted,
    mrs_deleted: mrs.deleted,
    discussions_fetched: issues.discussions_fetched + mrs.discussions_fetched,
    notes_upserted: issues.notes_upserted + mrs.notes_upserted,
    events_fetched: issues.events_fetched + mrs.events_fetched,
    ingest_ms: Math.round(issues.ingest_ms + mrs.ingest_ms),
  };
}

export async function runIncrementalSync(
  input: IncrementalSyncInput,
  deps: IncrementalSyncDeps,
): Promise<IncrementalSyncResult> {
  const { db, client, shutdown } = deps;
  const signal = shutdown.signal;
  const mode = input.full ? "full" : "incremental";
  const runStartedAt = new Date().toISOString();
  // The lock comes first: a sync refused with SYNC_LOCKED leaves no run record behind.
  const lock = acquireSyncLock(db, { owner: `lore sync (${mode})` });
  const runId = startSyncRun(db, mode, input.projects);
  setSyncLockRun(db, runId);
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    deps.warn(message);
  };
  const results: ProjectResult[] = [];
  const totals = (partial: readonly ProjectResult[] = results) => ({
    ...totalsOf(partial),
    requests: client.metrics.requests,
    retries: client.metrics.retries,
  });
  let phase = "starting";
  const enter = (next: string, project?: string) => {
    phase = next;
    setSyncRunPhase(db, runId, next);
    deps.onPhase?.(next, project);
  };
  // A forced exit (second Ctrl-C) still leaves an honest record and a free lock.
  const removeHook = shutdown.onCleanup(() => {
    finishSyncRun(db, runId, "cancelled", `interrupted during ${phase}`);
    lock.release();
  });

  try {
    let docsRegenerated = 0;
    let docsEmbedded = 0;
    for (const path of input.projects) {
      enter("project", path);
      const project = await resolveProject(db, client, path, signal);
      const walk = {
        projectId: project.id,
        projectPath: project.path,
        full: input.full,
        overlapSeconds: input.overlapSeconds,
        runStartedAt,
      };
      let issues = emptyWalkCounters();
      let mrs = emptyWalkCounters();
      // Live counters reach the run record page by page, so an interrupted run still tells its progress.
      const ctx = (resource: "issues" | "merge_requests") => ({
        db,
        client,
        signal,
        warn,
        onProgress: (c: Readonly<WalkCounters>) => {
          if (resource === "issues") issues = c;
          else mrs = c;
          setSyncRunCounters(db, runId, totals([...results, projectResult(path, issues, mrs)]));
          deps.onProgress?.(path, resource, c);
        },
      });
      enter("issues", path);
      issues = await walkEntities(ctx("issues"), ISSUES, walk);
      enter("merge_requests", path);
      mrs = await walkEntities(ctx("merge_requests"), MERGE_REQUESTS, walk);
      results.push(projectResult(path, issues, mrs));
      setSyncRunCounters(db, runId, totals());
    }
    if (input.regenerateDocs) {
      enter("docs");
      const docs = await input.regenerateDocs(db, signal);
      docsRegenerated = docs.count;
      if (docs.warning) warn(docs.warning);
    }
    if (input.embed) {
      enter("embed");
      const embedded = await input.embed(db, signal);
      docsEmbedded = embedded.count;
      if (embedded.warning) warn(embedded.warning);
    }
    setSyncRunCounters(db, runId, {
      ...totals(),
      docs_regenerated: docsRegenerated,
      docs_embedded: docsEmbedded,
    });
    enter("done");
    finishSyncRun(db, runId, "succeeded");
    return {
      mode,
      run_id: runId,
      status: "succeeded",
      projects: results,
      docs_regenerated: docsRegenerated,
      docs_embedded: docsEmbedded,
      requests: client.metrics.requests,
      retries: client.metrics.retries,
      warnings,
    };
  } catch (error) {
    setSyncRunCounters(db, runId, totals());
    endRunWithError(db, runId, phase, error, signal);
  } finally {
    lock.release();
    removeHook();
  }
}

function totalsOf(results: readonly ProjectResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    for (const [k, v] of Object.entries(r)) if (typeof v === "number") out[k] = (out[k] ?? 0) + v;
  }
  return out;
}
