// `lore sync`: validates the flags, builds what the run needs from the context (client, provider,
// post-ingest stages), and runs incremental/full or surgical sync with progress on stderr.

import type { Recovery } from "../../../db/recover.js";
import type { IncrementalSyncResult } from "../../../sync/run-incremental.js";
import type { SurgicalResult } from "../../../sync/surgical.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { parseSyncOptions } from "./options.js";
import { syncProgress } from "./progress.js";
import { renderIncremental, renderSurgical } from "./render.js";

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
  const [db, client, provider, { postIngestStages }] = await Promise.all([
    ctx.db(),
    ctx.gitlab(surgical ? "surgical" : "sync"),
    options.embed && !(surgical && options.dryRun) ? ctx.embeddingProvider() : undefined,
    import("../../../sync/post-stages.js"),
  ]);
  const stages = postIngestStages({ ...options, provider, chunking: config.embedding });
  const tokenVar = config.gitlab.tokenEnvVar;
  const warnings = ctx.env[tokenVar]
    ? []
    : [`$${tokenVar} is not set: syncing anonymously (public projects only)`];

  const started = performance.now();
  const output = ctx.output;
  const progress = syncProgress(output, surgical ? 1 : options.projects.length);
  const hooks = {
    db,
    client,
    signal: ctx.signal,
    onCleanup: (hook: () => void) => ctx.shutdown.onCleanup(hook),
    warn: (message: string) => output.warn(message),
    onPhase: progress.onPhase,
    onProgress: progress.onProgress,
    onStageProgress: progress.onStageProgress,
    // Goals cost two requests per long walk: only worth it where someone sees the progress.
    wantTotals: !output.quiet && (!output.robot || output.verbose),
  };
  try {
    if (options.mode === "surgical") {
      const { runSurgicalSync } = await import("../../../sync/surgical.js");
      const result = await runSurgicalSync({ ...options, stages, warnings }, hooks);
      return { data: result, render: (out) => renderSurgical(out, result, performance.now() - started) };
    }
    const { runIncrementalSync } = await import("../../../sync/run-incremental.js");
    const result = await runIncrementalSync(
      {
        projects: options.projects,
        full: options.mode === "full",
        overlapSeconds: config.sync.overlapSeconds,
        stages,
        warnings,
      },
      hooks,
    );
    const data = recovery ? { ...result, recovery } : result;
    return { data, render: (out) => renderIncremental(out, result, performance.now() - started) };
  } finally {
    progress.close();
  }
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
