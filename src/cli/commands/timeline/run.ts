// `lore timeline`: finds the seeds (a named entity, or the top search hits of a query), asks the
// history module for the timeline, and prints it grouped by day. With `--max-age`, the seeds and the
// entities reached that are older are refreshed first (one surgical sync per project), then the
// timeline is built again from the fresh copies.

import { entityKey, resolveMaxAge, staleTargets } from "../../../agent/max-age.js";
import type { Config } from "../../../config/schema.js";
import { isLoreError } from "../../../core/errors.js";
import type { Db } from "../../../db/open.js";
import { findNamedEntity } from "../../../history/entity-argument.js";
import { entityById, type MirrorEntity } from "../../../history/mirror-entities.js";
import { seedsFromDocuments } from "../../../history/query-seeds.js";
import { buildTimeline, type TimelineResult } from "../../../history/timeline.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import {
  combineFreshReads,
  type FreshRead,
  NOT_REFRESHED,
  type RefreshTarget,
  refreshBeforeRead,
} from "../../fresh-read.js";
import { projectScope } from "../../project-filter.js";
import { MAX_SURGICAL_IIDS } from "../sync/options.js";
import { parseTimelineOptions, type TimelineCommandOptions } from "./options.js";
import { renderTimeline } from "./render.js";

export type TimelineData = TimelineResult & Omit<FreshRead, "warnings">;

export async function runTimeline(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<TimelineData>> {
  const config = ctx.config();
  const configured = config.projects.map((p) => p.path);
  const options = parseTimelineOptions(
    invocation.args[0] as unknown[],
    invocation.options,
    configured,
    config.gitlab.baseUrl,
  );
  const maxAge = resolveMaxAge(invocation.options.maxAge, config.read.maxAge);
  const db = await ctx.readDb();
  const warnings: string[] = [];
  const reads: FreshRead[] = [];
  const fetched = new Set<string>();

  let seeds: MirrorEntity[];
  try {
    seeds = await findSeeds(ctx, db, config, options, warnings);
  } catch (error) {
    // A seed the mirror lacks is fetched when the read may refresh; then it is looked up again.
    const target = maxAge === undefined ? undefined : missingSeed(error, options, configured);
    if (!target) throw error;
    reads.push(await refreshBeforeRead(ctx, target, { localCopySyncedAt: undefined }));
    seeds = await findSeeds(ctx, db, config, options, warnings);
    for (const seed of seeds) fetched.add(entityKey({ ...seed, entity_type: seed.type }));
  }
  const build = (from: readonly MirrorEntity[]) =>
    buildTimeline(db, {
      seeds: from,
      depth: options.depth,
      mentions: options.mentions,
      since: options.since,
      limit: options.limit,
      query: options.seed.kind === "query" ? options.seed.text : undefined,
    });
  let result = build(seeds);

  if (maxAge !== undefined) {
    // The walk stops at 100 entities, as many as one surgical sync takes; the limit keeps it so.
    const plan = staleTargets(result.entities, {
      maxAgeSeconds: maxAge,
      now: Date.now(),
      configured,
      limit: MAX_SURGICAL_IIDS,
      skip: fetched,
    });
    for (const target of plan.targets) {
      reads.push(
        await refreshBeforeRead(ctx, target, { localCopySyncedAt: plan.oldest.get(target.project) ?? null }),
      );
    }
    if (plan.omitted > 0) {
      warnings.push(`${plan.omitted} more entities are older than --max-age and were not refreshed.`);
    }
    // What the refresh wrote can change the entities, their events and their references.
    if (plan.targets.length > 0 && reads.some((r) => r.refreshed)) {
      result = build(seeds.map((seed) => entityById(db, seed.type, seed.id) ?? seed));
    }
  }
  const fresh = reads.length > 0 ? combineFreshReads(reads) : NOT_REFRESHED;
  const own = [...warnings, ...result.warnings];
  // refreshBeforeRead has said its warnings already.
  for (const warning of own) ctx.output.warn(warning);
  const data: TimelineData = {
    ...result,
    warnings: [...own, ...fresh.warnings],
    refreshed: fresh.refreshed,
    stale: fresh.stale,
  };
  return { data, render: (out) => renderTimeline(out, data, configured) };
}

/** The named entity, or the entities the query's top search hits belong to. */
async function findSeeds(
  ctx: CommandContext,
  db: Db,
  config: Config,
  options: TimelineCommandOptions,
  warnings: string[],
): Promise<MirrorEntity[]> {
  // Computed each time: a seed just fetched may have brought its project into the mirror.
  const scope = projectScope(db, config, options.project);
  const configured = config.projects.map((p) => p.path);
  if (options.seed.kind === "entity") {
    return [findNamedEntity(db, options.seed, { paths: scope.paths, ids: scope.ids, configured })];
  }
  const { searchForSeeds } = await import("./search-seeds.js");
  const projectIds = scope.everything ? undefined : scope.ids.length > 0 ? scope.ids : [-1];
  const searched = await searchForSeeds(ctx, db, config, options.seed.text, projectIds);
  warnings.push(...searched.warnings);
  return seedsFromDocuments(db, searched.documentIds);
}

/** The surgical sync that fetches a named seed the mirror lacks, when its project is known and configured. */
function missingSeed(
  error: unknown,
  options: TimelineCommandOptions,
  configured: readonly string[],
): RefreshTarget | undefined {
  if (!isLoreError(error, "NOT_IN_MIRROR") || options.seed.kind !== "entity") return undefined;
  const { seed } = options;
  const named = seed.projectPath ?? options.project ?? (configured.length === 1 ? configured[0] : undefined);
  const project = configured.find((p) => p.toLowerCase() === named?.toLowerCase());
  if (project === undefined) return undefined;
  return seed.type === "issue"
    ? { project, issues: [seed.iid], mrs: [] }
    : { project, issues: [], mrs: [seed.iid] };
}
