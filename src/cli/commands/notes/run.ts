// `lore notes`: validates the filters, resolves --on and -p against the mirror, and prints the
// notes the history module finds.

import { findNamedEntity } from "../../../history/entity-argument.js";
import { listNotes, type NotesResult } from "../../../history/notes.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { projectScope } from "../../project-filter.js";
import { parseNotesOptions } from "./options.js";
import { renderNotes } from "./render.js";

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
  await ctx.output.enableMarkdown();
  return { data, render: (out) => renderNotes(out, data) };
}
