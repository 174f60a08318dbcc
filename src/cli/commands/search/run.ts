// `lore search`: validates the filters, picks the mode, and renders ranked results.

import { ageSeconds, documentSyncTimes, type Freshness } from "../../../read/freshness.js";
import { type Explain, renderSnippet, type SearchResult } from "../../../search/lexical.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { projectScope } from "../../project-filter.js";
import { parseSearchOptions, type SearchMode } from "./options.js";
import { describePending, type SearchPending, searchPending } from "./pending.js";
import { renderResults } from "./render.js";

export type { SearchMode } from "./options.js";

export interface SearchData {
  readonly query: string;
  readonly mode: SearchMode;
  readonly mode_reason: string;
  /** Documents within the filters that have every query term (null in semantic mode). */
  readonly matched_all_terms: number | null;
  /** The terms lexical search ranked by, common words dropped (null in semantic mode). */
  readonly query_terms: number | null;
  readonly results: (Omit<SearchResult, "explain"> & Freshness & { explain?: Explain })[];
  readonly warnings: string[];
  /** What the search could not see yet, and the command that finishes it. */
  readonly pending: SearchPending;
}

export async function runSearch(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<SearchData>> {
  const config = ctx.config();
  const options = parseSearchOptions(
    invocation.args[0] as unknown[],
    invocation.options,
    config.projects.map((p) => p.path),
  );
  const db = await ctx.readDb();
  const scope = projectScope(db, config, options.project);
  // Without -p every stored project is in scope: no filter, so ranking skips the documents join.
  const filters = {
    ...options.filters,
    projectIds: scope.everything ? undefined : scope.ids.length > 0 ? scope.ids : [-1],
  };
  const warnings: string[] = [];
  const { runSearchMode } = await import("./modes.js");
  const outcome = await runSearchMode({
    db,
    config,
    ctx,
    query: options.query,
    filters,
    limit: options.limit,
    requestedMode: options.mode,
    warnings,
  });
  const pending = searchPending(db, scope, options.project);
  const unfinished = describePending(pending);
  if (unfinished) warnings.push(unfinished);
  for (const w of warnings) if (w !== unfinished || outcome.results.length > 0) ctx.output.warn(w);
  const explain = options.explain;
  const now = Date.now();
  const syncTimes = documentSyncTimes(
    db,
    outcome.results.map((r) => r.document_id),
  );
  const data: SearchData = {
    query: options.query,
    mode: outcome.mode,
    mode_reason: outcome.reason,
    matched_all_terms: outcome.allTermsMatched,
    query_terms: outcome.termCount,
    results: outcome.results.map(({ explain: why, ...r }) => {
      const syncedAt = syncTimes.get(r.document_id) ?? null;
      const fresh = { ...r, synced_at: syncedAt, age_seconds: ageSeconds(syncedAt, now) };
      return explain ? { ...fresh, explain: why } : fresh;
    }),
    warnings,
    pending,
  };
  await ctx.output.enableMarkdown();
  return {
    data: { ...data, results: data.results.map((r) => ({ ...r, snippet: renderSnippet(r.snippet) })) },
    render: (out) => renderResults(out, data),
  };
}
