// The surgical side of `lore sync`: a spinner per stage, then each entity's outcome and the counters.

import { gitLabClientFromConfig } from "../../../gitlab/from-config.js";
import type { SyncOptions } from "../../../sync/options.js";
import {
  type EntityOutcome,
  runSurgicalSync,
  SURGICAL_STAGES,
  type SurgicalResult,
  type SurgicalStage,
} from "../../../sync/surgical.js";
import type { CommandResult } from "../../command.js";
import type { CommandContext } from "../../context.js";
import type { Output, Progress, Style } from "../../output.js";
import { surgicalPostStages } from "./post-stages.js";

const STAGE_LABELS: Record<string, string> = {
  preflight: "Checking IIDs on GitLab",
  fetch: "Fetching",
  ingest: "Storing entities",
  dependents: "Fetching discussions, events and links",
  docs: "Regenerating documents",
  embed: "Embedding documents",
};

export async function runSurgicalCommand(
  options: Extract<SyncOptions, { mode: "surgical" }>,
  ctx: CommandContext,
): Promise<CommandResult<SurgicalResult>> {
  const config = ctx.config();
  const db = await ctx.db();
  const client = gitLabClientFromConfig(
    { ...config.gitlab, concurrency: config.gitlab.surgicalConcurrency },
    ctx.env,
    ctx.version,
  );
  const started = performance.now();
  let progress: Progress | undefined;
  const stages = options.dryRun ? {} : await surgicalPostStages(config, ctx, options);
  const result = await runSurgicalSync(
    { project: options.project, issues: options.issues, mrs: options.mrs, dryRun: options.dryRun, ...stages },
    {
      db,
      client,
      shutdown: ctx.shutdown,
      warn: (message) => ctx.output.warn(message),
      holdAt: SURGICAL_STAGES.find((stage): stage is SurgicalStage => stage === ctx.env.LORE_TEST_HOLD_STAGE),
      onStage: (stage) => {
        progress?.done();
        progress = stage === "done" ? undefined : ctx.output.progress(STAGE_LABELS[stage] ?? stage);
      },
    },
  ).finally(() => progress?.done());
  return { data: result, render: (out) => renderSurgical(out, result, performance.now() - started) };
}

function renderSurgical(out: Output, result: SurgicalResult, elapsedMs: number): void {
  const s = out.style;
  const verb = result.dry_run ? "Dry run" : "Surgical sync";
  out.line(
    `${s.green("✓")} ${verb} #${result.run_id} of ${s.bold(result.project)} in ${(elapsedMs / 1000).toFixed(2)}s`,
  );
  for (const e of result.entities) {
    const ref = `${e.entity_type === "issue" ? "#" : "!"}${e.iid}`;
    const status = describeOutcome(e, s);
    out.line(`  ${ref.padEnd(6)} ${status}  ${e.title} ${s.dim(`(updated ${e.updated_at})`)}`);
  }
  if (!result.dry_run) {
    const c = result.counters;
    out.line(
      s.dim(
        `  ${c.discussions_fetched} discussions, ${c.notes_upserted} notes written, ${c.events_fetched} events · ${c.docs_regenerated} documents regenerated, ${c.docs_embedded} embedded · ${result.requests} requests`,
      ),
    );
  }
  for (const w of result.warnings) out.line(`  ${s.yellow("warning:")} ${w}`);
}

function describeOutcome(e: EntityOutcome, s: Style): string {
  switch (e.status) {
    case "skipped_stale":
      return s.yellow("skipped (local copy newer)");
    case "vanished":
      return s.red("vanished");
    case "found":
      if (e.local_updated_at === null) return s.cyan("would be added");
      return s.cyan(e.local_updated_at < e.updated_at ? "would be updated" : "would be refreshed");
    case "ingested":
      return e.changed === false
        ? `${s.green("ingested")} ${s.dim("(itself unchanged; threads, events and links refreshed)")}`
        : s.green("ingested");
  }
}
