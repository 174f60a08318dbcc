// `lore trace PATH[:LINE]`: parse, ask the code module, render.

import { parseTraceTarget, type TraceResult, trace } from "../../../code/trace.js";
import { parseLimit } from "../../../search/filters.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import type { Output } from "../../output.js";
import { projectScope } from "../../project-filter.js";
import { renderOmitted } from "../who/render.js";

export async function runTrace(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<TraceResult>> {
  const o = invocation.options;
  const target = parseTraceTarget(String(invocation.args[0]));
  const limit = parseLimit(o.limit, 20);
  const config = ctx.config();
  const db = await ctx.db();
  const scope = projectScope(db, config, o.project);
  const data = trace(db, {
    target,
    projectIds: scope.ids,
    fullThreads: o.discussions === true,
    limit,
    now: Date.now(),
  });
  return { data, render: (out) => renderTrace(out, data, scope.ids.length === 0) };
}

function renderTrace(out: Output, data: TraceResult, nothingSynced: boolean): void {
  const s = out.style;
  if (nothingSynced) {
    out.line(s.dim("Nothing synced yet: run lore sync."));
    return;
  }
  const line = data.line === null ? "" : `:${data.line} (± ${data.line_radius} lines)`;
  out.line(s.bold(`Trace of ${data.path}${line}`));
  for (const r of data.renames) out.line(s.dim(`  renamed ${r.from} → ${r.to} in ${r.project}!${r.iid}`));
  if (data.chains.length === 0) out.line(s.dim(`No MR in the mirror changed ${data.path}.`));
  for (const chain of data.chains) {
    const mr = chain.merge_request;
    const when = mr.merged_at ? `merged ${mr.merged_at.slice(0, 10)}` : mr.state;
    const then = mr.path_then !== data.path ? s.yellow(` (as ${mr.path_then})`) : "";
    out.line("");
    out.line(
      `${s.bold(`${mr.project}!${mr.iid}`)} ${mr.title}${then} ${s.dim(`· @${mr.author ?? "?"} · ${when}`)}`,
    );
    for (const issue of chain.issues) {
      out.line(
        `  ${issue.via === "closes" ? "closes" : "mentions"} ${s.bold(`${issue.project}#${issue.iid}`)} ${issue.title} ${s.dim(issue.state)}`,
      );
    }
    if (chain.omitted_issues > 0) out.line(s.dim(`  … ${chain.omitted_issues} more issues`));
    for (const t of chain.discussions) {
      const where = t.line === null ? t.path : `${t.path}:${t.line}`;
      const state = t.resolved === null ? "" : t.resolved ? s.green(" resolved") : s.yellow(" unresolved");
      out.line(
        `  ${s.yellow(where)} @${t.started_by ?? "?"}: ${t.excerpt} ${s.dim(`(${t.note_count} notes)`)}${state}`,
      );
      for (const n of t.notes ?? []) {
        out.line(s.dim(`    @${n.author ?? "?"} ${n.created_at.slice(0, 10)}`));
        for (const text of n.body.trim().split("\n")) out.line(`      ${text}`);
      }
    }
    if (chain.omitted_discussions > 0) out.line(s.dim(`  … ${chain.omitted_discussions} more threads`));
  }
  renderOmitted(out, data.omitted_chains, "merge requests");
}
