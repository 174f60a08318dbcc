// Human views of the people answers: a title, a count line, then aligned tables fitted to the
// terminal (relative times there, ISO times through a pipe), through the pager on a terminal.
// `lore me` reuses the open-work sections and the thread list.

import type { ActiveResult } from "../../../people/active.js";
import type { Contribution, ExpertResult } from "../../../people/expert.js";
import type { DiscussionItem, IssueItem, MergeRequestItem } from "../../../people/items.js";
import type { OverlapResult } from "../../../people/overlap.js";
import type { ReviewsResult } from "../../../people/reviews.js";
import type { WorkloadResult } from "../../../people/workload.js";
import { formatCount, moreText, plural, showing } from "../../format/count.js";
import { entityRef, stateColour, stateWord } from "../../format/entity-ref.js";
import type { Column } from "../../format/table.js";
import type { Output } from "../../output.js";

export type WhoData = ExpertResult | WorkloadResult | ReviewsResult | ActiveResult | OverlapResult;

const people = (names: readonly string[]) => names.map((n) => `@${n}`).join(", ");

export function renderWho(out: Output, data: WhoData, nothingSynced: boolean): void {
  if (nothingSynced) {
    out.line(out.style.dim("Nothing synced yet: run lore sync."));
    return;
  }
  out.page();
  switch (data.mode) {
    case "expert":
      renderExperts(out, data);
      break;
    case "workload":
      renderWorkload(out, data);
      break;
    case "reviews":
      renderReviews(out, data);
      break;
    case "active":
      renderActive(out, data);
      break;
    case "overlap":
      renderOverlap(out, data);
      break;
  }
}

export interface MoreOptions {
  /** The noun's plural when it is not the singular plus "s". */
  readonly plural?: string;
  /** How to see them (default "raise -n to see them"; null: no hint). */
  readonly hint?: string | null;
  /** Spaces before the line (default 2, as list rows). */
  readonly indent?: number;
}

/** `… 3 more people (raise -n to see them)` under a cut list; nothing when nothing was cut. */
export function renderMore(out: Output, omitted: number, singular: string, options: MoreOptions = {}): void {
  const text = moreText(omitted, singular, options.plural, options.hint);
  if (text) out.line(out.style.dim(`${" ".repeat(options.indent ?? 2)}${text}`));
}

/** ` (since 3 days ago)` after a title when --since narrowed the answer. */
function sinceText(out: Output, since: string | null, words = "since"): string {
  return since ? out.style.dim(` (${words} ${out.time(since)})`) : "";
}

function botsText(omitted: number): string {
  return omitted > 0 ? ` · ${plural(omitted, "bot")} left out (--include-bots)` : "";
}

function renderExperts(out: Output, data: ExpertResult): void {
  const s = out.style;
  out.line(
    s.bold(`Who knows ${data.path}`) +
      sinceText(out, data.since) +
      s.dim(` · weight halves every ${data.half_life_days} days`),
  );
  if (data.experts.length === 0) {
    const hint =
      data.path.includes("/") || data.path.includes(".") ? "" : ` (for a person: lore who @${data.path})`;
    out.line(s.dim(`No MR in the mirror changed ${data.path}${hint}.${botsText(data.omitted_bots)}`));
    return;
  }
  const total = data.experts.length + data.omitted_experts;
  out.line(s.dim(`${showing(data.experts.length, total, "person", "people")}${botsText(data.omitted_bots)}`));
  out.line();
  type Expert = ExpertResult["experts"][number];
  const count = (header: string, value: (e: Expert) => number): Column<Expert> => ({
    header,
    text: (e) => formatCount(value(e)),
    align: "right",
  });
  out.table(
    [
      { header: "SCORE", text: (e) => e.score.toFixed(3), align: "right", paint: (t) => s.bold(t) },
      { header: "USER", text: (e) => `@${e.username}`, paint: (t) => s.cyan(t) },
      count("AUTHORED", (e) => e.authored_mrs),
      count("REVIEWED", (e) => e.reviewed_mrs),
      count("DIFFNOTES", (e) => e.diff_notes),
      { header: "LAST ACTIVE", text: (e) => out.time(e.last_active_at), paint: (t) => s.dim(t) },
    ],
    data.experts,
    { after: (e) => renderContributions(out, e) },
  );
  renderMore(out, data.omitted_experts, "person", { plural: "people", indent: 0 });
}

