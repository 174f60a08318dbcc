// The human view of `lore notes`: a count line, then per note one aligned line (who, on what,
// when, where on the diff, resolved) and the start of its body — Markdown rendered on a
// terminal, the source through a pipe — with the note's URL.

import type { NotesResult, NoteView } from "../../../history/notes.js";
import { diffPositionText } from "../../../read/diff-position.js";
import { moreText, plural, showing } from "../../format/count.js";
import { entityRef } from "../../format/entity-ref.js";
import { type Output, type Paint, plainStyle, type Style } from "../../output.js";

/** Lines of a body shown in the list; the rest is counted (the full body: --robot, or the URL). */
const BODY_LINES = 8;

export function renderNotes(out: Output, data: NotesResult): void {
  const s = out.style;
  if (data.notes.length === 0) {
    out.line(s.dim("No notes match."));
    return;
  }
  out.page();
  const total = data.notes.length + data.omitted_notes;
  out.line(s.dim(showing(data.notes.length, total, "note")));
  out.line();
  out.table(
    [
      { header: "AUTHOR", text: (n: NoteView) => `@${n.author ?? "?"}`, paint: (t) => s.cyan(t) },
      { header: "ON", text: (n) => entityRef(n.project, n.entity_type, n.iid), paint: (t) => s.bold(t) },
      { header: "TITLE", text: (n) => n.title, shrink: true, minWidth: 16 },
      { header: "WHEN", text: (n) => out.time(n.created_at), paint: (t) => s.dim(t) },
      {
        header: "FLAGS",
        text: flags,
        // Each part in its colour when the cut left the cell whole (else plain).
        paint: (t, n) =>
          t === flags(n)
            ? flagParts(n, s)
                .map(([part, paint]) => paint(part))
                .join(" · ")
            : t,
        shrink: true,
        minWidth: 12,
      },
    ],
    data.notes,
    {
      header: false,
      after: (note, index) => {
        for (const line of bodyLines(out, note)) out.line(`  ${line}`);
        out.line(`  ${s.dim(note.web_url)}`);
        if (index < data.notes.length - 1) out.line();
      },
    },
  );
  const more = moreText(data.omitted_notes, "note");
  if (more) {
    out.line();
    out.line(s.dim(more));
  }
}

/** Where on the diff (`path:line`), whether resolved, or that GitLab wrote it, each with its colour. */
function flagParts(note: NoteView, s: Style = plainStyle): [string, Paint][] {
  const parts: [string, Paint][] = [];
  const where = note.system ? null : diffPositionText(note.position);
  if (note.system) parts.push(["system note", s.dim]);
  if (where) parts.push([where, s.yellow]);
  if (note.resolvable) parts.push(note.resolved ? ["resolved", s.green] : ["unresolved", s.red]);
  return parts;
}

/** `src/a.ts:12 · unresolved`. */
function flags(note: NoteView): string {
  return flagParts(note)
    .map(([part]) => part)
    .join(" · ");
}

/** The body's first lines: rendered Markdown on a terminal, the source otherwise (system notes plain). */
function bodyLines(out: Output, note: NoteView): string[] {
  const s = out.style;
  const lines = note.system
    ? [s.dim(note.body.trim())]
    : out
        .markdown(note.body, 2)
        .filter((line, i, all) => line.trim() !== "" || (i > 0 && all[i - 1]?.trim() !== ""));
  if (lines.length <= BODY_LINES) return lines;
  const rest = lines.length - BODY_LINES;
  return [...lines.slice(0, BODY_LINES), s.dim(`… ${plural(rest, "more line")}`)];
}
