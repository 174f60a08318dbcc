// `lore sync` (incremental or --full) as one recorded run: first, once after an upgrade, the
// cross-references of entities stored before lore kept them (offline), and the documents an earlier
// run left queued; then per project, resolve it, then walk its issues and merge requests at once
// (they share the client's concurrency), regenerating documents as entities land; then the
// documents left in the queue and the embeddings.

import { cancelledError, isCancellation } from "../core/errors.js";
import type { Db } from "../db/open.js";
import { hasPendingDocuments } from "../documents/pending.js";
import type { EntityRef } from "../documents/sources.js";
import type { GitLabClient, ListTotal } from "../gitlab/client.js";
import { PER_PAGE } from "../gitlab/paginate.js";
import { backfillReferences, referencesBackfillPending } from "../history/reference-backfill.js";
import { ISSUES, MERGE_REQUESTS } from "./entity-kinds.js";
import { emptyWalkCounters, type WalkCounters, walkEntities } from "./incremental.js";
import type { PostIngestStages, StageProgress } from "./post-stages.js";
import type { ProjectPrefetch } from "./project-prefetch.js";
import { resolveProject } from "./projects.js";
import { type RunHooks, withSyncRun } from "./run.js";

const PROGRESS_INTERVAL_MS = 250;

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

export interface IncrementalSyncInput {
  readonly projects: readonly string[];
  readonly full: boolean;
  readonly overlapSeconds: number;
  readonly stages: PostIngestStages;
  /** Warnings known before the run (e.g. anonymous access), recorded with the run's own. */
  readonly warnings?: readonly string[] | undefined;
  /** A project's answer already requested (see project-prefetch.ts); its owner cancels it after the run. */
  readonly prefetched?: ProjectPrefetch | undefined;
}

export interface WalkProgress {
  readonly project: string;
  readonly issues: Readonly<WalkCounters>;
  readonly mrs: Readonly<WalkCounters>;
  /** How many each walk will list, once GitLab has told (asked only for long walks). */
  readonly totals: { readonly issues?: ListTotal | undefined; readonly mrs?: ListTotal | undefined };
  /** The walks are over: these are the project's final counters. */
  readonly done: boolean;
}