/** --explain: what made up an expert's score, biggest first, under the expert's row. */
function renderContributions(out: Output, expert: ExpertResult["experts"][number]): void {
  const contributions = expert.contributions ?? [];
  if (contributions.length === 0) return;
  const s = out.style;
  const kinds: Record<string, string> = {
    authored: "authored",
    reviewed: "reviewed",
    diff_note: "DiffNote on",
  };
  const columns: Column<Contribution>[] = [
    { header: "WEIGHT", text: (c) => `+${c.weight.toFixed(4)}`, align: "right" },
    { header: "KIND", text: (c) => kinds[c.kind] ?? c.kind },
    { header: "MR", text: (c) => entityRef(c.project, "merge_request", c.iid) },
    { header: "WHEN", text: (c) => out.time(c.at) },
  ];
  out.table(
    columns.map((column) => ({ ...column, paint: (t: string) => s.dim(t) })),
    contributions,
    { header: false, indent: 4 },
  );
  renderMore(out, expert.omitted_contributions ?? 0, "smaller contribution", { hint: null, indent: 4 });
}

/** A section's title with its full count: `Assigned issues (17)`. */
function sectionTitle(out: Output, title: string, total: number): void {
  out.line(out.style.bold(`${title} (${formatCount(total)})`));
}

export function renderIssues(out: Output, title: string, items: readonly IssueItem[], omitted: number): void {
  const s = out.style;
  sectionTitle(out, title, items.length + omitted);
  if (items.length === 0) out.line(s.dim("  none"));
  out.table(
    [
      { header: "ISSUE", text: (i) => entityRef(i.project, "issue", i.iid), paint: (t) => s.bold(t) },
      { header: "TITLE", text: (i) => i.title, shrink: true, minWidth: 20 },
      {
        header: "LABELS",
        text: (i) => i.labels.join(", "),
        paint: (t) => s.magenta(t),
        shrink: true,
        minWidth: 8,
      },
      { header: "OPENED", text: (i) => out.time(i.created_at), paint: (t) => s.dim(t) },
    ],
    items,
    { indent: 2 },
  );
  renderMore(out, omitted, "issue");
}

export function renderMergeRequests(
  out: Output,
  title: string,
  items: readonly MergeRequestItem[],
  omitted: number,
  showAuthor: boolean,
): void {
  const s = out.style;
  sectionTitle(out, title, items.length + omitted);
  if (items.length === 0) out.line(s.dim("  none"));
  const columns: (Column<MergeRequestItem> | false)[] = [
    { header: "MR", text: (m) => entityRef(m.project, "merge_request", m.iid), paint: (t) => s.bold(t) },
    {
      header: "TITLE",
      text: (m) => `${m.draft ? "[draft] " : ""}${m.title}`,
      paint: (t, m) => (m.draft ? t.replace(/^\[draft\]/, s.yellow("[draft]")) : t),
      shrink: true,
      minWidth: 20,
    },
    showAuthor && { header: "AUTHOR", text: (m) => `@${m.author ?? "?"}` },
    {
      header: "REVIEWERS",
      text: (m) => (m.reviewers.length > 0 ? people(m.reviewers) : "none"),
      paint: (t, m) => (m.reviewers.length > 0 ? t : s.yellow(t)),
      shrink: true,
      minWidth: 10,
    },
    {
      header: "UNRESOLVED",
      text: (m) => (m.unresolved_threads > 0 ? plural(m.unresolved_threads, "thread") : ""),
      paint: (t) => s.yellow(t),
    },
    { header: "OPENED", text: (m) => out.time(m.created_at), paint: (t) => s.dim(t) },
  ];
  out.table(
    columns.filter((c): c is Column<MergeRequestItem> => c !== false),
    items,
    { indent: 2 },
  );
  renderMore(out, omitted, "merge request");
}

