// `lore who @user`: what is on someone's plate — open issues assigned to them, their open MRs, open
// MRs waiting for their review, and unresolved threads they started or replied to — each with age.
// `lore me` shows the same lists for the configured user.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import {
  type Bounded,
  bounded,
  type DiscussionItem,
  ISSUE_ITEM_COLUMNS,
  type IssueItem,
  type IssueItemRow,
  issueItem,
  type ListScope,
  latestActivityFirst,
  MERGE_REQUEST_ITEM_COLUMNS,
  type MergeRequestItem,
  type MergeRequestItemRow,
  mergeRequestItem,
  type OpenThreadRow,
  openThreadsSql,
  threadList,
} from "./items.js";

/** `since`: only items updated (threads: active) at or after it. */
export interface WorkloadOptions extends ListScope {
  readonly username: string;
  readonly now: number;
}

export interface Workload {
  readonly assigned_issues: Bounded<IssueItem>;
  readonly authored_mrs: Bounded<MergeRequestItem>;
  readonly review_requests: Bounded<MergeRequestItem>;
  readonly unresolved_discussions: Bounded<DiscussionItem>;
}

export interface WorkloadResult {
  readonly mode: "workload";
  readonly username: string;
  readonly since: string | null;
  readonly assigned_issues: IssueItem[];
  readonly authored_mrs: MergeRequestItem[];
  readonly review_requests: MergeRequestItem[];
  readonly unresolved_discussions: DiscussionItem[];
  readonly omitted_assigned_issues: number;
  readonly omitted_authored_mrs: number;
  readonly omitted_review_requests: number;
  readonly omitted_unresolved_discussions: number;
}

const IN_SCOPE = "e.project_id IN (SELECT value FROM json_each(@projects)) AND e.updated_at >= @since";

// Exported for the query-plan test, which checks each statement still finds its index.
export const statements = perConnection((db) => ({
  assignedIssues: db.prepare<Record<string, unknown>, IssueItemRow>(`
    SELECT ${ISSUE_ITEM_COLUMNS}
    FROM issue_assignees a JOIN issues e ON e.id = a.issue_id JOIN projects p ON p.id = e.project_id
    WHERE a.username = @user AND e.state = 'opened' AND ${IN_SCOPE}
    ORDER BY e.updated_at DESC, e.id DESC`),
  authoredMrs: db.prepare<Record<string, unknown>, MergeRequestItemRow>(`
    SELECT ${MERGE_REQUEST_ITEM_COLUMNS}
    FROM merge_requests e JOIN projects p ON p.id = e.project_id
    WHERE e.author_username = @user AND e.state = 'opened' AND ${IN_SCOPE}
    ORDER BY e.updated_at DESC, e.id DESC`),
  reviewRequests: db.prepare<Record<string, unknown>, MergeRequestItemRow>(`
    SELECT ${MERGE_REQUEST_ITEM_COLUMNS}
    FROM merge_request_reviewers r JOIN merge_requests e ON e.id = r.merge_request_id
      JOIN projects p ON p.id = e.project_id
    WHERE r.username = @user AND e.state = 'opened' AND e.author_username IS NOT @user AND ${IN_SCOPE}
    ORDER BY e.updated_at DESC, e.id DESC`),
  // GitLab marks every note of a resolved thread resolved, so a thread with an unresolved note of
  // theirs is one they took part in that is still open.
  unresolvedDiscussions: db.prepare<Record<string, unknown>, OpenThreadRow>(
    openThreadsSql(`SELECT DISTINCT discussion_id FROM notes
       WHERE author_username = @user AND resolvable = 1 AND resolved = 0`),
  ),
}));

export function workload(db: Db, options: WorkloadOptions): Workload {
  const s = statements(db);
  const params = {
    user: options.username,
    projects: JSON.stringify(options.projectIds),
    since: options.since ?? "",
  };
  const { now, limit } = options;
  return {
    assigned_issues: bounded(
      s.assignedIssues.all(params).map((row) => issueItem(row, now)),
      limit,
    ),
    authored_mrs: bounded(
      s.authoredMrs.all(params).map((row) => mergeRequestItem(row, now)),
      limit,
    ),
    review_requests: bounded(
      s.reviewRequests.all(params).map((row) => mergeRequestItem(row, now)),
      limit,
    ),
    unresolved_discussions: threadList(
      db,
      s.unresolvedDiscussions.all(params),
      latestActivityFirst,
      limit,
      now,
    ),
  };
}

export function userWorkload(db: Db, options: WorkloadOptions): WorkloadResult {
  const w = workload(db, options);
  return {
    mode: "workload",
    username: options.username,
    since: options.since ?? null,
    assigned_issues: w.assigned_issues.items,
    authored_mrs: w.authored_mrs.items,
    review_requests: w.review_requests.items,
    unresolved_discussions: w.unresolved_discussions.items,
    omitted_assigned_issues: w.assigned_issues.omitted,
    omitted_authored_mrs: w.authored_mrs.omitted,
    omitted_review_requests: w.review_requests.omitted,
    omitted_unresolved_discussions: w.unresolved_discussions.omitted,
  };
}
