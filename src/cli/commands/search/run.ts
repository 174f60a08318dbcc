// `lore search`: validates the filters, picks the mode, and renders ranked results.

import { ageSeconds, documentSyncTimes, type Freshness } from "../../../read/freshness.js";
import { type Explain, renderSnippet, type SearchResult } from "../../../search/lexical.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import type { Output } from "../../output.js";
import { projectScope } from "../../project-filter.js";
import { parseSearchOptions, type SearchMode } from "./options.js";
import { describePending, type SearchPending, searchPending } from "./pending.js";

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
  return {
    data: { ...data, results: data.results.map((r) => ({ ...r, snippet: renderSnippet(r.snippet) })) },
    render: (out) => renderResults(out, data),
  };
}

function explainLine(e: Explain): string {
  const parts = [
    e.lexical_rank === null
      ? "lexical -"
      : `lexical #${e.lexical_rank} (bm25 ${e.lexical_score}${e.lexical_terms_matched === undefined ? "" : `, ${e.lexical_terms_matched} terms`})`,
    e.semantic_rank === null ? "semantic -" : `semantic #${e.semantic_rank} (similarity ${e.similarity})`,
  ];
  if (e.rrf_score !== null) parts.push(`rrf ${e.rrf_score}`);
  return parts.join(" · ");
}

function renderResults(out: Output, data: SearchData): void {
  const s = out.style;
  if (data.results.length === 0) {
    // Said on stdout where the answer would be: an empty answer is explained, not just reported.
    const unfinished = describePending(data.pending);
    if (data.pending.synced) out.line(s.dim(`No results for ${JSON.stringify(data.query)} (${data.mode}).`));
    if (unfinished) out.line(unfinished);
    return;
  }
  for (const r of data.results) {
    const ref = `${r.source_type === "merge_request" || (r.source_type === "discussion" && r.web_url?.includes("/merge_requests/")) ? "!" : "#"}${r.iid}`;
    const kind = r.source_type === "merge_request" ? "mr" : r.source_type;
    out.line(`${s.bold(`${r.project}${ref}`)} ${s.dim(`[${kind}, ${r.state ?? "?"}]`)} ${r.title}`);
    const snippet = renderSnippet(r.snippet, s.match);
    if (snippet) out.line(`  ${snippet}`);
    if (r.web_url) out.line(`  ${s.cyan(r.web_url)}`);
    if (r.explain) out.line(`  ${s.dim(explainLine(r.explain))}`);
  }
  const allTerms =
    data.matched_all_terms === null || data.query_terms === null || data.query_terms < 2
      ? ""
      : ` · ${data.matched_all_terms} matched all ${data.query_terms} terms`;
  out.line(
    s.dim(
      `${data.results.length} result${data.results.length === 1 ? "" : "s"}${allTerms} · ${data.mode} (${data.mode_reason})`,
    ),
  );
}
