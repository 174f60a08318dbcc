// The human view of `lore trace`: per merge request that touched the file (the same columns as
// file-history), the issues it closes or mentions and the DiffNote threads near the line — with
// every note's Markdown rendered on a terminal under --discussions.

import type { LinkedIssue } from "../../../code/linked-issues.js";
import type { TraceChain, TraceResult, TraceThread } from "../../../code/trace.js";
import { plural, showing } from "../../format/count.js";
import { entityRef, stateColour, stateWord } from "../../format/entity-ref.js";
import type { Output } from "../../output.js";
import { changeColumns, renderRenames, resolvedColumn, whereColumn } from "../file-history/render.js";
import { renderMore } from "../who/render.js";

export function renderTrace(out: Output, data: TraceResult, nothingSynced: boolean): void {
  const s = out.style;
  if (nothingSynced) {
    out.line(s.dim("Nothing synced yet: run lore sync."));
    return;
  }
  out.page();
  const line = data.line === null ? "" : `:${data.line} (± ${data.line_radius} lines)`;
  out.line(s.bold(`Trace of ${data.path}${line}`));
  renderRenames(out, data.renames);
  if (data.chains.length === 0) {
    out.line(s.dim(`No MR in the mirror changed ${data.path}.`));
    return;
  }
  const total = data.chains.length + data.omitted_chains;
  out.line(s.dim(showing(data.chains.length, total, "merge request")));
  out.table(
    changeColumns(out, data.path),
    data.chains.map((chain) => chain.merge_request),
    {
      header: false,
      before: () => out.line(),
      after: (_mr, index) => renderChain(out, data.chains[index] as TraceChain),
    },
  );
  if (data.omitted_chains > 0) out.line();
  renderMore(out, data.omitted_chains, "merge request", { indent: 0 });
}

function renderChain(out: Output, chain: TraceChain): void {
  const s = out.style;
  out.table(
    [
      {
        header: "VIA",
        text: (i: LinkedIssue) => (i.via === "closes" ? "closes" : "mentions"),
        paint: (t) => s.dim(t),
      },
      { header: "ISSUE", text: (i) => entityRef(i.project, "issue", i.iid), paint: (t) => s.bold(t) },
      {
        header: "TITLE",
        // An issue named by the MR that the mirror does not hold: say so, and how to fetch it.
        text: (i) =>
          i.state === "" ? `not in the mirror: lore sync -p ${i.project} --issue ${i.iid}` : i.title,
        paint: (t, i) => (i.state === "" ? s.dim(t) : t),
        shrink: true,
        minWidth: 20,
      },
      { header: "STATE", text: (i) => stateWord(i.state), paint: (t, i) => stateColour(s, i.state)(t) },
    ],
    chain.issues,
    { header: false, indent: 2 },
  );
  renderMore(out, chain.omitted_issues, "issue", { hint: null });
  out.table(
    [
      whereColumn<TraceThread>(out, chain.merge_request.path_then),
      { header: "BY", text: (t) => `@${t.started_by ?? "?"}` },
      { header: "THREAD", text: (t) => t.excerpt, shrink: true, minWidth: 20 },
      { header: "NOTES", text: (t) => plural(t.note_count, "note"), paint: (t) => s.dim(t) },
      { header: "WHEN", text: (t) => out.time(t.created_at), paint: (t) => s.dim(t) },
      resolvedColumn(out),
    ],
    chain.discussions,
    { header: false, indent: 2, after: (thread) => renderNotes(out, thread) },
  );
  renderMore(out, chain.omitted_discussions, "thread", { hint: null });
}

/** --discussions: every note of the thread, its Markdown rendered on a terminal. */
function renderNotes(out: Output, thread: TraceThread): void {
  const s = out.style;
  for (const note of thread.notes ?? []) {
    out.line(`    ${s.cyan(`@${note.author ?? "?"}`)} ${s.dim(out.time(note.created_at))}`);
    for (const text of out.markdown(note.body, 6)) out.line(`      ${text}`);
  }
}
