// `lore sync`: validates the flags into SyncOptions, then runs incremental/full or surgical sync.

import { type Recovery, recoverDatabase } from "../../../db/recover.js";
import { gitLabClientFromConfig } from "../../../gitlab/from-config.js";
import { parseSyncOptions } from "../../../sync/options.js";
import { type IncrementalSyncResult, runIncrementalSync } from "../../../sync/run-incremental.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import type { Output } from "../../output.js";
import { postIngestStages } from "./post-stages.js";

export async function runSync(invocation: Invocation, ctx: CommandContext): Promise<CommandResult> {
  const config = ctx.config();
  const options = parseSyncOptions(invocation.options, {
    configuredProjects: config.projects.map((p) => p.path),
    gitlabUrl: config.gitlab.baseUrl,
  });
  if (options.mode === "surgical") {
    const { runSurgicalCommand } = await import("./surgical.js");
    return runSurgicalCommand(options, ctx);
  }
  const recovery = options.recover ? recover(ctx) : undefined;
  const db = await ctx.db();
  const client = gitLabClientFromConfig(config.gitlab, ctx.env, ctx.version);
  if (!ctx.env[config.gitlab.tokenEnvVar]) {
    ctx.output.warn(`$${config.gitlab.tokenEnvVar} is not set: syncing anonymously (public projects only)`);
  }
  const progress = new Map<string, ReturnType<Output["progress"]>>();
  const started = performance.now();
  const stages = await postIngestStages(config, ctx, options);
  const result = await runIncrementalSync(
    {
      projects: options.projects,
      full: options.mode === "full",
      overlapSeconds: config.sync.overlapSeconds,
      regenerateDocs: stages.regenerateDocs,
      embed: stages.embed,
    },
    {
      db,
      client,
      shutdown: ctx.shutdown,
      warn: (message) => ctx.output.warn(message),
      onPhase: (phase, project) => {
        for (const [key, p] of progress) {
          p.done();
          progress.delete(key);
        }
        if (phase === "docs" || phase === "embed") {
          progress.set(
            phase,
            ctx.output.progress(phase === "docs" ? "Regenerating documents" : "Embedding documents"),
          );
        } else if (project && (phase === "issues" || phase === "merge_requests")) {
          progress.set(
            phase,
            ctx.output.progress(`${project} ${phase === "issues" ? "issues" : "merge requests"}`),
          );
        }
      },
      onProgress: (_project, resource, c) => {
        const seconds = (performance.now() - started) / 1000;
        const rate = seconds > 0 ? Math.round(c.fetched / seconds) : 0;
        progress
          .get(resource)
          ?.update(
            `${c.fetched} listed, ${c.ingested} stored, ${c.unchanged} unchanged · ${rate}/s · ${client.metrics.requests} requests${client.metrics.retries ? `, ${client.metrics.retries} retries` : ""}`,
          );
      },
    },
  ).finally(() => {
    for (const p of progress.values()) p.done();
  });
  const data = recovery ? { ...result, recovery } : result;
  return { data, render: (out) => renderSyncSummary(out, result, performance.now() - started) };
}

/** `--recover`: makes the database sound before the sync opens it, saying what it did. */
function recover(ctx: CommandContext): Recovery {
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

function renderSyncSummary(out: Output, result: IncrementalSyncResult, elapsedMs: number): void {
  const s = out.style;
  out.line(
    `${s.green("✓")} ${result.mode} sync #${result.run_id} finished in ${(elapsedMs / 1000).toFixed(1)}s`,
  );
  for (const p of result.projects) {
    out.line(`  ${s.bold(p.project)}`);
    out.line(
      `    issues: ${p.issues_fetched} fetched, ${p.issues_ingested} stored${p.issues_deleted ? `, ${p.issues_deleted} removed` : ""}` +
        ` · merge requests: ${p.mrs_fetched} fetched, ${p.mrs_ingested} stored${p.mrs_deleted ? `, ${p.mrs_deleted} removed` : ""}`,
    );
    out.line(
      `    ${p.discussions_fetched} discussions, ${p.notes_upserted} notes written, ${p.events_fetched} events${p.skipped_stale ? `, ${p.skipped_stale} skipped (local copy newer)` : ""}`,
    );
  }
  out.line(`  documents regenerated: ${result.docs_regenerated} · embedded: ${result.docs_embedded}`);
  out.line(s.dim(`  ${result.requests} requests, ${result.retries} retries`));
  for (const w of result.warnings) out.line(`  ${s.yellow("warning:")} ${w}`);
}
