// `lore status`: paths, schema version, per-project counts and cursors, and the recent sync runs.

import { existsSync } from "node:fs";
import { usageError } from "../../../core/errors.js";
import { schemaVersion } from "../../../db/migrate.js";
import { recentSyncRuns } from "../../../db/sync-runs.js";
import { type ProjectStats, projectStats } from "../../../status/project-stats.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import type { Output } from "../../output.js";
import { formatRun, type RunView, toRunView } from "./runs-view.js";

export interface StatusData {
  readonly config_path: string;
  readonly config_present: boolean;
  readonly db_path: string;
  readonly db_exists: boolean;
  readonly schema_version: number;
  readonly projects: readonly ProjectStats[];
  readonly runs: readonly RunView[];
}

export async function runStatus(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<StatusData>> {
  const runsLimit = Number(invocation.options.runs ?? 10);
  if (!Number.isInteger(runsLimit) || runsLimit < 1)
    throw usageError(`--runs must be a positive integer, got ${String(invocation.options.runs)}`);
  const config = ctx.configIfPresent();
  if (!config && existsSync(ctx.configPath)) ctx.config(); // surfaces the CONFIG error naming the field
  const configured = config?.projects.map((p) => p.path) ?? [];
  const dbPath = ctx.dbPath();
  const dbExists = existsSync(dbPath);
  let data: StatusData = {
    config_path: ctx.configPath,
    config_present: config !== undefined,
    db_path: dbPath,
    db_exists: dbExists,
    schema_version: 0,
    projects: configured.map((project) => emptyStats(project)),
    runs: [],
  };
  if (dbExists) {
    const db = await ctx.readDb();
    data = {
      ...data,
      schema_version: schemaVersion(db),
      projects: projectStats(db, configured),
      runs: recentSyncRuns(db, runsLimit).map(toRunView),
    };
  }
  return { data, render: (out) => renderStatus(out, data) };
}

function emptyStats(project: string): ProjectStats {
  return {
    project,
    project_id: null,
    issues: 0,
    mrs: 0,
    discussions: 0,
    notes: 0,
    documents: 0,
    dirty: 0,
    embedded: 0,
    last_synced_at: null,
    cursors: { issues: null, merge_requests: null },
  };
}

function renderStatus(out: Output, data: StatusData): void {
  const s = out.style;
  out.line(
    `${s.bold("Config:")}   ${data.config_path}${data.config_present ? "" : s.yellow(" (missing: run lore init)")}`,
  );
  out.line(
    `${s.bold("Database:")} ${data.db_path}${data.db_exists ? s.dim(` (schema v${data.schema_version})`) : s.yellow(" (not created yet: run lore sync)")}`,
  );
  for (const p of data.projects) {
    out.line("");
    out.line(s.bold(p.project));
    out.line(
      `  ${p.issues} issues, ${p.mrs} MRs, ${p.discussions} discussions, ${p.notes} notes; ${p.documents} documents (${p.dirty} dirty, ${p.embedded} embedded)`,
    );
    const cursor = (c: { updated_at: string } | null) => (c ? c.updated_at : s.dim("never"));
    out.line(
      `  cursors: issues ${cursor(p.cursors.issues ?? null)}, MRs ${cursor(p.cursors.merge_requests ?? null)}`,
    );
    out.line(`  last synced: ${p.last_synced_at ?? s.dim("never")}`);
  }
  if (data.runs.length > 0) {
    out.line("");
    out.line(s.bold("Recent sync runs"));
    for (const run of data.runs) out.line(`  ${formatRun(run, s)}`);
  }
}
