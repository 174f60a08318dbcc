// Records every sync run: mode, status, phase, requested IIDs, counters, warnings and error, so
// `lore status` can show them and an interrupted run is never mistaken for a finished one.

import { hostname } from "node:os";
import { isProcessAlive } from "../core/process.js";
import type { Db } from "./open.js";
import { perConnection } from "./statements.js";

export type RunMode = "incremental" | "full" | "surgical";
export type RunStatus = "running" | "succeeded" | "failed" | "cancelled";
export type Counters = Record<string, number>;

/** Counters kept as their own columns (queryable); any others live in counters_json only. */
export const COUNTER_COLUMNS = [
  "issues_fetched",
  "mrs_fetched",
  "issues_ingested",
  "mrs_ingested",
  "skipped_stale",
  "discussions_fetched",
  "notes_upserted",
  "events_fetched",
  "docs_regenerated",
  "docs_embedded",
] as const;

export interface RequestedIids {
  readonly issues: readonly number[];
  readonly mrs: readonly number[];
}

export interface SyncRunRow {
  readonly id: number;
  readonly mode: RunMode;
  readonly status: RunStatus;
  readonly phase: string | null;
  readonly project_paths: readonly string[];
  readonly requested: RequestedIids | null;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly cancelled_at: string | null;
  readonly error: string | null;
  readonly counters: Counters;
  readonly warnings: readonly string[];
}

export function startSyncRun(
  db: Db,
  mode: RunMode,
  projectPaths: readonly string[],
  options: { phase?: string; requested?: RequestedIids } = {},
): number {
  failAbandonedRuns(db);
  const result = db
    .prepare(
      "INSERT INTO sync_runs (mode, status, phase, project_paths_json, surgical_iids_json, started_at, pid, hostname) VALUES (?, 'running', ?, ?, ?, ?, ?, ?)",
    )
    .run(
      mode,
      options.phase ?? "starting",
      JSON.stringify(projectPaths),
      options.requested ? JSON.stringify(options.requested) : null,
      new Date().toISOString(),
      process.pid,
      hostname(),
    );
  return Number(result.lastInsertRowid);
}

/** A run left 'running' by a process on this machine that is gone (killed, crashed). */
function isAbandoned(run: { status: string; pid: number | null; hostname: string | null }): boolean {
  return (
    run.status === "running" &&
    run.pid !== null &&
    run.hostname === hostname() &&
    run.pid !== process.pid &&
    !isProcessAlive(run.pid)
  );
}

const abandonedError = (pid: number) => `the lore process (pid ${pid}) ended without finishing this run`;

/**
 * Marks failed the runs still 'running' whose process on this machine is gone, so neither
 * `lore status` nor an agent mistakes them for syncs in progress. Returns how many.
 */
export function failAbandonedRuns(db: Db): number {
  const running = db
    .prepare("SELECT id, status, pid, hostname FROM sync_runs WHERE status = 'running' AND hostname = ?")
    .all(hostname()) as { id: number; status: string; pid: number | null; hostname: string | null }[];
  let failed = 0;
  for (const run of running) {
    if (!isAbandoned(run)) continue;
    finishSyncRun(db, run.id, "failed", abandonedError(run.pid as number));
    failed += 1;
  }
  return failed;
}

// Written while a run goes on (phase, counters a few times a second, warnings): prepared once.
const updates = perConnection((db) => ({
  phase: db.prepare<[string, number]>("UPDATE sync_runs SET phase = ? WHERE id = ?"),
  counters: db.prepare(
    `UPDATE sync_runs SET counters_json = @json, ${COUNTER_COLUMNS.map((c) => `${c} = @${c}`).join(", ")} WHERE id = @id`,
  ),
  warnings: db.prepare<[string, number]>("UPDATE sync_runs SET warnings_json = ? WHERE id = ?"),
}));

export function setSyncRunPhase(db: Db, runId: number, phase: string): void {
  updates(db).phase.run(phase, runId);
}

export function setSyncRunCounters(db: Db, runId: number, counters: Counters): void {
  const values = Object.fromEntries(COUNTER_COLUMNS.map((c) => [c, counters[c] ?? 0]));
  updates(db).counters.run({ ...values, json: JSON.stringify(counters), id: runId });
}

export function setSyncRunWarnings(db: Db, runId: number, warnings: readonly string[]): void {
  updates(db).warnings.run(JSON.stringify(warnings), runId);
}

/** Ends a running run; a cancelled one also records when. Finishing twice keeps the first outcome. */
export function finishSyncRun(
  db: Db,
  runId: number,
  status: Exclude<RunStatus, "running">,
  error: string | null = null,
): void {
  const now = new Date().toISOString();
  db.prepare(
    "UPDATE sync_runs SET status = ?, error = ?, finished_at = ?, cancelled_at = ? WHERE id = ? AND status = 'running'",
  ).run(status, error, now, status === "cancelled" ? now : null, runId);
}

interface RawRun {
  id: number;
  mode: RunMode;
  status: RunStatus;
  phase: string | null;
  project_paths_json: string;
  surgical_iids_json: string | null;
  started_at: string;
  finished_at: string | null;
  cancelled_at: string | null;
  error: string | null;
  counters_json: string;
  warnings_json: string;
  pid: number | null;
  hostname: string | null;
}

/**
 * The latest runs, newest first. Reads only (status may run on a read-only database): a run whose
 * process died is shown failed, as the next sync will record it.
 */
export function recentSyncRuns(db: Db, limit = 10): SyncRunRow[] {
  const rows = db
    .prepare(
      `SELECT id, mode, status, phase, project_paths_json, surgical_iids_json, started_at, finished_at, cancelled_at,
              error, counters_json, warnings_json, pid, hostname
       FROM sync_runs ORDER BY id DESC LIMIT ?`,
    )
    .all(limit) as RawRun[];
  return rows.map((row) => {
    const abandoned = isAbandoned(row);
    return {
      id: row.id,
      mode: row.mode,
      status: abandoned ? "failed" : row.status,
      phase: row.phase,
      project_paths: JSON.parse(row.project_paths_json) as string[],
      requested: row.surgical_iids_json ? (JSON.parse(row.surgical_iids_json) as RequestedIids) : null,
      started_at: row.started_at,
      finished_at: row.finished_at,
      cancelled_at: row.cancelled_at,
      error: abandoned ? abandonedError(row.pid as number) : row.error,
      counters: JSON.parse(row.counters_json) as Counters,
      warnings: JSON.parse(row.warnings_json) as string[],
    };
  });
}
