// The robot and human view of one sync run, shared by `lore status`.

import type { RequestedIids, SyncRunRow } from "../../../db/sync-runs.js";
import { plural } from "../../format/count.js";
import type { Column } from "../../format/table.js";
import { formatDuration } from "../../format/time.js";
import type { Output } from "../../output.js";

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

/** What a run did, in a few words: "12 issues, 3 merge requests, 40 documents". */
export function runSummary(run: RunView): string {
  const c = run.counters;
  const parts: string[] = [];
  if (run.requested) {
    parts.push(
      [...run.requested.issues.map((i) => `#${i}`), ...run.requested.mrs.map((i) => `!${i}`)].join(" "),
    );
  }
  const counted: [key: string, one: string, many?: string][] = [
    ["issues_fetched", "issue"],
    ["mrs_fetched", "merge request"],
    ["notes_upserted", "note"],
    ["docs_regenerated", "document"],
    ["docs_embedded", "embedding", "embeddings"],
  ];
  const amounts = counted
    .filter(([key]) => (c[key] ?? 0) > 0)
    .map(([key, one, many]) => plural(c[key] ?? 0, one, many));
  if (amounts.length > 0) parts.push(amounts.join(", "));
  else if (run.status === "succeeded" && !run.requested) parts.push("nothing new");
  if ((c.skipped_stale ?? 0) > 0)
    parts.push(`${plural(c.skipped_stale ?? 0, "stale copy", "stale copies")} skipped`);
  if (run.warnings.length > 0) parts.push(plural(run.warnings.length, "warning"));
  return parts.join(" · ");
}

/** The run's duration so far or in all; "?" when its end was never recorded. */
function runDuration(run: RunView, now: number): string {
  const started = Date.parse(run.started_at);
  const ended = run.finished_at ?? run.cancelled_at;
  if (ended) return formatDuration(Date.parse(ended) - started);
  return run.status === "running" ? formatDuration(now - started) : "?";
}

/** The run history as a table: newest first, one line per run. */
export function runColumns(out: Output, now: number = Date.now()): Column<RunView>[] {
  const s = out.style;
  const statusPaint = (text: string, run: RunView) =>
    run.status === "succeeded" ? s.green(text) : run.status === "running" ? s.cyan(text) : s.red(text);
  return [
    { header: "RUN", text: (r) => `#${r.run_id}`, align: "right" },
    { header: "STARTED", text: (r) => out.time(r.started_at), paint: (t) => s.dim(t) },
    { header: "MODE", text: (r) => r.mode },
    {
      header: "STATUS",
      text: (r) => (r.status === "succeeded" || !r.phase ? r.status : `${r.status} at ${r.phase}`),
      paint: statusPaint,
    },
    { header: "TOOK", text: (r) => runDuration(r, now), align: "right" },
    {
      header: "DETAIL",
      text: (r) => [runSummary(r), r.error ?? ""].filter((t) => t !== "").join(" · "),
      shrink: true,
      minWidth: 20,
    },
  ];
}
