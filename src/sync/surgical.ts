// Surgical sync: refresh named issues and MRs with everything they carry, in about one round trip.
// Stages, each doing what its name says:
//   preflight — batched `iids[]` lists (and the project, when not known locally) validate every IID
//               and bring the entities; nothing is written;
//   fetch     — every entity's dependents (discussions, events, links). Their requests go out with
//               the preflight's (they need only the IIDs), so both share one round trip; when
//               preflight fails they are aborted and nothing is written;
//   ingest    — each entity written with its dependents in one monotonic transaction, through the
//               same entity writer as incremental sync (a newer local copy is kept);
//   docs, embed — scoped to the written entities and their threads.
// It neither takes the sync lock nor moves cursors: monotonic writes make interleaving harmless.
// Callable in-process (read commands, an MCP server) with injected client, stages and hooks.

import { cancelledError, isLoreError, LoreError, throwIfCancelled } from "../core/errors.js";
import type { Db } from "../db/open.js";
import type { RequestedIids } from "../db/sync-runs.js";
import type { EntityRef } from "../documents/sources.js";
import { collectPages, type GitLabClient, type InvalidItem, type ProjectRef } from "../gitlab/client.js";
import type { GitLabProject } from "../gitlab/schemas.js";
import type { Dependents } from "./dependents.js";
import { type Entity, type EntityKind, ISSUES, MERGE_REQUESTS } from "./entity-kinds.js";
import {
  type EntityCopy,
  type EntityCounters,
  emptyEntityCounters,
  type FetchedDependents,
  planEntity,
  settleDependents,
  staleWarning,
  updatedAtOf,
  vanishedWarning,
  writeEntity,
} from "./entity-writer.js";
import type { PostIngestStages } from "./post-stages.js";
import { upsertProject } from "./projects.js";
import { type RunHooks, withSyncRun } from "./run.js";

export const SURGICAL_STAGES = ["preflight", "fetch", "ingest", "docs", "embed"] as const;
export type SurgicalStage = (typeof SURGICAL_STAGES)[number];

export interface SurgicalInput {
  readonly project: string;
  readonly issues: readonly number[];
  readonly mrs: readonly number[];
  readonly dryRun: boolean;
  readonly stages: PostIngestStages;
  /** Warnings known before the run (e.g. anonymous access), recorded with the run's own. */
  readonly warnings?: readonly string[] | undefined;
}

export interface SurgicalDeps extends RunHooks {
  readonly db: Db;
  readonly client: GitLabClient;
}

/** found: validated by a dry run; ingested: written with fresh dependents; vanished: 404 after preflight. */
export type EntityStatus = "ingested" | "skipped_stale" | "vanished" | "skipped_invalid" | "found";

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

interface Item {
  readonly copy: EntityCopy;
  readonly outcome: EntityOutcome;
  fetched?: FetchedDependents;
}

const NOT_FOUND_REASON = "not found or not visible with this token";

export function runSurgicalSync(input: SurgicalInput, deps: SurgicalDeps): Promise<SurgicalResult> {
  const { db, client, signal } = deps;
  const requested: RequestedIids = { issues: [...input.issues], mrs: [...input.mrs] };
  const start = {
    mode: "surgical",
    projects: [input.project],
    requested,
    warnings: input.warnings,
    lock: false,
  } as const;
  return withSyncRun(db, start, deps, async (run) => {
    const byKind = { issue: emptyEntityCounters(), merge_request: emptyEntityCounters() };
    const counters = (): SurgicalCounters => surgicalCounters(byKind, docs, embedded);
    let docs = 0;
    let embedded = 0;
    run.track(() => ({ ...counters(), requests: client.metrics.requests, retries: client.metrics.retries }));
    const stages: { name: SurgicalStage; elapsed_ms: number }[] = [];
    const stage = async <T>(name: SurgicalStage, work: () => Promise<T> | T): Promise<T> => {
      await run.enter(name);
      const started = performance.now();
      try {
        return await work();
      } finally {
        stages.push({ name, elapsed_ms: Math.round(performance.now() - started) });
      }
    };

    const known = knownProject(db, input.project);
    const early = input.dryRun
      ? undefined
      : requestDependents(client, known?.id ?? input.project, input, signal);
    const preflight = await stage("preflight", () => preflightFetch(db, client, input, signal, known)).catch(
      (error: unknown) => {
        early?.abort();
        throw error;
      },
    );
    const items = preflight.items;
    byKind.issue.fetched = items.filter((i) => i.copy.kind === ISSUES).length;
    byKind.merge_request.fetched = items.filter((i) => i.copy.kind === MERGE_REQUESTS).length;

    if (early) {
      await stage("fetch", () => fetchDependents(db, items, early, signal));
      const written = await stage("ingest", () =>
        ingest(db, preflight.project, items, byKind, run.warn, signal),
      );
      const { entitySources } = await import("../documents/sources.js");
      const sources = entitySources(db, written);
      const { docs: regenerate, embed } = input.stages;
      if (regenerate) {
        await stage("docs", async () => {
          docs = (await regenerate(db, sources, signal)).count;
        });
      }
      if (embed) {
        await stage("embed", async () => {
          const result = await embed(db, sources, signal);
          embedded = result.count;
          if (result.warning) run.warn(result.warning);
        });
      }
    }
    return {
      mode: "surgical",
      run_id: run.id,
      project: preflight.project.path,
      status: "succeeded",
      dry_run: input.dryRun,
      requested,
      counters: counters(),
      entities: items.map((i) => i.outcome),
      stages,
      warnings: run.warnings,
      requests: client.metrics.requests,
    };
  });
}

