// Maps a GitLab merge request to its row and labels, written monotonically.

import type { Db } from "../db/open.js";
import type { GitLabMergeRequest } from "../gitlab/schemas.js";
import { markEntityDirty } from "./dirty-queue.js";
import { replaceLabels } from "./labels.js";
import { type CopyTimes, type Row, type UpsertOutcome, upsertMonotonic } from "./monotonic-upsert.js";
import { bool, isoTime, labelNames, requiredIsoTime, usernames } from "./values.js";

export function mergeRequestRow(mr: GitLabMergeRequest, projectId: number, times: CopyTimes): Row {
  const createdAt = requiredIsoTime(mr.created_at, times.syncedAt);
  return {
    id: mr.id,
    project_id: projectId,
    iid: mr.iid,
    title: mr.title,
    description: mr.description ?? null,
    state: mr.state,
    draft: bool(mr.draft ?? mr.work_in_progress),
    source_branch: mr.source_branch ?? null,
    target_branch: mr.target_branch ?? null,
    source_project_id: mr.source_project_id ?? null,
    author_username: mr.author?.username ?? null,
    author_name: mr.author?.name ?? null,
    assignees_json: usernames(mr.assignees),
    reviewers_json: usernames(mr.reviewers),
    milestone_title: mr.milestone?.title ?? null,
    merge_user_username: (mr.merge_user ?? mr.merged_by)?.username ?? null,
    detailed_merge_status: mr.detailed_merge_status ?? null,
    sha: mr.sha ?? null,
    merge_commit_sha: mr.merge_commit_sha ?? null,
    user_notes_count: mr.user_notes_count ?? null,
    upvotes: mr.upvotes ?? null,
    downvotes: mr.downvotes ?? null,
    web_url: mr.web_url,
    created_at: createdAt,
    updated_at: requiredIsoTime(mr.updated_at, createdAt),
    merged_at: isoTime(mr.merged_at),
    closed_at: isoTime(mr.closed_at),
    raw_json: JSON.stringify(mr),
    synced_at: times.syncedAt,
    fetched_at: times.fetchedAt,
  };
}

/** Writes a merge request and its labels unless the stored copy is newer. Call inside a transaction. */
export function upsertMergeRequest(
  db: Db,
  mr: GitLabMergeRequest,
  projectId: number,
  times: CopyTimes,
): UpsertOutcome {
  const outcome = upsertMonotonic(db, "merge_requests", mergeRequestRow(mr, projectId, times));
  if (outcome.status === "inserted" || outcome.status === "updated") {
    replaceLabels(db, "merge_request", mr.id, projectId, labelNames(mr.labels));
    markEntityDirty(db, "merge_request", mr.id);
  }
  return outcome;
}
