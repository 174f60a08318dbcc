// `lore status`: paths, schema version, per-project counts and cursors, and the recent sync runs.

import { existsSync } from "node:fs";
import { usageError } from "../../../core/errors.js";
import { schemaVersion } from "../../../db/migrate.js";
import { recentSyncRuns } from "../../../db/sync-runs.js";
import { type ProjectStats, projectStats } from "../../../status/project-stats.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { formatCount } from "../../format/count.js";
import type { Column } from "../../format/table.js";
import { isoSeconds } from "../../format/time.js";
import type { Output } from "../../output.js";
import { type RunView, runColumns, toRunView } from "./runs-view.js";

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
  if (data.projects.length > 0) {
    out.line();
    const count = (header: string, pick: (p: ProjectStats) => number): Column<ProjectStats> => ({
      header,
      text: (p) => formatCount(pick(p)),
      align: "right",
    });
    out.table(
      [
        { header: "PROJECT", text: (p) => p.project, paint: (t) => s.bold(t), shrink: true, minWidth: 12 },
        count("ISSUES", (p) => p.issues),
        count("MRS", (p) => p.mrs),
        count("DISCUSSIONS", (p) => p.discussions),
        count("NOTES", (p) => p.notes),
        count("DOCUMENTS", (p) => p.documents),
        {
          header: "PENDING",
          text: (p) => formatCount(p.dirty),
          align: "right",
          paint: (t, p) => (p.dirty > 0 ? s.yellow(t) : t),
        },
        count("EMBEDDED", (p) => p.embedded),
        {
          header: "LAST SYNC",
          text: (p) => (p.last_synced_at ? out.time(p.last_synced_at) : "never"),
          paint: (t, p) => (p.last_synced_at ? t : s.dim(t)),
        },
      ],
      data.projects,
    );
    if (out.verbose) {
      out.line();
      const cursor = (c: { updated_at: string } | null | undefined) =>
        c ? isoSeconds(c.updated_at) : "never";
      for (const p of data.projects) {
        out.line(
          s.dim(
            `${p.project} cursors: issues ${cursor(p.cursors.issues)}, merge requests ${cursor(p.cursors.merge_requests)}`,
          ),
        );
      }
    }
  }
  if (data.runs.length > 0) {
    out.line();
    out.line(s.bold("Recent sync runs"));
    out.table(runColumns(out), data.runs);
  }
}
