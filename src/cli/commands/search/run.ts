// `lore search`: validates the filters, picks the mode, and renders ranked results.

import { renderSnippet, type SearchResult } from "../../../search/lexical.js";
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
  readonly results: SearchResult[];
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
  const data: SearchData = {
    query: options.query,
    mode: outcome.mode,
    mode_reason: outcome.reason,
    results: outcome.results,
    warnings,
    pending,
  };
  return {
    data: { ...data, results: data.results.map((r) => ({ ...r, snippet: renderSnippet(r.snippet) })) },
    render: (out) => renderResults(out, data),
  };
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
  }
  out.line(
    s.dim(
      `${data.results.length} result${data.results.length === 1 ? "" : "s"} · ${data.mode} (${data.mode_reason})`,
    ),
  );
}