/** Threads: the entity, where on the diff and the first note's words; who and when below. */
export function renderThreads(out: Output, items: readonly DiscussionItem[]): void {
  const s = out.style;
  out.table(
    [
      {
        header: "REF",
        text: (d) => entityRef(d.project, d.entity_type, d.iid),
        paint: (t) => s.bold(t),
      },
      {
        header: "THREAD",
        text: (d) => (d.position ? `${d.position} ${d.excerpt}` : d.excerpt),
        // The position is painted where the cut left it whole.
        paint: (t, d) =>
          d.position && t.startsWith(`${d.position} `)
            ? `${s.yellow(d.position)}${t.slice(d.position.length)}`
            : t,
        shrink: true,
        minWidth: 20,
      },
    ],
    items,
    {
      header: false,
      indent: 2,
      after: (d) => {
        const started = d.first_note_at ? ` ${out.time(d.first_note_at)}` : "";
        const last = d.last_note_at ? ` · last note ${out.time(d.last_note_at)}` : "";
        const detail = `started by @${d.started_by ?? "?"}${started} · ${plural(d.notes, "note")} · ${people(d.participants)}${last}`;
        out.line(s.dim(`    ${out.fit(detail, 4)}`));
      },
    },
  );
}

function renderThreadSection(
  out: Output,
  title: string,
  items: readonly DiscussionItem[],
  omitted: number,
): void {
  sectionTitle(out, title, items.length + omitted);
  if (items.length === 0) out.line(out.style.dim("  none"));
  renderThreads(out, items);
  renderMore(out, omitted, "thread");
}

export type OpenLists = Pick<
  WorkloadResult,
  | "assigned_issues"
  | "authored_mrs"
  | "review_requests"
  | "omitted_assigned_issues"
  | "omitted_authored_mrs"
  | "omitted_review_requests"
>;

/** The open issues and MRs of someone's plate (`whose`: "their" in who @user, "your" in me). */
export function renderOpenLists(out: Output, data: OpenLists, whose: "their" | "your"): void {
  renderIssues(out, "Assigned issues", data.assigned_issues, data.omitted_assigned_issues);
  out.line();
  renderMergeRequests(
    out,
    `${whose === "your" ? "Your" : "Their"} merge requests`,
    data.authored_mrs,
    data.omitted_authored_mrs,
    false,
  );
  out.line();
  renderMergeRequests(
    out,
    `Waiting for ${whose} review`,
    data.review_requests,
    data.omitted_review_requests,
    true,
  );
}

function renderWorkload(out: Output, data: WorkloadResult): void {
  out.line(out.style.bold(`Open work of @${data.username}`) + sinceText(out, data.since, "active since"));
  out.line();
  renderOpenLists(out, data, "their");
  out.line();
  renderThreadSection(
    out,
    "Unresolved threads they are in",
    data.unresolved_discussions,
    data.omitted_unresolved_discussions,
  );
}

