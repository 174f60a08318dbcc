// What a sync needs from the command context, for `lore sync` and for reads that refresh in-process
// (`--max-age`, the MCP tools): the database, the GitLab client, the post-ingest stages and the
// warnings known before the run.

import type { Db } from "../db/open.js";
import type { GitLabClient } from "../gitlab/client.js";
import type { PostIngestStages } from "../sync/post-stages.js";
import type { RunHooks } from "../sync/run.js";
import type { SurgicalInput, SurgicalResult } from "../sync/surgical.js";
import type { ClientPurpose, CommandContext } from "./context.js";

export interface SyncDepsOptions {
  readonly purpose: ClientPurpose;
  readonly docs: boolean;
  readonly embed: boolean;
}

export interface SyncDeps {
  readonly db: Db;
  readonly client: GitLabClient;
  readonly stages: PostIngestStages;
  /** Said before the run starts (e.g. no token: anonymous access), recorded with the run. */
  readonly warnings: readonly string[];
}

export async function syncDeps(ctx: CommandContext, options: SyncDepsOptions): Promise<SyncDeps> {
  const config = ctx.config();
  const [db, client, provider, { postIngestStages }] = await Promise.all([
    ctx.db(),
    ctx.gitlab(options.purpose),
    options.embed ? ctx.embeddingProvider() : undefined,
    import("../sync/post-stages.js"),
  ]);
  const stages = postIngestStages({ ...options, provider, chunking: config.embedding });
  const tokenVar = config.gitlab.tokenEnvVar;
  const warnings = ctx.env[tokenVar]
    ? []
    : [`$${tokenVar} is not set: syncing anonymously (public projects only)`];
  return { db, client, stages, warnings };
}

/** What to sync surgically; the stages are built from `docs` and `embed`. */
export type SurgicalRequest = Omit<SurgicalInput, "stages" | "warnings"> & {
  readonly docs: boolean;
  readonly embed: boolean;
};

/** Runs a surgical sync in this process with the context's database, client and shutdown signal. */
export async function surgicalSync(
  ctx: CommandContext,
  request: SurgicalRequest,
  hooks: Omit<RunHooks, "signal"> = {},
): Promise<SurgicalResult> {
  const deps = await syncDeps(ctx, {
    purpose: "surgical",
    docs: request.docs,
    embed: request.embed && !request.dryRun,
  });
  const { runSurgicalSync } = await import("../sync/surgical.js");
  return runSurgicalSync(
    { ...request, stages: deps.stages, warnings: deps.warnings },
    {
      db: deps.db,
      client: deps.client,
      signal: ctx.signal,
      onCleanup: (hook) => ctx.shutdown.onCleanup(hook),
      warn: (message) => ctx.output.warn(message),
      ...hooks,
    },
  );
}
