// `lore sync`: validates the flags, builds what the run needs from the context (client, provider,
// post-ingest stages), and runs incremental/full or surgical sync with progress on stderr.

import { isLoreError, withActions } from "../../../core/errors.js";
import type { Recovery } from "../../../db/recover.js";
import { prefetchProject } from "../../../sync/project-prefetch.js";
import type { IncrementalSyncResult } from "../../../sync/run-incremental.js";
import type { SurgicalResult } from "../../../sync/surgical.js";
import type { CommandResult, Invocation } from "../../command.js";
import { surgicalSyncCommand } from "../../command-line.js";
import type { CommandContext } from "../../context.js";
import { parseSyncOptions, type SyncOptions } from "./options.js";
import { syncProgress } from "./progress.js";
import { renderIncremental, renderSurgical } from "./render.js";

type SurgicalSyncOptions = Extract<SyncOptions, { mode: "surgical" }>;

export async function runSync(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<IncrementalSyncResult | SurgicalResult>> {
  const config = ctx.config();
  const options = parseSyncOptions(invocation.options, {
    configuredProjects: config.projects.map((p) => p.path),
    gitlabUrl: config.gitlab.baseUrl,
  });
  const surgical = options.mode === "surgical";
  // Before anything opens the database: a damaged file cannot be opened for writing at all.
  const recovery = !surgical && options.recover ? await recover(ctx) : undefined;

  const started = performance.now();
  const output = ctx.output;
  const progress = syncProgress(output, surgical ? 1 : options.projects.length);
  const hooks = {
    onPhase: progress.onPhase,
    onProgress: progress.onProgress,
    onStageProgress: progress.onStageProgress,
    onBackfillProgress: progress.onBackfillProgress,
    // Goals cost two requests per long walk: only worth it where someone sees the progress.
    wantTotals: !output.quiet && (!output.robot || output.verbose),
  };
  try {
    if (options.mode === "surgical") {
      const { surgicalSync } = await import("../../sync-deps.js");
      const result = await surgicalSync(ctx, options, hooks).catch((error: unknown) => {
        throw preflightRecovery(error, options);
      });
      return { data: result, render: (out) => renderSurgical(out, result, performance.now() - started) };
    }
    // The first project's request goes out before the database opens: the two overlap.
    const client = await ctx.gitlab("sync");
    const first = options.projects[0];
    const prefetched = first === undefined ? undefined : prefetchProject(client, first, ctx.signal);
    // One turn of the event loop connects the socket and writes the request before the
    // synchronous work of opening the database holds the loop.
    await new Promise((resolve) => setImmediate(resolve));
    let result: IncrementalSyncResult;
    try {
      const { syncDeps } = await import("../../sync-deps.js");
      const deps = await syncDeps(ctx, { purpose: "sync", docs: options.docs, embed: options.embed });
      const { runIncrementalSync } = await import("../../../sync/run-incremental.js");
      result = await runIncrementalSync(
        {
          projects: options.projects,
          full: options.mode === "full",
          overlapSeconds: config.sync.overlapSeconds,
          stages: deps.stages,
          warnings: deps.warnings,
          prefetched,
        },
        {
          db: deps.db,
          client: deps.client,
          signal: ctx.signal,
          onCleanup: (hook: () => void) => ctx.shutdown.onCleanup(hook),
          warn: (message: string) => output.warn(message),
          ...hooks,
        },
      );
    } finally {
      prefetched?.cancel();
    }
    const data = recovery ? { ...result, recovery } : result;
    return { data, render: (out) => renderIncremental(out, result, performance.now() - started) };
  } finally {
    progress.close();
  }
}

/**
 * A preflight that found some IIDs missing offers the same sync without them (when any remain),
 * with the same flags.
 */
function preflightRecovery(error: unknown, options: SurgicalSyncOptions): unknown {
  if (!isLoreError(error, "SURGICAL_PREFLIGHT_FAILED")) return error;
  const failures = (error.details?.failures ?? []) as { entity_type: string; iid: number }[];
  const missing = (type: string) => new Set(failures.filter((f) => f.entity_type === type).map((f) => f.iid));
  const missingIssues = missing("issue");
  const missingMrs = missing("merge_request");
  const retry = surgicalSyncCommand({
    project: options.project,
    issues: options.issues.filter((iid) => !missingIssues.has(iid)),
    mrs: options.mrs.filter((iid) => !missingMrs.has(iid)),
    flags: [
      ...(options.docs ? [] : ["--no-docs"]),
      ...(options.embed ? [] : ["--no-embed"]),
      ...(options.dryRun ? ["--dry-run"] : []),
    ],
  });
  return retry ? withActions(error, [retry]) : error;
}

/** `--recover`: makes the database sound before the sync opens it, saying what it did. */
async function recover(ctx: CommandContext): Promise<Recovery> {
  const { recoverDatabase } = await import("../../../db/recover.js");
  const path = ctx.dbPath();
  const progress = ctx.output.progress(`Checking ${path}`);
  const recovery = recoverDatabase(path);
  progress.done();
  if (recovery.action === "moved_aside") {
    ctx.output.warn(
      `moved the damaged database (${recovery.reason}) to ${recovery.moved_to}; building a new mirror`,
    );
  } else if (recovery.action === "rebuilt_search_index") {
    ctx.output.warn(`rebuilt the search index (${recovery.reason})`);
  } else {
    ctx.output.info(`Nothing to recover: ${recovery.reason}.`);
  }
  return recovery;
}
