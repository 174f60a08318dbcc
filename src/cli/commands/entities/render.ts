// Human views of `lore issues` / `lore mrs`: a count line and aligned columns for lists; for one
// entity, a header, its description and threads (Markdown rendered on a terminal), its links,
// changed files and events. Long output goes through the pager on a terminal.

import type { EntityListRow, EntityType, ListOrder } from "../../../read/list-entities.js";
import type { EntityDetail } from "../../../read/show-entity.js";
import { formatCount, plural } from "../../format/count.js";
import { stateColour } from "../../format/entity-ref.js";
import type { Column } from "../../format/table.js";
import type { Output } from "../../output.js";
import type { EntityListOptions } from "./options.js";

const SIGILS = { issue: "#", merge_request: "!" } as const;
const NOUNS = {
  issue: ["issue", "issues"],
  merge_request: ["merge request", "merge requests"],
} as const;
const STATE_WORDS: Record<string, string> = {
  opened: "open ",
  closed: "closed ",
  merged: "merged ",
  locked: "locked ",
  all: "",
};

export interface ListView {
  readonly type: EntityType;
  readonly rows: readonly EntityListRow[];
  /** Every stored match (rows holds at most the limit). */
  readonly total: number;
  readonly state: string;
  readonly sort: ListOrder;
  /** The configured projects in scope. */
  readonly projects: readonly string[];
  readonly nothingSynced: boolean;
  /** Filters beyond project and state narrowed the list. */
  readonly filtered: boolean;
}

/** Whether any filter beyond -p and --state narrows the list (for "matching the filters"). */
export function hasNarrowingFilters(o: EntityListOptions): boolean {
  return [
    o.labels,
    o.author,
    o.since,
    o.assignee,
    o.reviewer,
    o.milestone,
    o.draft,
    o.targetBranch,
    o.sourceBranch,
    o.search,
    o.createdSince,
    o.dueBefore,
  ].some((value) => value !== undefined);
}

/** "Showing 50 of 1,412 open issues in acme/platform". */
export function countLine(
  view: Omit<ListView, "rows" | "nothingSynced"> & { readonly shown: number },
): string {
  const [one, many] = NOUNS[view.type];
  const noun = `${STATE_WORDS[view.state] ?? `${view.state} `}${view.total === 1 ? one : many}`;
  const where = view.projects.length === 1 ? view.projects[0] : `${view.projects.length} projects`;
  const matching = view.filtered ? " matching the filters" : "";
  return `Showing ${formatCount(view.shown)} of ${formatCount(view.total)} ${noun} in ${where}${matching}`;
}

function stateText(row: EntityListRow): string {
  if (row.draft && row.state === "opened") return "draft";
  return row.state === "opened" ? "open" : row.state;
}

export function renderList(out: Output, view: ListView): void {
  const s = out.style;
  if (view.nothingSynced) {
    out.line(s.dim("Nothing synced yet: run lore sync."));
    return;
  }
  if (view.rows.length === 0) {
    const [, many] = NOUNS[view.type];
    const where = view.projects.length === 1 ? view.projects[0] : `${view.projects.length} projects`;
    const noun = `${STATE_WORDS[view.state] ?? `${view.state} `}${many}`;
    out.line(s.dim(`No ${noun} in ${where}${view.filtered ? " match the filters" : ""}.`));
    return;
  }
  out.page();
  out.line(countLine({ ...view, shown: view.rows.length }));
  out.line();
  out.table(listColumns(out, view), view.rows);
}

function listColumns(out: Output, view: ListView): Column<EntityListRow>[] {
  const s = out.style;
  const sigil = SIGILS[view.type];
  const isMr = view.type === "merge_request";
  const columns: (Column<EntityListRow> | false)[] = [
    {
      header: "ID",
      text: (r) => `${sigil}${r.iid}`,
      paint: (t, r) => (r.state === "opened" ? s.green(t) : r.state === "merged" ? s.magenta(t) : s.dim(t)),
    },
    view.projects.length > 1 && { header: "PROJECT", text: (r) => r.project, shrink: true, minWidth: 10 },
    { header: "TITLE", text: (r) => r.title, shrink: true, minWidth: 20 },
    (isMr || view.state === "all") && { header: "STATE", text: stateText },
    isMr && {
      header: "BRANCH",
      text: (r) => `${r.source_branch ?? "?"} → ${r.target_branch ?? "?"}`,
      paint: (t) => s.cyan(t),
      shrink: true,
      minWidth: 10,
    },
    {
      header: "LABELS",
      text: (r) => r.labels.join(", "),
      paint: (t) => s.magenta(t),
      shrink: true,
      minWidth: 8,
    },
    { header: "AUTHOR", text: (r) => (r.author ? `@${r.author}` : ""), shrink: true, minWidth: 8 },
    view.sort === "created"
      ? { header: "CREATED", text: (r) => out.time(r.created_at), paint: (t) => s.dim(t) }
      : { header: "UPDATED", text: (r) => out.time(r.updated_at), paint: (t) => s.dim(t) },
  ];
  return columns.filter((c): c is Column<EntityListRow> => c !== false);
}

