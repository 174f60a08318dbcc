// Human views of the people answers. `lore me` reuses the list sections.

import type { ActiveResult } from "../../../people/active.js";
import type { ExpertResult } from "../../../people/expert.js";
import type { DiscussionItem, IssueItem, MergeRequestItem } from "../../../people/items.js";
import type { OverlapResult } from "../../../people/overlap.js";
import type { ReviewsResult } from "../../../people/reviews.js";
import type { WorkloadResult } from "../../../people/workload.js";
import type { Output } from "../../output.js";

export type WhoData = ExpertResult | WorkloadResult | ReviewsResult | ActiveResult | OverlapResult;

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function renderWho(out: Output, data: WhoData, nothingSynced: boolean): void {
  if (nothingSynced) {
    out.line(out.style.dim("Nothing synced yet: run lore sync."));
    return;
  }
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

/** "… N more" under a cut list (with how to see them), nothing when nothing was cut. */
export function renderOmitted(
  out: Output,
  omitted: number,
  what: string,
  hint: string | null = "raise -n to see them",
): void {
  if (omitted > 0) out.line(out.style.dim(`  … ${omitted} more ${what}${hint ? ` (${hint})` : ""}`));
}

function renderExperts(out: Output, data: ExpertResult): void {
  const s = out.style;
  const since = data.since ? ` since ${day(data.since)}` : "";
  out.line(
    s.bold(`Who knows ${data.path}${since}`) + s.dim(` (weight halves every ${data.half_life_days} days)`),
  );
  if (data.experts.length === 0) {
    const hint =
      data.path.includes("/") || data.path.includes(".") ? "" : ` (for a person: lore who @${data.path})`;
    out.line(s.dim(`No MR in the mirror changed ${data.path}${hint}.`));
  } else {
    const width = Math.max(4, ...data.experts.map((e) => e.username.length + 1));
    out.line(
      s.dim(`  ${"score".padStart(7)}  ${"user".padEnd(width)}  authored  reviewed  diffnotes  last active`),
    );
    for (const e of data.experts) {
      out.line(
        `  ${e.score.toFixed(3).padStart(7)}  ${`@${e.username}`.padEnd(width)}  ${String(e.authored_mrs).padStart(8)}  ${String(e.reviewed_mrs).padStart(8)}  ${String(e.diff_notes).padStart(9)}  ${day(e.last_active_at)}`,
      );
      for (const c of e.contributions ?? []) {
        const sigil = c.kind === "diff_note" ? "DiffNote on" : c.kind;
        out.line(s.dim(`             ${sigil} ${c.project}!${c.iid} ${day(c.at)}  +${c.weight.toFixed(4)}`));
      }
      if (e.omitted_contributions)
        out.line(s.dim(`             … ${e.omitted_contributions} smaller contributions`));
    }
  }
  renderOmitted(out, data.omitted_experts, "people");
  if (data.omitted_bots > 0)
    out.line(s.dim(`  ${plural(data.omitted_bots, "bot")} left out (--include-bots)`));
}

export function renderIssues(out: Output, title: string, items: readonly IssueItem[], omitted: number): void {
  out.line(out.style.bold(`${title} (${items.length + omitted})`));
  if (items.length === 0) out.line(out.style.dim("  none"));
  for (const i of items) {
    const labels = i.labels.length > 0 ? out.style.magenta(` [${i.labels.join(", ")}]`) : "";
    out.line(
      `  ${out.style.bold(`${i.project}#${i.iid}`)} ${i.title}${labels} ${out.style.dim(`· ${i.age_days}d old`)}`,
    );
  }
  renderOmitted(out, omitted, "issues");
}

export function renderMergeRequests(
  out: Output,
  title: string,
  items: readonly MergeRequestItem[],
  omitted: number,
  showAuthor: boolean,
): void {
  const s = out.style;
  out.line(s.bold(`${title} (${items.length + omitted})`));
  if (items.length === 0) out.line(s.dim("  none"));
  for (const m of items) {
    const facts = [
      ...(showAuthor ? [`by @${m.author ?? "?"}`] : []),
      m.reviewers.length > 0 ? `reviewers ${m.reviewers.map((r) => `@${r}`).join(", ")}` : "no reviewer",
      ...(m.unresolved_threads > 0 ? [plural(m.unresolved_threads, "unresolved thread")] : []),
      `${m.age_days}d old`,
    ];
    out.line(
      `  ${s.bold(`${m.project}!${m.iid}`)} ${m.draft ? s.yellow("[draft] ") : ""}${m.title} ${s.dim(`· ${facts.join(" · ")}`)}`,
    );
  }
  renderOmitted(out, omitted, "merge requests");
}

export function renderThreads(
  out: Output,
  title: string,
  items: readonly DiscussionItem[],
  omitted: number,
): void {
  const s = out.style;
  out.line(s.bold(`${title} (${items.length + omitted})`));
  if (items.length === 0) out.line(s.dim("  none"));
  for (const d of items) {
    const where = d.position ? ` ${s.yellow(d.position)}` : "";
    out.line(
      `  ${s.bold(`${d.project}${d.entity_type === "issue" ? "#" : "!"}${d.iid}`)}${where} ${d.excerpt}`,
    );
    out.line(
      s.dim(
        `    started by @${d.started_by ?? "?"} ${d.age_days}d ago · ${plural(d.notes, "note")} · ${d.participants.map((p) => `@${p}`).join(", ")} · last ${day(d.last_note_at)}`,
      ),
    );
  }
  renderOmitted(out, omitted, "threads");
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
  renderMergeRequests(
    out,
    `${whose === "your" ? "Your" : "Their"} merge requests`,
    data.authored_mrs,
    data.omitted_authored_mrs,
    false,
  );
  renderMergeRequests(
    out,
    `Waiting for ${whose} review`,
    data.review_requests,
    data.omitted_review_requests,
    true,
  );
}

function renderWorkload(out: Output, data: WorkloadResult): void {
  out.line(
    out.style.bold(`Open work of @${data.username}`) +
      (data.since ? out.style.dim(` (active since ${day(data.since)})`) : ""),
  );
  out.line("");
  renderOpenLists(out, data, "their");
  renderThreads(
    out,
    "Unresolved threads they are in",
    data.unresolved_discussions,
    data.omitted_unresolved_discussions,
  );
}

function renderReviews(out: Output, data: ReviewsResult): void {
  const s = out.style;
  out.line(
    s.bold(`How @${data.username} reviews`) + (data.since ? s.dim(` (since ${day(data.since)})`) : ""),
  );
  if (data.reviewed_mrs === 0) {
    out.line(s.dim("No reviews in the mirror."));
    return;
  }
  const share = data.diff_note_share === null ? "—" : `${Math.round(data.diff_note_share * 100)}%`;
  const firstNote = data.median_first_review_hours === null ? "—" : `${data.median_first_review_hours} h`;
  out.line(`  merge requests reviewed   ${data.reviewed_mrs}`);
  out.line(`  notes per MR              ${data.notes_per_mr} (${plural(data.notes, "note")})`);
  out.line(`  on the diff               ${share} (${plural(data.diff_notes, "DiffNote")})`);
  out.line(`  first note after (median) ${firstNote}`);
  if (data.top_paths.length > 0) {
    out.line(s.bold("Most reviewed directories"));
    for (const p of data.top_paths) out.line(`  ${String(p.mrs).padStart(5)}  ${p.path}`);
    renderOmitted(out, data.omitted_paths, "directories", null);
  }
  out.line(s.bold("Recent reviews"));
  for (const m of data.recent_mrs) {
    out.line(
      `  ${s.bold(`${m.project}!${m.iid}`)} ${m.title} ${s.dim(`· ${m.state} · ${plural(m.notes, "note")}, ${m.diff_notes} on the diff`)}`,
    );
  }
  renderOmitted(out, data.omitted_recent_mrs, "merge requests");
}

function renderActive(out: Output, data: ActiveResult): void {
  renderThreads(out, "Unresolved threads, oldest first", data.discussions, data.omitted_discussions);
}

function renderOverlap(out: Output, data: OverlapResult): void {
  const s = out.style;
  out.line(
    s.bold(`Who else works on the files of ${data.path}'s ${plural(data.recent_mrs, "recent MR")}`) +
      s.dim(` (${plural(data.files.length + data.omitted_files, "file")})`),
  );
  if (data.users.length === 0) out.line(s.dim(`No MR in the mirror changed ${data.path}.`));
  for (const u of data.users) {
    out.line(
      `  @${u.username} ${s.dim(`· authored ${u.authored_mrs}, reviewed ${u.reviewed_mrs} · ${plural(u.shared_files, "shared file")} · last ${day(u.last_touched_at)}`)}`,
    );
    out.line(
      s.dim(`    ${u.files.join(", ")}${u.shared_files > u.files.length ? ", …" : ""} · ${u.mrs.join(" ")}`),
    );
  }
  renderOmitted(out, data.omitted_users, "people");
  if (data.omitted_bots > 0)
    out.line(s.dim(`  ${plural(data.omitted_bots, "bot")} left out (--include-bots)`));
}
