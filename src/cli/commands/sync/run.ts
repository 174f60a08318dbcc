// `lore sync`: validates the flags, builds what the run needs from the context (client, provider,
// post-ingest stages), and runs incremental/full or surgical sync with progress on stderr.

import type { Recovery } from "../../../db/recover.js";
import type { IncrementalSyncResult, WalkProgress } from "../../../sync/run-incremental.js";
import type { SurgicalResult } from "../../../sync/surgical.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import type { Progress } from "../../output.js";
import { parseSyncOptions } from "./options.js";
import { renderIncremental, renderSurgical } from "./render.js";

const PHASE_LABELS: Record<string, string> = {
  references: "Indexing cross-references of stored issues and merge requests (once, offline)",
  preflight: "Checking IIDs on GitLab",
  fetch: "Fetching discussions, events and links",
  ingest: "Storing entities",
  docs: "Regenerating documents",
  embed: "Embedding documents",
};

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

  let progress: Progress | undefined;
  const started = performance.now();
  const hooks = {
    db,
    client,
    signal: ctx.signal,
    onCleanup: (hook: () => void) => ctx.shutdown.onCleanup(hook),
    warn: (message: string) => ctx.output.warn(message),
    onPhase: (phase: string, detail?: string) => {
      progress?.done();
      progress = undefined;
      if (phase === "entities") progress = ctx.output.progress(`${detail ?? ""}: issues and merge requests`);
      else if (PHASE_LABELS[phase]) progress = ctx.output.progress(PHASE_LABELS[phase]);
    },
    onBackfillProgress: (done: number, total: number) => {
      progress?.update(`${done} of ${total} entities`);
    },
    onProgress: ({ issues, mrs }: WalkProgress) => {
      const seconds = (performance.now() - started) / 1000;
      const listed = issues.fetched + mrs.fetched;
      const rate = seconds > 0 ? Math.round(listed / seconds) : 0;
      progress?.update(
        `issues ${issues.fetched} listed, ${issues.ingested} stored · merge requests ${mrs.fetched} listed, ${mrs.ingested} stored · ${rate}/s · ${client.metrics.requests} requests${client.metrics.retries ? `, ${client.metrics.retries} retries` : ""}`,
      );
    },
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
    progress?.done();
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
