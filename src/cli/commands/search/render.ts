// The human view of `lore search`: a count line (how many matched every term, which mode and
// why), then per result one aligned line (ref, kind, state, title, last update), its snippet with
// the matches highlighted (wrapped to a terminal), its URL, and with --explain how it ranked.

import { type Explain, renderSnippet } from "../../../search/lexical.js";
import { formatCount, plural } from "../../format/count.js";
import { entityRef, stateColour, stateWord } from "../../format/entity-ref.js";
import type { Output } from "../../output.js";
import { describePending } from "./pending.js";
import type { SearchData } from "./run.js";

type Result = SearchData["results"][number];

export function renderResults(out: Output, data: SearchData): void {
  const s = out.style;
  if (data.results.length === 0) {
    // Said on stdout where the answer would be: an empty answer is explained, not just reported.
    const unfinished = describePending(data.pending);
    if (data.pending.synced) out.line(s.dim(`No results for ${JSON.stringify(data.query)} (${data.mode}).`));
    if (unfinished) out.line(unfinished);
    return;
  }
  out.page();
  const allTerms =
    data.matched_all_terms === null || data.query_terms === null || data.query_terms < 2
      ? ""
      : ` · ${formatCount(data.matched_all_terms)} matched all ${data.query_terms} terms`;
  out.line(
    s.dim(
      `${plural(data.results.length, "result")} for ${JSON.stringify(data.query)}${allTerms} · ${data.mode} (${data.mode_reason})`,
    ),
  );
  out.line();
  out.table(
    [
      {
        header: "REF",
        text: (r: Result) => entityRef(r.project, refType(r), r.iid),
        paint: (t) => s.bold(t),
      },
      {
        header: "KIND",
        text: (r) => (r.source_type === "merge_request" ? "mr" : r.source_type),
        paint: (t) => s.dim(t),
      },
      { header: "STATE", text: (r) => stateWord(r.state), paint: (t, r) => stateColour(s, r.state)(t) },
      { header: "TITLE", text: (r) => r.title, shrink: true, minWidth: 20 },
      { header: "UPDATED", text: (r) => out.time(r.updated_at), paint: (t) => s.dim(t) },
    ],
    data.results,
    {
      header: false,
      after: (r, index) => {
        const snippet = renderSnippet(r.snippet, s.match);
        if (snippet) for (const line of out.wrap(snippet, 2)) out.line(`  ${line}`);
        if (r.web_url) out.line(`  ${s.cyan(r.web_url)}`);
        if (r.explain) out.line(`  ${s.dim(out.fit(explainLine(r.explain), 2))}`);
        if (index < data.results.length - 1) out.line();
      },
    },
  );
}

/** A discussion's ref takes its parent's sigil. */
function refType(r: Result): string {
  if (r.source_type !== "discussion") return r.source_type;
  return r.web_url?.includes("/merge_requests/") ? "merge_request" : "issue";
}

function explainLine(e: Explain): string {
  const parts = [
    e.lexical_rank === null
      ? "lexical -"
      : `lexical #${e.lexical_rank} (bm25 ${e.lexical_score}${e.lexical_terms_matched === undefined ? "" : `, ${plural(e.lexical_terms_matched, "term")}`})`,
    e.semantic_rank === null ? "semantic -" : `semantic #${e.semantic_rank} (similarity ${e.similarity})`,
  ];
  if (e.rrf_score !== null) parts.push(`rrf ${e.rrf_score}`);
  return parts.join(" · ");
}
