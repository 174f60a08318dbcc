// `lore who`: parse the question, ask the people module, render the answer.

import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { projectScope } from "../../project-filter.js";
import { parseWhoOptions } from "./options.js";
import { renderWho, type WhoData } from "./render.js";

export async function runWho(invocation: Invocation, ctx: CommandContext): Promise<CommandResult<WhoData>> {
  const now = Date.now();
  const request = parseWhoOptions(invocation.options, invocation.args[0], now);
  const config = ctx.config();
  const db = await ctx.readDb();
  const scope = projectScope(db, config, request.project);
  const common = { projectIds: scope.ids, since: request.since, limit: request.limit };
  let data: WhoData;
  switch (request.mode) {
    case "expert": {
      const { findExperts } = await import("../../../people/expert.js");
      data = findExperts(db, {
        ...common,
        path: request.path,
        halfLifeDays: request.halfLifeDays,
        includeBots: request.includeBots,
        explain: request.explain,
        now,
      });
      break;
    }
    case "workload": {
      const { userWorkload } = await import("../../../people/workload.js");
      data = userWorkload(db, { ...common, username: request.username, now });
      break;
    }
    case "reviews": {
      const { reviewHabits } = await import("../../../people/reviews.js");
      data = reviewHabits(db, { ...common, username: request.username, now });
      break;
    }
    case "active": {
      const { activeDiscussions } = await import("../../../people/active.js");
      data = activeDiscussions(db, { ...common, now });
      break;
    }
    case "overlap": {
      const { overlap } = await import("../../../people/overlap.js");
      data = overlap(db, { ...common, path: request.path, includeBots: request.includeBots });
      break;
    }
  }
  const nothingSynced = scope.ids.length === 0;
  return { data, render: (out) => renderWho(out, data, nothingSynced) };
}
