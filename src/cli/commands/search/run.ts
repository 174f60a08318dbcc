// `lore search`: validates the filters, picks the mode, and renders ranked results.

import { usageError } from "../../../core/errors.js";
import {
  parseLimit,
  parseSince,
  parseState,
  parseType,
  type SearchFilters,
} from "../../../search/filters.js";
import { renderSnippet, type SearchResult } from "../../../search/lexical.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import type { Output } from "../../output.js";
import { projectScope } from "../../project-filter.js";

export type SearchMode = "lexical" | "semantic" | "hybrid";

export interface SearchData {
  readonly query: string;
  readonly mode: SearchMode;
  readonly mode_reason: string;
  readonly results: SearchResult[];
  readonly warnings: string[];
}

function parseMode(value: unknown): SearchMode | undefined {
  if (value === undefined) return undefined;
  if (value === "lexical" || value === "semantic" || value === "hybrid") return value;
  throw usageError(`--mode ${String(value)}: expected hybrid, lexical or semantic`);
}

export async function runSearch(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<SearchData>> {
  const query = (invocation.args[0] as string[]).join(" ");
  const o = invocation.options;
  const requestedMode = parseMode(o.mode);
  const limit = parseLimit(o.limit, 20);
  const config = ctx.config();
  const db = await ctx.readDb();
  const scope = projectScope(db, config, o.project);
  const filters: SearchFilters = {
    // Without -p every stored project is in scope: no filter, so ranking skips the documents join.
    projectIds: scope.everything ? undefined : scope.ids.length > 0 ? scope.ids : [-1],
    type: parseType(o.type),
    state: parseState(o.state),
    labels: Array.isArray(o.label) ? (o.label as string[]) : undefined,
    author: typeof o.author === "string" ? o.author.replace(/^@/, "") : undefined,
    since: typeof o.since === "string" ? parseSince(o.since) : undefined,
  };
  const warnings: string[] = [];
  const { runSearchMode } = await import("./modes.js");
  const outcome = await runSearchMode({ db, config, ctx, query, filters, limit, requestedMode, warnings });
  for (const w of warnings) ctx.output.warn(w);
  const data: SearchData = {
    query,
    mode: outcome.mode,
    mode_reason: outcome.reason,
    results: outcome.results,
    warnings,
  };
  return {
    data: { ...data, results: data.results.map((r) => ({ ...r, snippet: renderSnippet(r.snippet) })) },
    render: (out) => renderResults(out, data),
  };
}

function renderResults(out: Output, data: SearchData): void {
  const s = out.style;
  if (data.results.length === 0) {
    out.line(s.dim(`No results for ${JSON.stringify(data.query)} (${data.mode}).`));
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