function renderReviews(out: Output, data: ReviewsResult): void {
  const s = out.style;
  out.line(s.bold(`How @${data.username} reviews`) + sinceText(out, data.since));
  if (data.reviewed_mrs === 0) {
    out.line(s.dim("No reviews in the mirror."));
    return;
  }
  const share = data.diff_note_share === null ? "—" : `${Math.round(data.diff_note_share * 100)}%`;
  const firstNote =
    data.median_first_review_hours === null ? "—" : plural(data.median_first_review_hours, "hour");
  const facts: [string, string][] = [
    ["merge requests reviewed", formatCount(data.reviewed_mrs)],
    ["notes per MR", `${data.notes_per_mr} (${plural(data.notes, "note")})`],
    ["on the diff", `${share} (${plural(data.diff_notes, "DiffNote")})`],
    ["first note after (median)", firstNote],
  ];
  out.table(
    [
      { header: "FACT", text: (f) => f[0] },
      { header: "VALUE", text: (f) => f[1], paint: (t) => s.bold(t) },
    ],
    facts,
    { header: false, indent: 2 },
  );
  if (data.top_paths.length > 0) {
    out.line();
    out.line(s.bold("Most reviewed directories"));
    out.table(
      [
        { header: "MRS", text: (p) => plural(p.mrs, "MR") },
        { header: "DIRECTORY", text: (p) => p.path, paint: (t) => s.yellow(t), shrink: true },
      ],
      data.top_paths,
      { header: false, indent: 2 },
    );
    renderMore(out, data.omitted_paths, "directory", { plural: "directories", hint: null });
  }
  out.line();
  out.line(s.bold("Recent reviews"));
  out.table(
    [
      { header: "REF", text: (m) => entityRef(m.project, "merge_request", m.iid), paint: (t) => s.bold(t) },
      { header: "TITLE", text: (m) => m.title, shrink: true, minWidth: 20 },
      { header: "STATE", text: (m) => stateWord(m.state), paint: (t, m) => stateColour(s, m.state)(t) },
      {
        header: "NOTES",
        text: (m) => `${plural(m.notes, "note")}, ${formatCount(m.diff_notes)} on the diff`,
        paint: (t) => s.dim(t),
      },
    ],
    data.recent_mrs,
    { header: false, indent: 2 },
  );
  renderMore(out, data.omitted_recent_mrs, "merge request");
}

function renderActive(out: Output, data: ActiveResult): void {
  const s = out.style;
  out.line(s.bold("Unresolved threads, oldest first") + sinceText(out, data.since, "active since"));
  const total = data.discussions.length + data.omitted_discussions;
  if (total === 0) {
    out.line(s.dim("No unresolved threads on open issues or merge requests."));
    return;
  }
  out.line(s.dim(showing(data.discussions.length, total, "thread")));
  out.line();
  renderThreads(out, data.discussions);
  renderMore(out, data.omitted_discussions, "thread", { indent: 0 });
}

function renderOverlap(out: Output, data: OverlapResult): void {
  const s = out.style;
  out.line(
    s.bold(`Who else works on the files of ${data.path}'s ${plural(data.recent_mrs, "recent MR")}`) +
      s.dim(` (${plural(data.files.length + data.omitted_files, "file")})`) +
      sinceText(out, data.since),
  );
  if (data.users.length === 0) {
    out.line(s.dim(`No MR in the mirror changed ${data.path}.${botsText(data.omitted_bots)}`));
    return;
  }
  const total = data.users.length + data.omitted_users;
  out.line(s.dim(`${showing(data.users.length, total, "person", "people")}${botsText(data.omitted_bots)}`));
  out.line();
  type User = OverlapResult["users"][number];
  out.table(
    [
      { header: "USER", text: (u: User) => `@${u.username}`, paint: (t) => s.cyan(t) },
      { header: "AUTHORED", text: (u) => formatCount(u.authored_mrs), align: "right" },
      { header: "REVIEWED", text: (u) => formatCount(u.reviewed_mrs), align: "right" },
      { header: "SHARED FILES", text: (u) => formatCount(u.shared_files), align: "right" },
      { header: "LAST TOUCHED", text: (u) => out.time(u.last_touched_at), paint: (t) => s.dim(t) },
    ],
    data.users,
    {
      after: (u) => {
        const files = `${u.files.join(", ")}${u.shared_files > u.files.length ? ", …" : ""}`;
        out.line(s.dim(`  ${out.fit(`${files} · ${u.mrs.join(" ")}`, 2)}`));
      },
    },
  );
  renderMore(out, data.omitted_users, "person", { plural: "people", indent: 0 });
}