function surgicalCounters(
  byKind: { readonly issue: EntityCounters; readonly merge_request: EntityCounters },
  docs: number,
  embedded: number,
): SurgicalCounters {
  const { issue, merge_request: mr } = byKind;
  return {
    issues_fetched: issue.fetched,
    mrs_fetched: mr.fetched,
    // An entity identical to the stored copy is still ingested: its dependents were refreshed.
    issues_ingested: issue.ingested + issue.unchanged,
    mrs_ingested: mr.ingested + mr.unchanged,
    skipped_stale: issue.skipped_stale + mr.skipped_stale,
    discussions_fetched: issue.discussions_fetched + mr.discussions_fetched,
    notes_upserted: issue.notes_upserted + mr.notes_upserted,
    events_fetched: issue.events_fetched + mr.events_fetched,
    docs_regenerated: docs,
    docs_embedded: embedded,
  };
}

interface Preflight {
  readonly project: { readonly id: number; readonly path: string; readonly fetched?: GitLabProject };
  readonly items: readonly Item[];
}

/**
 * Validates every requested IID on GitLab before anything is written: the project (only when not
 * known locally) and batched `iids[]` lists for issues and MRs, all concurrently. Any missing or
 * unreadable IID fails the whole run with SURGICAL_PREFLIGHT_FAILED naming each one.
 */
export async function preflightFetch(
  db: Db,
  client: GitLabClient,
  input: Pick<SurgicalInput, "project" | "issues" | "mrs">,
  signal: AbortSignal,
  known: KnownProject | undefined = knownProject(db, input.project),
): Promise<Preflight> {
  const projectRef = known?.id ?? input.project;
  const invalid: { type: "issue" | "merge_request"; item: InvalidItem }[] = [];
  const list = <T extends Entity>(kind: EntityKind<T>, iids: readonly number[]) =>
    iids.length === 0
      ? Promise.resolve([] as T[])
      : collectPages(
          kind.list(client, projectRef as number, {
            iids,
            signal,
            onInvalid: (item) => invalid.push({ type: kind.type, item }),
          }),
        );

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

  const reasonFor = (type: "issue" | "merge_request", iid: number) => {
    const bad = invalid.find((i) => i.type === type && i.item.iid === iid);
    return bad
      ? `GitLab's answer has an unexpected shape (${bad.item.problems.join("; ")})`
      : NOT_FOUND_REASON;
  };
  const byIid = (entities: readonly Entity[]) => new Map(entities.map((entity) => [entity.iid, entity]));
  const issueMap = byIid(issues);
  const mrMap = byIid(mrs);
  const failures = [
    ...input.issues
      .filter((iid) => !issueMap.has(iid))
      .map((iid) => failure("issue", iid, project.path, reasonFor("issue", iid))),
    ...input.mrs
      .filter((iid) => !mrMap.has(iid))
      .map((iid) => failure("merge_request", iid, project.path, reasonFor("merge_request", iid))),
  ];
  if (failures.length > 0) throw preflightFailed(project.path, failures);

  const fetchedAt = new Date().toISOString();
  const items: Item[] = [];
  const add = (kind: EntityKind, map: Map<number, Entity>, iids: readonly number[]) => {
    for (const iid of iids) {
      const entity = map.get(iid) as Entity;
      const copy: EntityCopy = { kind, entity, projectId: project.id, projectPath: project.path, fetchedAt };
      items.push({
        copy,
        outcome: {
          entity_type: kind.type,
          iid,
          status: "found",
          title: entity.title,
          updated_at: updatedAtOf(entity),
          web_url: entity.web_url,
          local_updated_at: storedUpdatedAt(db, kind, entity.id),
          changed: null,
        },
      });
    }
  };
  add(ISSUES, issueMap, input.issues);
  add(MERGE_REQUESTS, mrMap, input.mrs);
  return { project, items };
}

interface KnownProject {
  readonly id: number;
  readonly path: string;
}