export function renderDetail(out: Output, type: EntityType, d: EntityDetail): void {
  const s = out.style;
  const sigil = SIGILS[type];
  const str = (key: string) => (typeof d[key] === "string" ? (d[key] as string) : null);
  const people = (key: string) =>
    ((d[key] as string[] | undefined) ?? []).map((n) => `@${n}`).join(", ") || "none";
  const when = (key: string) => {
    const value = str(key);
    return value ? out.time(value) : "?";
  };
  out.page();
  out.line(`${s.bold(`${d.project}${sigil}${d.iid}`)} ${s.bold(d.title)}`);
  const state = `${d.state === "opened" ? "open" : d.state}${d.draft ? " (draft)" : ""}`;
  out.line(
    `${stateColour(s, d.state)(state)} · opened by @${str("author") ?? "?"} ${when("created_at")} · updated ${when("updated_at")}${str("synced_at") ? s.dim(` · synced ${when("synced_at")}`) : ""}`,
  );
  const labels = (d.labels as string[]).join(", ");
  const facts = [
    `labels: ${labels ? s.magenta(labels) : "none"}`,
    `assignees: ${people("assignees")}`,
    type === "merge_request" ? `reviewers: ${people("reviewers")}` : undefined,
    str("milestone_title") ? `milestone: ${str("milestone_title")}` : undefined,
    str("due_date") ? `due: ${str("due_date")}` : undefined,
  ].filter((fact) => fact !== undefined);
  out.line(facts.join(" · "));
  if (type === "merge_request")
    out.line(`branches: ${s.cyan(`${str("source_branch") ?? "?"} → ${str("target_branch") ?? "?"}`)}`);
  out.line(s.cyan(d.web_url));
  out.line();
  const description = str("description")?.trim();
  if (description) for (const line of out.markdown(description)) out.line(line);
  else out.line(s.dim("(no description)"));

  if (type === "merge_request") renderChangedFiles(out, d);
  renderLinks(out, type, d);
  renderEvents(out, d);
  renderDiscussions(out, d);
}

function renderChangedFiles(out: Output, d: EntityDetail): void {
  const s = out.style;
  const files = d.changed_files as {
    old_path: string;
    new_path: string;
    new_file: boolean;
    renamed_file: boolean;
    deleted_file: boolean;
  }[];
  if (files.length === 0) return;
  out.line();
  out.line(s.bold(`Changed files (${formatCount(files.length)})`));
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

interface LinkedItem {
  readonly iid: number | null;
  readonly title: string | null;
  readonly state: string | null;
  readonly project: string | null;
  readonly id?: string;
}

function renderLinks(out: Output, type: EntityType, d: EntityDetail): void {
  const s = out.style;
  const sections: [string, string][] =
    type === "issue"
      ? [
          ["related_mrs", "Related merge requests"],
          ["closed_by", "Closed by"],
        ]
      : [["closes_issues", "Closes"]];
  for (const [key, title] of sections) {
    const items = (d[key] as LinkedItem[] | undefined) ?? [];
    if (items.length === 0) continue;
    const itemSigil = key === "closes_issues" ? "#" : "!";
    out.line();
    out.line(s.bold(title));
    out.table(
      [
        {
          header: "REF",
          text: (i) => (i.iid === null ? (i.id ?? "?") : `${i.project ?? ""}${itemSigil}${i.iid}`),
        },
        { header: "TITLE", text: (i) => i.title ?? "", shrink: true, minWidth: 20 },
        { header: "STATE", text: (i) => i.state ?? "", paint: (t) => s.dim(t) },
      ],
      items,
      { header: false, indent: 2 },
    );
  }
}

function renderEvents(out: Output, d: EntityDetail): void {
  if (d.events.length === 0) return;
  const s = out.style;
  out.line();
  out.line(s.bold("Timeline"));
  out.table(
    [
      { header: "WHEN", text: (e) => out.time(e.created_at), paint: (t) => s.dim(t) },
      { header: "WHO", text: (e) => `@${e.user ?? "?"}` },
      {
        header: "WHAT",
        text: (e) =>
          e.kind === "state"
            ? `${e.state}`
            : e.kind === "label"
              ? `${e.action === "remove" ? "removed" : "added"} label ${e.label ?? "?"}`
              : `${e.action === "remove" ? "removed" : "set"} milestone ${e.milestone ?? "?"}`,
        shrink: true,
      },
    ],
    d.events,
    { header: false, indent: 2 },
  );
}

function renderDiscussions(out: Output, d: EntityDetail): void {
  if (d.discussions.length === 0) return;
  const s = out.style;
  out.line();
  out.line(s.bold(`Discussions (${plural(d.discussions.length, "thread")})`));
  for (const thread of d.discussions) {
    thread.notes.forEach((note, index) => {
      const reply = index > 0;
      const indent = reply ? "    " : "  ";
      const author = `@${note.author ?? "?"}`;
      if (note.system) {
        out.line(s.dim(`${indent}${author} ${note.body.trim()} · ${out.time(note.created_at)}`));
        return;
      }
      const where = positionText(note.position);
      out.line(
        `${indent}${reply ? "↳ " : ""}${s.bold(author)} ${s.dim(out.time(note.created_at))}${where ? ` ${s.yellow(where)}` : ""}${note.resolved ? s.green(" resolved") : ""}`,
      );
      const bodyIndent = `${indent}${reply ? "  " : ""}  `;
      for (const line of out.markdown(note.body, bodyIndent.length)) out.line(`${bodyIndent}${line}`);
    });
  }
}

function positionText(position: unknown): string | null {
  if (!position || typeof position !== "object") return null;
  const p = position as {
    new_path?: string;
    old_path?: string;
    new_line?: number | null;
    old_line?: number | null;
  };
  const path = p.new_path ?? p.old_path;
  if (!path) return null;
  const line = p.new_line ?? p.old_line;
  return line ? `${path}:${line}` : path;
}