export interface IncrementalSyncDeps extends RunHooks {
  readonly db: Db;
  readonly client: GitLabClient;
  readonly onProgress?: ((progress: WalkProgress) => void) | undefined;
  /** Entities whose references the one-off backfill has derived so far, of how many. */
  readonly onBackfillProgress?: ((done: number, total: number) => void) | undefined;
  /** The docs and embed stages' progress. */
  readonly onStageProgress?: ((stage: "docs" | "embed", progress: StageProgress) => void) | undefined;
  /**
   * Ask GitLab how many issues and merge requests a walk will list (two more requests per
   * project), for progress with a goal. Asked only when a walk's first page is full: an
   * unchanged project still costs three requests, a short walk nothing more.
   */
  readonly wantTotals?: boolean | undefined;
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

export function runIncrementalSync(
  input: IncrementalSyncInput,
  deps: IncrementalSyncDeps,
): Promise<IncrementalSyncResult> {
  const { db, client, signal } = deps;
  const mode = input.full ? "full" : "incremental";
  const start = { mode, projects: input.projects, warnings: input.warnings, lock: true } as const;
  return withSyncRun(db, start, deps, async (run) => {
    const results: ProjectResult[] = [];
    let current: ProjectResult | undefined;
    let docsRegenerated = 0;
    let docsEmbedded = 0;
    let referencesBackfilled = 0;
    run.track(() => ({
      ...totalsOf(current ? [...results, current] : results),
      docs_regenerated: docsRegenerated,
      docs_embedded: docsEmbedded,
      references_backfilled: referencesBackfilled,
      requests: client.metrics.requests,
      retries: client.metrics.retries,
    }));
    const docs = input.stages.docs;
    // Documents of the entities just written are regenerated while the walks wait on the network.
    const regenerate = docs
      ? async (entities: readonly EntityRef[]) => {
          const { entitySources } = await import("../documents/sources.js");
          docsRegenerated += (await docs(db, entitySources(db, entities), signal)).count;
        }
      : undefined;

    if (referencesBackfillPending(db)) {
      await run.enter("references");
      const backfill = await backfillReferences(db, { signal, onProgress: deps.onBackfillProgress });
      referencesBackfilled = backfill.entities;
    }

    // Documents an interrupted (or --no-docs) run left queued are built first, so that search is
    // whole again even if this run then fails on the network.
    if (docs && hasPendingDocuments(db)) {
      await run.enter("docs");
      docsRegenerated += (await docs(db, "queued", signal)).count;
    }
    for (const path of input.projects) {
      await run.enter("project", path);
      const project = await resolveProject(db, client, path, signal, input.prefetched);
      const issues = emptyWalkCounters();
      const mrs = emptyWalkCounters();
      const walk = {
        projectId: project.id,
        projectPath: project.path,
        full: input.full,
        overlapSeconds: input.overlapSeconds,
        runStartedAt: run.startedAt,
      };
      const totals: { issues?: ListTotal | undefined; mrs?: ListTotal | undefined } = {};
      const report = (done: boolean) => deps.onProgress?.({ project: path, issues, mrs, totals, done });
      // Live counters reach the run record as entities land (a few times a second), so an
      // interrupted run still tells its progress.
      let savedAt = 0;
      const onProgress = () => {
        current = projectResult(path, issues, mrs);
        if (performance.now() - savedAt >= PROGRESS_INTERVAL_MS) {
          savedAt = performance.now();
          run.save();
        }
        report(false);
      };
      const counting = new AbortController();
      let counted = false;
      const onFirstPage = (size: number, updatedAfter: string | undefined) => {
        if (!deps.wantTotals || counted || size < PER_PAGE) return;
        counted = true;
        const call = { updatedAfter, signal: AbortSignal.any([signal, counting.signal]) };
        // A count that fails or comes late only costs the progress its goal, never the sync.
        const count = (kind: "issues" | "mrs", total: Promise<ListTotal | undefined>) =>
          total.then(
            (value) => {
              totals[kind] = value;
              report(false);
            },
            () => undefined,
          );
        void count("issues", client.issueCount(project.id, call));
        void count("mrs", client.mergeRequestCount(project.id, call));
      };
      await run.enter("entities", path);
      try {
        await walkBoth(signal, (walkSignal) => {
          const context = {
            db,
            client,
            signal: walkSignal,
            warn: run.warn,
            onProgress,
            onStored: regenerate,
            onFirstPage,
          };
          return [
            walkEntities(context, ISSUES, walk, issues),
            walkEntities(context, MERGE_REQUESTS, walk, mrs),
          ];
        });
      } finally {
        counting.abort(cancelledError());
      }
      current = undefined;
      results.push(projectResult(path, issues, mrs));
      run.save();
      report(true);
    }
    if (docs) {
      await run.enter("docs");
      // Documents written during the walks count too, so the stage's last line and the summary agree.
      const before = docsRegenerated;
      const result = await docs(db, "queued", signal, (p) =>
        deps.onStageProgress?.("docs", { ...p, written: before + p.written }),
      );
      docsRegenerated += result.count;
      if (result.warning) run.warn(result.warning);
    }
    if (input.stages.embed) {
      await run.enter("embed");
      const result = await input.stages.embed(db, "queued", signal, (p) =>
        deps.onStageProgress?.("embed", p),
      );
      docsEmbedded = result.count;
      if (result.warning) run.warn(result.warning);
    }
    return {
      mode,
      run_id: run.id,
      status: "succeeded",
      projects: results,
      docs_regenerated: docsRegenerated,
      docs_embedded: docsEmbedded,
      requests: client.metrics.requests,
      retries: client.metrics.retries,
      warnings: run.warnings,
    };
  });
}

/**
 * Runs the issue and merge request walks side by side. When one fails the other is stopped, and
 * the failure (not the stop it caused) is what the run reports.
 */
async function walkBoth(
  signal: AbortSignal,
  start: (walkSignal: AbortSignal) => readonly Promise<void>[],
): Promise<void> {
  const stop = new AbortController();
  const forward = () => stop.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  try {
    const walks = start(stop.signal).map((walk) =>
      walk.catch((error: unknown) => {
        stop.abort(cancelledError());
        throw error;
      }),
    );
    const failures = (await Promise.allSettled(walks))
      .filter((w): w is PromiseRejectedResult => w.status === "rejected")
      .map((w) => w.reason as unknown);
    const failure = failures.find((error) => !isCancellation(error)) ?? failures[0];
    if (failure !== undefined) throw failure;
  } finally {
    signal.removeEventListener("abort", forward);
  }
}

function totalsOf(results: readonly ProjectResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    for (const [k, v] of Object.entries(r)) if (typeof v === "number") out[k] = (out[k] ?? 0) + v;
  }
  return out;
}
