// The human view of `lore file-history`: the renames followed, a count line, then one aligned row
// per merge request (with its DiffNotes on the file below it under --discussions). `lore trace`
// prints its merge requests with the same columns.

import type { ChangeView, DiffNoteItem, FileHistoryResult } from "../../../code/file-history.js";
import type { RenameStep } from "../../../code/renames.js";
import { showing } from "../../format/count.js";
import { entityRef, stateColour, stateWord } from "../../format/entity-ref.js";
import type { Column } from "../../format/table.js";
import type { Output } from "../../output.js";
import { renderMore } from "../who/render.js";

export function renderFileHistory(out: Output, data: FileHistoryResult, nothingSynced: boolean): void {
  const s = out.style;
  if (nothingSynced) {
    out.line(s.dim("Nothing synced yet: run lore sync."));
    return;
  }
  out.page();
  out.line(s.bold(`History of ${data.path}`));
  renderRenames(out, data.renames, data.renames_truncated);
  if (data.merge_requests.length === 0) {
    out.line(s.dim(`No MR in the mirror changed ${data.path}.`));
    return;
  }
  const total = data.merge_requests.length + data.omitted_merge_requests;
  out.line(s.dim(showing(data.merge_requests.length, total, "merge request")));
  out.line();
  out.table(changeColumns(out, data.path), data.merge_requests, {
    after: (mr) => {
      if (!mr.discussions) return;
      renderDiffNotes(out, mr.discussions, mr.path_then);
      renderMore(out, mr.omitted_discussions ?? 0, "DiffNote", { hint: null, indent: 4 });
    },
  });
  renderMore(out, data.omitted_merge_requests, "merge request", { indent: 0 });
}

/** The renames a history followed, oldest first, as dim lines under the title. */
export function renderRenames(out: Output, renames: readonly RenameStep[], truncated = false): void {
  const s = out.style;
  for (const r of renames) {
    out.line(
      s.dim(
        `  renamed ${r.from} → ${r.to} in ${entityRef(r.project, "merge_request", r.iid)} ${out.time(r.at)}`,
      ),
    );
  }
  if (truncated) out.line(s.dim("  (older renames not followed: more than 20 names)"));
}

/** A merge request that changed the file: ref, title (and the file's name then), author, state, when merged. */
export function changeColumns(out: Output, path: string): Column<ChangeView>[] {
  const s = out.style;
  const asThen = (mr: ChangeView) => (mr.path_then !== path ? ` (as ${mr.path_then})` : "");
  return [
    { header: "MR", text: (mr) => entityRef(mr.project, "merge_request", mr.iid), paint: (t) => s.bold(t) },
    {
      header: "TITLE",
      text: (mr) => `${mr.title}${asThen(mr)}`,
      // The old name in yellow, where the cut left it whole.
      paint: (t, mr) => {
        const then = asThen(mr);
        return then && t.endsWith(then) ? `${t.slice(0, -then.length)}${s.yellow(then)}` : t;
      },
      shrink: true,
      minWidth: 20,
    },
    { header: "AUTHOR", text: (mr) => `@${mr.author ?? "?"}` },
    { header: "STATE", text: (mr) => stateWord(mr.state), paint: (t, mr) => stateColour(s, mr.state)(t) },
    { header: "MERGED", text: (mr) => (mr.merged_at ? out.time(mr.merged_at) : ""), paint: (t) => s.dim(t) },
  ];
}

function renderDiffNotes(out: Output, notes: readonly DiffNoteItem[], pathThen: string): void {
  const s = out.style;
  out.table(
    [
      whereColumn(out, pathThen),
      { header: "AUTHOR", text: (n) => `@${n.author ?? "?"}` },
      { header: "NOTE", text: (n) => n.excerpt, shrink: true, minWidth: 20 },
      { header: "WHEN", text: (n) => out.time(n.created_at), paint: (t) => s.dim(t) },
      resolvedColumn(out),
    ],
    notes,
    { header: false, indent: 4 },
  );
}

/** Where a DiffNote sits: `line 42` on the file the MR changed, else `path:line` (or the path). */
export function whereColumn<Row extends { readonly path: string; readonly line: number | null }>(
  out: Output,
  pathThen: string,
): Column<Row> {
  return {
    header: "WHERE",
    text: (n) =>
      n.path === pathThen
        ? n.line === null
          ? "the file"
          : `line ${n.line}`
        : n.line === null
          ? n.path
          : `${n.path}:${n.line}`,
    paint: (t) => out.style.yellow(t),
    shrink: true,
    minWidth: 16,
  };
}

/** "resolved" in green, "unresolved" in yellow; nothing for a note that cannot be resolved. */
export function resolvedColumn<Row extends { readonly resolved: boolean | null }>(out: Output): Column<Row> {
  const s = out.style;
  return {
    header: "RESOLVED",
    text: (r) => (r.resolved === null ? "" : r.resolved ? "resolved" : "unresolved"),
    paint: (t, r) => (r.resolved ? s.green(t) : s.yellow(t)),
  };
}
