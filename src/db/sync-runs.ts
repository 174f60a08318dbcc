// Records every sync run: mode, status, phase, counters and error, so `lore status` can show them
// and an interrupted run is never mistaken for a finished one.

import type { Db } from "./open.js";

export type RunMode = "incremental" | "full" | "surgical";
export type RunStatus = "running" | "succeeded" | "failed" | "cancelled";
export type Counters = Record<string, number>;

export interface SyncRunRow {
  readonly id: number;
  readonly mode: RunMode;
  readonly status: RunStatus;
  readonly phase: string | null;
  readonly project_paths: readonly string[];
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly error: string | null;
  readonly counters: Counters;
}

export function startSyncRun(
  db: Db,
  mode: RunMode,
  projectPaths: readonly string[],
  phase = "starting",
): number {
  const result = db
    .prepare(
      "INSERT INTO sync_runs (mode, status, phase, project_paths_json, started_at, pid) VALUES (?, 'running', ?, ?, ?, ?)",
    )
    .run(mode, phase, JSON.stringify(projectPaths), new Date().toISOString(), process.pid);
  return Number(result.lastInsertRowid);
}

export function setSyncRunPhase(db: Db, runId: number, phase: string): void {
  db.prepare("UPDATE sync_runs SET phase = ? WHERE id = ?").run(phase, runId);
}

export function setSyncRunCounters(db: Db, runId: number, counters: Counters): void {
  db.prepare("UPDATE sync_runs SET counters_json = ? WHERE id = ?").run(JSON.stringify(counters), runId);
}

export function finishSyncRun(
  db: Db,
  runId: number,
  status: Exclude<RunStatus, "running">,
  error: string | null = null,
): void {
  db.prepare(
    "UPDATE sync_runs SET status = ?, error = ?, finished_at = ? WHERE id = ? AND status = 'running'",
  ).run(status, error, new Date().toISOString(), runId);
}

interface RawRun {
  id: number;
  mode: RunMode;
  status: RunStatus;
  phase: string | null;
  project_paths_json: string;
  started_at: string;
  finished_at: string | null;
  error: string | null;
  counters_json: string;
}

export function recentSyncRuns(db: Db, limit = 10): SyncRunRow[] {
  const rows = db
    .prepare(
      "SELECT id, mode, status, phase, project_paths_json, started_at, finished_at, error, counters_json FROM sync_runs ORDER BY id DESC LIMIT ?",
    )
    .all(limit) as RawRun[];
  return rows.map((row) => ({
    id: row.id,
    mode: row.mode,
    status: row.status,
    phase: row.phase,
    project_paths: JSON.parse(row.project_paths_json) as string[],
    started_at: row.started_at,
    finished_at: row.finished_at,
    error: row.error,
    counters: JSON.parse(row.counters_json) as Counters,
  }));
}
