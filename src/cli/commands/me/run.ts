// `lore me`: whose dashboard, read it, render it, and record the look once it is printed.

import { LoreError } from "../../../core/errors.js";
import { type MeResult, me } from "../../../people/me.js";
import { parseUsername } from "../../../people/usernames.js";
import { parseLimit, parseSince } from "../../../search/filters.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import type { Output } from "../../output.js";
import { projectScope } from "../../project-filter.js";
import { renderOmitted, renderOpenLists } from "../who/render.js";

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

function renderMe(out: Output, data: MeResult, nothingSynced: boolean, byDate: boolean): void {
  const s = out.style;
  if (nothingSynced) out.line(s.dim("Nothing synced yet: run lore sync."));
  out.line(s.bold(`@${data.username}`));
  out.line("");
  renderOpenLists(out, data, "your");
  out.line("");
  if (data.baseline) {
    out.line(
      s.bold("Since you last looked: ") +
        s.dim("this look is the baseline; from now on new replies and mentions show here."),
    );
  } else if (data.since === null) {
    out.line(s.bold("Since you last looked: ") + s.dim("nothing synced yet, so no baseline either."));
  }
  // News is listed since the last look, or since --since (which may come with a new baseline).
  if (data.since !== null) {
    const total = data.inbox.length + data.omitted_inbox;
    out.line(s.bold(`Since ${data.since.slice(0, 16).replace("T", " ")} UTC (${total})`));
    if (total === 0) out.line(s.dim("  nothing new"));
  }
  for (const item of data.inbox) {
    const ref = `${item.project}${item.entity_type === "issue" ? "#" : "!"}${item.iid}`;
    const kind = item.kind === "mention" ? s.magenta("mention") : s.cyan("reply  ");
    out.line(
      `  ${kind} ${s.bold(ref)} @${item.author ?? "?"}: ${item.excerpt} ${s.dim(item.at.slice(0, 10))}`,
    );
  }
  renderOmitted(
    out,
    data.omitted_inbox,
    "items",
    byDate ? "raise -n to see them" : "raise -n, or run lore me again: they stay new",
  );
}
