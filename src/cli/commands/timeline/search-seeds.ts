// The one place `lore timeline` asks search for seeds: the same hybrid/lexical choice as
// `lore search` (hybrid when embeddings exist), over the projects in scope.

import type { Config } from "../../../config/schema.js";
import type { Db } from "../../../db/open.js";
import type { CommandContext } from "../../context.js";

/** Ranked document ids are more than the seeds: several may belong to one issue or MR. */
const SEARCH_DEPTH = 20;

export interface SearchedSeeds {
  readonly documentIds: readonly number[];
  readonly warnings: readonly string[];
}

export async function searchForSeeds(
  ctx: CommandContext,
  db: Db,
  config: Config,
  query: string,
  projectIds: readonly number[] | undefined,
): Promise<SearchedSeeds> {
  const { runSearchMode } = await import("../search/modes.js");
  const warnings: string[] = [];
  const outcome = await runSearchMode({
    db,
    config,
    ctx,
    query,
    filters: { projectIds },
    limit: SEARCH_DEPTH,
    requestedMode: undefined,
    warnings,
  });
  return { documentIds: outcome.results.map((r) => r.document_id), warnings };
}
