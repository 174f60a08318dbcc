// Maps a GitLab issue to its row and labels, written monotonically.

import type { Db } from "../db/open.js";
import type { GitLabIssue } from "../gitlab/schemas.js";
import { markEntityDirty } from "./dirty-queue.js";
import { replaceLabels } from "./labels.js";
import { type CopyTimes, type Row, type UpsertOutcome, upsertMonotonic } from "./monotonic-upsert.js";
import { bool, isoTime, labelNames, requiredIsoTime, usernames } from "./values.js";

export function issueRow(issue: GitLabIssue, projectId: number, times: CopyTimes): Row {
  const createdAt = requiredIsoTime(issue.created_at, times.syncedAt);
  return {
    id: issue.id,
    project_id: projectId,
    iid: issue.iid,
    title: issue.title,
    description: issue.description ?? null,
    state: issue.state,
    issue_type: issue.issue_type ?? null,
    confidential: bool(issue.confidential),
    author_username: issue.author?.username ?? null,
    author_name: issue.author?.name ?? null,
    assignees_json: usernames(issue.assignees),
    milestone_title: issue.milestone?.title ?? null,
    closed_by_username: issue.closed_by?.username ?? null,
    user_notes_count: issue.user_notes_count ?? null,
    upvotes: issue.upvotes ?? null,
    downvotes: issue.downvotes ?? null,
    due_date: issue.due_date ?? null,
    moved_to_id: issue.moved_to_id ?? null,
    web_url: issue.web_url,
    created_at: createdAt,
    updated_at: requiredIsoTime(issue.updated_at, createdAt),
    closed_at: isoTime(issue.closed_at),
    raw_json: JSON.stringify(issue),
    synced_at: times.syncedAt,
    fetched_at: times.fetchedAt,
  };
}

/** Writes an issue and its labels unless the stored copy is newer. Call inside a transaction. */
export function upsertIssue(db: Db, issue: GitLabIssue, projectId: number, times: CopyTimes): UpsertOutcome {
  const outcome = upsertMonotonic(db, "issues", issueRow(issue, projectId, times));
  if (outcome.status === "inserted" || outcome.status === "updated") {
    replaceLabels(db, "issue", issue.id, projectId, labelNames(issue.labels));
    markEntityDirty(db, "issue", issue.id);
  }
  return outcome;
}
