// The robot and human view of one sync run, shared by `lore status`.

import type { RequestedIids, SyncRunRow } from "../../../db/sync-runs.js";
import type { Style } from "../../output.js";

export interface RunView {
  readonly run_id: number;
  readonly mode: string;
  readonly status: string;
  readonly phase: string | null;
  readonly projects: readonly string[];
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly cancelled_at: string | null;
  readonly requested: RequestedIids | null;
  readonly counters: Record<string, number>;
  readonly warnings: readonly string[];
  readonly error: string | null;
}

export function toRunView(row: SyncRunRow): RunView {
  return {
    run_id: row.id,
    mode: row.mode,
    status: row.status,
    phase: row.phase,
    projects: row.project_paths,
    started_at: row.started_at,
    finished_at: row.finished_at,
    cancelled_at: row.cancelled_at,
    requested: row.requested,
    counters: row.counters,
    warnings: row.warnings,
    error: row.error,
  };
}

export function formatRun(run: RunView, s: Style): string {
  const colour = run.status === "succeeded" ? s.green : run.status === "running" ? s.cyan : s.red;
  const counters = Object.entries(run.counters)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  const phase = run.status === "succeeded" ? "" : ` at ${run.phase ?? "?"}`;
  const requested = run.requested;
  const iids = requested
    ? ` ${[...requested.issues.map((i) => `#${i}`), ...requested.mrs.map((i) => `!${i}`)].join(" ")}`
    : "";
  return `#${run.run_id} ${run.started_at} ${run.mode}${iids} ${colour(run.status)}${phase} ${s.dim(counters)}${run.error ? ` ${s.red(run.error)}` : ""}`;
}
