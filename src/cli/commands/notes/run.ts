// `lore notes`: validates the filters, resolves --on and -p against the mirror, and prints the
// notes the history module finds.

import { findNamedEntity } from "../../../history/entity-argument.js";
import { listNotes, type NotesResult, type NoteView } from "../../../history/notes.js";
import { noteExcerpt } from "../../../history/timeline-events.js";
import { diffPositionText } from "../../../read/diff-position.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import type { Output } from "../../output.js";
import { projectScope } from "../../project-filter.js";
import { parseNotesOptions } from "./options.js";

export async function runNotes(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<NotesResult>> {
  const config = ctx.config();
  const configured = config.projects.map((p) => p.path);
  const options = parseNotesOptions(invocation.options, configured, config.gitlab.baseUrl);
  const db = await ctx.readDb();
  const scope = projectScope(db, config, options.project);
  const on = options.on
    ? findNamedEntity(db, options.on, { paths: scope.paths, ids: scope.ids, configured })
    : undefined;
  const data = listNotes(db, {
    // Without -p every stored project is in scope: no filter, so the query needs no join.
    projectIds: on || scope.everything ? undefined : scope.ids,
    author: options.author,
    type: options.type,
    on: on ? { type: on.type, id: on.id } : undefined,
    pathPrefix: options.pathPrefix,
    since: options.since,
    unresolved: options.unresolved,
    contains: options.contains,
    sort: options.sort,
    ascending: options.ascending,
    limit: options.limit,
  });
  return { data, render: (out) => renderNotes(out, data) };
}

const BODY_LINES = 3;

function renderNotes(out: Output, data: NotesResult): void {
  const s = out.style;
  if (data.notes.length === 0) {
    out.line(s.dim("No notes match."));
    return;
  }
  for (const note of data.notes) {
    const parent = `${note.project}${note.entity_type === "issue" ? "#" : "!"}${note.iid}`;
    const where = diffPositionText(note.position);
    const flags = [
      note.system ? "system" : null,
      where ? s.yellow(where) : null,
      note.resolvable ? (note.resolved ? s.green("resolved") : s.red("unresolved")) : null,
    ].filter((f): f is string => f !== null);
    out.line(
      `${s.cyan(`@${note.author ?? "?"}`)} on ${s.bold(parent)} ${note.title} ${s.dim(`· ${note.created_at}`)}${flags.map((flag) => ` · ${flag}`).join("")}`,
    );
    for (const line of bodyLines(note)) out.line(`  ${line}`);
    out.line(`  ${s.dim(note.web_url)}`);
  }
  out.line(
    s.dim(
      `${data.notes.length} note${data.notes.length === 1 ? "" : "s"}${data.omitted_notes > 0 ? ` · ${data.omitted_notes} more match (raise -n)` : ""}`,
    ),
  );
}

function bodyLines(note: NoteView): string[] {
  const lines = note.body.split(/\r?\n/).filter((line) => line.trim() !== "");
  const shown = lines.slice(0, BODY_LINES).map((line) => noteExcerpt(line, 200));
  if (lines.length > BODY_LINES) shown.push("…");
  return shown;
}
