// `lore issues` and `lore mrs`: a compact list, or everything stored about one entity.

import { needsRefresh, resolveMaxAge } from "../../../agent/max-age.js";
import { diffPositionText } from "../../../read/diff-position.js";
import { entitySyncedAt } from "../../../read/freshness.js";
import { type EntitySummary, type EntityType, listEntities } from "../../../read/list-entities.js";
import { type EntityDetail, showEntity } from "../../../read/show-entity.js";
import type { CommandResult, CommandRun, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { type FreshRead, NOT_REFRESHED, refreshBeforeRead } from "../../fresh-read.js";
import type { Output } from "../../output.js";
import { projectScope } from "../../project-filter.js";
import { lookUpStoredEntity, notInMirror } from "../../stored-entity.js";
import { parseEntityListOptions, parseIid, parseProjectFlag } from "./options.js";

const NAMES = {
  issue: { plural: "issues", single: "issue", sigil: "#" },
  merge_request: { plural: "mrs", single: "mr", sigil: "!" },
} as const;

export function entitiesCommand(type: EntityType): CommandRun {
  return (invocation, ctx) =>
    invocation.args[0] === undefined ? list(type, invocation, ctx) : show(type, invocation, ctx);
}

async function list(type: EntityType, invocation: Invocation, ctx: CommandContext): Promise<CommandResult> {
  const config = ctx.config();
  const options = parseEntityListOptions(
    invocation.options,
    config.projects.map((p) => p.path),
  );
  const db = await ctx.readDb();
  const scope = projectScope(db, config, options.project);
  const items =
    scope.ids.length === 0
      ? []
      : listEntities(
          db,
          type,
          {
            projectIds: scope.ids,
            state: options.state,
            labels: options.labels,
            author: options.author,
            since: options.since,
          },
          options.limit,
        );
  const data = { [NAMES[type].plural]: items };
  return { data, render: (out) => renderList(out, type, items, scope.ids.length === 0) };
}

async function show(type: EntityType, invocation: Invocation, ctx: CommandContext): Promise<CommandResult> {
  const names = NAMES[type];
  const iid = parseIid(invocation.args[0], names.sigil);
  const config = ctx.config();
  const configured = config.projects.map((p) => p.path);
  const project = parseProjectFlag(invocation.options.project, configured);
  const maxAge = resolveMaxAge(invocation.options.maxAge, config.read.maxAge);
  const db = await ctx.readDb();
  const scope = projectScope(db, config, project);
  const retry = `lore ${names.plural} ${iid}`;
  const locate = () => lookUpStoredEntity(db, projectScope(db, config, project), type, iid, retry);
  let match = scope.ids.length > 0 ? locate() : undefined;

  let fresh: FreshRead = NOT_REFRESHED;
  // Where a refresh would fetch it from: its own project, else the one -p or the config names.
  const target = match?.project ?? project ?? (configured.length === 1 ? configured[0] : undefined);
  if (maxAge !== undefined && target !== undefined) {
    const syncedAt = match ? entitySyncedAt(db, type, match.id) : null;
    if (needsRefresh(syncedAt, maxAge, Date.now())) {
      const refs = type === "issue" ? { issues: [iid], mrs: [] } : { issues: [], mrs: [iid] };
      fresh = await refreshBeforeRead(
        ctx,
        { project: target, ...refs },
        { localCopySyncedAt: match ? syncedAt : undefined },
      );
      if (fresh.refreshed) match = locate();
    }
  }
  if (!match) throw notInMirror(type, iid, scope.paths, retry);
  const detail = showEntity(db, type, match.id);
  const data = { [names.single]: detail, ...fresh };
  return { data, render: (out) => renderDetail(out, type, detail) };
}

function renderList(
  out: Output,
  type: EntityType,
  items: readonly EntitySummary[],
  nothingSynced: boolean,
): void {
  const s = out.style;
  if (items.length === 0) {
    out.line(
      s.dim(
        nothingSynced
          ? "Nothing synced yet: run lore sync."
          : `No ${type === "issue" ? "issues" : "merge requests"} match.`,
      ),
    );
    return;
  }
  const sigil = NAMES[type].sigil;
  const width = Math.max(...items.map((i) => String(i.iid).length)) + 1;
  for (const i of items) {
    const ref = `${sigil}${i.iid}`.padEnd(width + 1);
    const state = (i.draft ? "draft" : i.state).padEnd(7);
    const labels = i.labels.length > 0 ? s.magenta(` [${i.labels.join(", ")}]`) : "";
    out.line(
      `${s.bold(ref)} ${state} ${i.title}${labels} ${s.dim(`@${i.author ?? "?"} · ${i.updated_at.slice(0, 10)} · ${i.project}`)}`,
    );
  }
}

function renderDetail(out: Output, type: EntityType, d: EntityDetail): void {
  const s = out.style;
  const sigil = NAMES[type].sigil;
  const str = (key: string) => (typeof d[key] === "string" ? (d[key] as string) : null);
  const names = (key: string) =>
    ((d[key] as string[] | undefined) ?? []).map((n) => `@${n}`).join(", ") || "none";
  out.line(`${s.bold(`${d.project}${sigil}${d.iid}`)} ${s.bold(d.title)}`);
  out.line(
    `${d.state}${d.draft ? " (draft)" : ""} · opened by @${str("author") ?? "?"} · created ${str("created_at")} · updated ${str("updated_at")}${d.age_seconds === null ? "" : s.dim(` · synced ${formatAge(d.age_seconds)} ago`)}`,
  );
  const labels = (d.labels as string[]).join(", ");
  out.line(
    `labels: ${labels || "none"} · assignees: ${names("assignees")}${type === "merge_request" ? ` · reviewers: ${names("reviewers")}` : ""}${str("milestone_title") ? ` · milestone: ${str("milestone_title")}` : ""}`,
  );
  if (type === "merge_request")
    out.line(`branches: ${str("source_branch") ?? "?"} → ${str("target_branch") ?? "?"}`);
  out.line(s.cyan(d.web_url));
  out.line("");
  out.line(str("description")?.trim() || s.dim("(no description)"));

  if (type === "merge_request") {
    const files = d.changed_files as {
      old_path: string;
      new_path: string;
      new_file: boolean;
      renamed_file: boolean;
      deleted_file: boolean;
    }[];
    if (files.length > 0) {
      out.line("");
      out.line(s.bold(`Changed files (${files.length})`));
      for (const f of files) {
        const flag = f.new_file
          ? s.green(" new")
          : f.deleted_file
            ? s.red(" deleted")
            : f.renamed_file
              ? s.yellow(` renamed from ${f.old_path}`)
              : "";
        out.line(`  ${f.new_path}${flag}`);
      }
    }
  }
  const linkSections: [string, string][] =
    type === "issue"
      ? [
          ["related_mrs", "Related merge requests"],
          ["closed_by", "Closed by"],
        ]
      : [["closes_issues", "Closes"]];
  for (const [key, title] of linkSections) {
    const items =
      (d[key] as {
        iid: number | null;
        title: string | null;
        state: string | null;
        project: string | null;
        id?: string;
      }[]) ?? [];
    if (items.length === 0) continue;
    out.line("");
    out.line(s.bold(title));
    const itemSigil = key === "closes_issues" ? "#" : "!";
    for (const i of items)
      out.line(
        `  ${i.iid === null ? i.id : `${i.project ?? ""}${itemSigil}${i.iid}`} ${i.title ?? ""} ${s.dim(i.state ?? "")}`,
      );
  }
  if (d.events.length > 0) {
    out.line("");
    out.line(s.bold("Timeline"));
    for (const e of d.events) {
      const what =
        e.kind === "state"
          ? `${e.state}`
          : e.kind === "label"
            ? `${e.action === "remove" ? "removed" : "added"} label ${e.label ?? "?"}`
            : `${e.action === "remove" ? "removed" : "set"} milestone ${e.milestone ?? "?"}`;
      out.line(`  ${s.dim(e.created_at)} @${e.user ?? "?"} ${what}`);
    }
  }
  if (d.discussions.length > 0) {
    out.line("");
    out.line(s.bold(`Discussions (${d.discussions.length})`));
    for (const thread of d.discussions) {
      thread.notes.forEach((note, index) => {
        const indent = index === 0 ? "  " : "    ↳ ";
        const where = diffPositionText(note.position);
        const head = `${indent}@${note.author ?? "?"} ${s.dim(note.created_at)}${where ? ` ${s.yellow(where)}` : ""}${note.resolved ? s.green(" resolved") : ""}`;
        if (note.system) {
          out.line(s.dim(`${indent}@${note.author ?? "?"} ${note.body}  ${note.created_at}`));
          return;
        }
        out.line(head);
        for (const line of note.body.trim().split("\n")) out.line(`${" ".repeat(indent.length)}${line}`);
      });
    }
  }
}

/** 42s, 5m, 3h, 2d: how long ago the local copy was fetched. */
function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}
