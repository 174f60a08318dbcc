// `lore trace PATH[:LINE]`: parse, ask the code module, render.

import { parseTraceTarget, type TraceResult, trace } from "../../../code/trace.js";
import { parseLimit } from "../../../search/filters.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { projectScope } from "../../project-filter.js";
import { renderTrace } from "./render.js";

export async function runTrace(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<TraceResult>> {
  const o = invocation.options;
  const target = parseTraceTarget(String(invocation.args[0]));
  const limit = parseLimit(o.limit, 20);
  const config = ctx.config();
  const db = await ctx.readDb();
  const scope = projectScope(db, config, o.project);
  const data = trace(db, {
    target,
    projectIds: scope.ids,
    fullThreads: o.discussions === true,
    limit,
    now: Date.now(),
  });
  if (o.discussions === true) await ctx.output.enableMarkdown();
  return { data, render: (out) => renderTrace(out, data, scope.ids.length === 0) };
}
