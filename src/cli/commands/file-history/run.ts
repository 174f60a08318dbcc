// `lore file-history PATH`: parse, ask the code module, render.

import { type FileHistoryResult, fileHistory } from "../../../code/file-history.js";
import { parsePathQuery } from "../../../code/path-query.js";
import { parseLimit } from "../../../search/filters.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { projectScope } from "../../project-filter.js";
import { renderFileHistory } from "./render.js";

export async function runFileHistory(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<FileHistoryResult>> {
  const o = invocation.options;
  const path = parsePathQuery(String(invocation.args[0]));
  const limit = parseLimit(o.limit, 50);
  const config = ctx.config();
  const db = await ctx.readDb();
  const scope = projectScope(db, config, o.project);
  const data = fileHistory(db, {
    path,
    projectIds: scope.ids,
    followRenames: o.followRenames !== false,
    mergedOnly: o.merged === true,
    discussions: o.discussions === true,
    limit,
    now: Date.now(),
  });
  return { data, render: (out) => renderFileHistory(out, data, scope.ids.length === 0) };
}
