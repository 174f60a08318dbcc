// `lore me`: whose dashboard, read it, render it, and record the look once it is printed.

import { LoreError } from "../../../core/errors.js";
import { type MeResult, me } from "../../../people/me.js";
import { parseUsername } from "../../../people/usernames.js";
import { parseLimit, parseSince } from "../../../search/filters.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { projectScope } from "../../project-filter.js";
import { renderMe } from "./render.js";

export async function runMe(invocation: Invocation, ctx: CommandContext): Promise<CommandResult<MeResult>> {
  const o = invocation.options;
  const now = Date.now();
  const given = typeof o.user === "string" ? parseUsername(o.user, "--user") : undefined;
  const since = typeof o.since === "string" ? parseSince(o.since, now) : undefined;
  const limit = parseLimit(o.limit, 50);
  const config = ctx.config();
  const username = given ?? config.gitlab.username;
  if (!username) {
    throw new LoreError("CONFIG", "No user to show: gitlab.username is not set in the config.", {
      suggestion:
        "Run lore doctor with your token set (it records the token's user), or name one with --user.",
      actions: ["lore doctor", "lore me --user USERNAME"],
    });
  }
  const db = await ctx.db();
  const scope = projectScope(db, config, undefined);
  const answer = me(db, {
    username,
    projectIds: scope.ids,
    since,
    resetCursor: o.resetCursor === true,
    limit,
    now,
  });
  const data = answer.result;
  return {
    data,
    render: (out) => renderMe(out, data, scope.ids.length === 0, since !== undefined),
    ...(answer.advance ? { afterOutput: answer.advance } : {}),
  };
}
