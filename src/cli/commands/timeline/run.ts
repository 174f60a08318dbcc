// `lore timeline`: finds the seeds (a named entity, or the top search hits of a query), asks the
// history module for the timeline, and prints it grouped by day.

import { findNamedEntity } from "../../../history/entity-argument.js";
import type { MirrorEntity } from "../../../history/mirror-entities.js";
import { seedsFromDocuments } from "../../../history/query-seeds.js";
import { buildTimeline, type TimelineResult } from "../../../history/timeline.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { projectScope } from "../../project-filter.js";
import { parseTimelineOptions } from "./options.js";
import { renderTimeline } from "./render.js";

export async function runTimeline(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<TimelineResult>> {
  const config = ctx.config();
  const configured = config.projects.map((p) => p.path);
  const options = parseTimelineOptions(
    invocation.args[0] as unknown[],
    invocation.options,
    configured,
    config.gitlab.baseUrl,
  );
  const db = await ctx.readDb();
  const scope = projectScope(db, config, options.project);
  const warnings: string[] = [];
  let seeds: MirrorEntity[];
  if (options.seed.kind === "entity") {
    seeds = [findNamedEntity(db, options.seed, { paths: scope.paths, ids: scope.ids, configured })];
  } else {
    const { searchForSeeds } = await import("./search-seeds.js");
    const projectIds = scope.everything ? undefined : scope.ids.length > 0 ? scope.ids : [-1];
    const searched = await searchForSeeds(ctx, db, config, options.seed.text, projectIds);
    warnings.push(...searched.warnings);
    seeds = seedsFromDocuments(db, searched.documentIds);
  }
  const result = buildTimeline(db, {
    seeds,
    depth: options.depth,
    mentions: options.mentions,
    since: options.since,
    limit: options.limit,
    query: options.seed.kind === "query" ? options.seed.text : undefined,
  });
  const data: TimelineResult = { ...result, warnings: [...warnings, ...result.warnings] };
  for (const warning of data.warnings) ctx.output.warn(warning);
  return { data, render: (out) => renderTimeline(out, data, configured) };
}