function knownProject(db: Db, path: string): KnownProject | undefined {
  return db
    .prepare(
      "SELECT id, path_with_namespace AS path FROM projects WHERE lower(path_with_namespace) = lower(?)",
    )
    .get(path) as KnownProject | undefined;
}

interface EarlyDependents {
  get(kind: EntityKind, iid: number): Promise<Dependents>;
  abort(): void;
}

/**
 * Requests every requested entity's dependents at once, before preflight has answered: they need
 * only the project and the IID. An issue's closing MRs are asked for too, since GitLab's count of
 * them arrives with the entity — one request more per issue that has none, one round trip less.
 */
function requestDependents(
  client: GitLabClient,
  project: ProjectRef,
  input: Pick<SurgicalInput, "issues" | "mrs">,
  signal: AbortSignal,
): EarlyDependents {
  const stop = new AbortController();
  const forward = () => stop.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  const requests = new Map<string, Promise<Dependents>>();
  const start = (kind: EntityKind, iids: readonly number[]) => {
    for (const iid of iids) {
      const request = kind.fetchDependents(client, project, { iid }, stop.signal);
      request.catch(() => {}); // awaited in the fetch stage; this only keeps an early failure quiet
      requests.set(`${kind.type}:${iid}`, request);
    }
  };
  start(ISSUES, input.issues);
  start(MERGE_REQUESTS, input.mrs);
  const settled = Promise.allSettled(requests.values()).finally(() =>
    signal.removeEventListener("abort", forward),
  );
  settled.catch(() => {});
  return {
    get: (kind, iid) =>
      requests.get(`${kind.type}:${iid}`) ?? Promise.reject(new Error(`no request for ${iid}`)),
    abort: () => stop.abort(cancelledError()),
  };
}

function storedUpdatedAt(db: Db, kind: EntityKind, id: number): string | null {
  const row = db.prepare(`SELECT updated_at FROM ${kind.table} WHERE id = ?`).get(id) as
    | { updated_at: string }
    | undefined;
  return row?.updated_at ?? null;
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
 * Waits for every entity's dependents (requested during preflight). An entity whose stored copy is
 * already newer needs none: ingest keeps the stored copy.
 */
async function fetchDependents(
  db: Db,
  items: readonly Item[],
  early: EarlyDependents,
  signal: AbortSignal,
): Promise<void> {
  await Promise.all(
    items.map(async (item) => {
      if (planEntity(db, item.copy, { refresh: true, overlapSeconds: 0 }) === "stale") return;
      item.fetched = await settleDependents(early.get(item.copy.kind, item.outcome.iid), item.copy);
    }),
  );
  throwIfCancelled(signal);
}

/**
 * Writes each entity with its dependents in one transaction through the shared entity writer;
 * returns the entities written. The project row comes first when preflight fetched it.
 */
function ingest(
  db: Db,
  project: Preflight["project"],
  items: readonly Item[],
  byKind: { readonly issue: EntityCounters; readonly merge_request: EntityCounters },
  warn: (message: string) => void,
  signal: AbortSignal,
): EntityRef[] {
  if (project.fetched) {
    const row = project.fetched;
    db.transaction(() => upsertProject(db, row, new Date().toISOString())).immediate();
  }
  const written: EntityRef[] = [];
  for (const item of items) {
    throwIfCancelled(signal);
    const counters = byKind[item.copy.kind.type];
    const fetched = item.fetched;
    if (fetched === undefined) {
      // Planned stale: the stored copy is newer than GitLab's answer.
      counters.skipped_stale += 1;
      markStale(item, { localUpdatedAt: item.outcome.local_updated_at ?? "" }, warn);
      continue;
    }
    if (fetched.status === "vanished") {
      counters.vanished += 1;
      item.outcome.status = "vanished";
      warn(vanishedWarning(item.copy));
      continue;
    }
    if (fetched.status === "invalid") {
      counters.skipped_invalid += 1;
      item.outcome.status = "skipped_invalid";
      warn(fetched.warning);
      continue;
    }
    db.transaction(() => {
      const outcome = writeEntity(db, item.copy, fetched.dependents, counters);
      if (outcome.status === "skipped_stale") {
        markStale(item, outcome, warn);
        return;
      }
      item.outcome.status = "ingested";
      item.outcome.changed = outcome.changed;
      written.push({ type: item.copy.kind.type, id: item.copy.entity.id });
    }).immediate();
  }
  return written;
}

function markStale(
  item: Item,
  local: { readonly localUpdatedAt: string; readonly localFetchedAt?: string },
  warn: (message: string) => void,
): void {
  item.outcome.status = "skipped_stale";
  item.outcome.local_updated_at = local.localUpdatedAt;
  warn(staleWarning(item.copy, local));
}
