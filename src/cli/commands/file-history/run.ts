// `lore file-history PATH`: parse, ask the code module, render.

import { type FileHistoryResult, fileHistory } from "../../../code/file-history.js";
import { parsePathQuery } from "../../../code/path-query.js";
import { parseLimit } from "../../../search/filters.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import type { Output } from "../../output.js";
import { projectScope } from "../../project-filter.js";
import { renderOmitted } from "../who/render.js";

export async function runFileHistory(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<FileHistoryResult>> {
  const o = invocation.options;
  const path = parsePathQuery(String(invocation.args[0]));
  const limit = parseLimit(o.limit, 50);
  const config = ctx.config();
  const db = await ctx.db();
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

function renderFileHistory(out: Output, data: FileHistoryResult, nothingSynced: boolean): void {
  const s = out.style;
  if (nothingSynced) {
    out.line(s.dim("Nothing synced yet: run lore sync."));
    return;
  }
  out.line(s.bold(`History of ${data.path}`));
  for (const r of data.renames) out.line(s.dim(`  renamed ${r.from} → ${r.to} in ${r.project}!${r.iid}`));
  if (data.renames_truncated) out.line(s.dim("  (older renames not followed: more than 20 names)"));
  if (data.merge_requests.length === 0) out.line(s.dim(`No MR in the mirror changed ${data.path}.`));
  for (const mr of data.merge_requests) {
    const when = mr.merged_at ? `merged ${mr.merged_at.slice(0, 10)}` : mr.state;
    const then = mr.path_then !== data.path ? s.yellow(` (as ${mr.path_then})`) : "";
    out.line(
      `${s.bold(`${mr.project}!${mr.iid}`)} ${mr.title}${then} ${s.dim(`· @${mr.author ?? "?"} · ${when}`)}`,
    );
    for (const n of mr.discussions ?? []) {
      const where = n.line === null ? n.path : `${n.path}:${n.line}`;
      out.line(`    ${s.yellow(where)} @${n.author ?? "?"}: ${n.excerpt}`);
    }
    if (mr.omitted_discussions) out.line(s.dim(`    … ${mr.omitted_discussions} more DiffNotes`));
  }
  renderOmitted(out, data.omitted_merge_requests, "merge requests");
}
