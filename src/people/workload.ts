// `lore who @user`: what is on someone's plate — open issues assigned to them, their open MRs, open
// MRs waiting for their review, and unresolved threads they started or replied to — each with age.
// `lore me` shows the same lists for the configured user.

import type { Statement } from "better-sqlite3";
import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import {
  type Bounded,
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
  pageByIds,
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

// Each list: which rows (FROM … WHERE over alias e), newest change first.
const ASSIGNED_ISSUES = `FROM issue_assignees a JOIN issues e ON e.id = a.issue_id
  WHERE a.username = @user AND e.state = 'opened' AND ${IN_SCOPE}`;
const AUTHORED_MRS = `FROM merge_requests e WHERE e.author_username = @user AND e.state = 'opened' AND ${IN_SCOPE}`;
const REVIEW_REQUESTS = `FROM merge_request_reviewers r JOIN merge_requests e ON e.id = r.merge_request_id
  WHERE r.username = @user AND e.state = 'opened' AND e.author_username IS NOT @user AND ${IN_SCOPE}`;

/** The ids of `rows`, newest change first: all of them are counted, the first few read in full. */
const idsSql = (rows: string) => `SELECT e.id ${rows} ORDER BY e.updated_at DESC, e.id DESC`;

/** The item columns of the rows in @ids (a JSON array). */
const itemsSql = (table: "issues" | "merge_requests", columns: string) => `SELECT e.id, ${columns}
  FROM ${table} e JOIN projects p ON p.id = e.project_id WHERE e.id IN (SELECT value FROM json_each(@ids))`;

type Ids = Statement<Record<string, unknown>, { id: number }>;

// Exported for the query-plan test, which checks each statement still finds its index.
export const statements = perConnection((db) => ({
  assignedIssues: db.prepare<Record<string, unknown>, { id: number }>(idsSql(ASSIGNED_ISSUES)),
  authoredMrs: db.prepare<Record<string, unknown>, { id: number }>(idsSql(AUTHORED_MRS)),
  reviewRequests: db.prepare<Record<string, unknown>, { id: number }>(idsSql(REVIEW_REQUESTS)),
  issueItems: db.prepare<{ ids: string }, IssueItemRow & { id: number }>(
    itemsSql("issues", ISSUE_ITEM_COLUMNS),
  ),
  mergeRequestItems: db.prepare<{ ids: string }, MergeRequestItemRow & { id: number }>(
    itemsSql("merge_requests", MERGE_REQUEST_ITEM_COLUMNS),
  ),
  // GitLab marks every note of a resolved thread resolved, so a thread with an unresolved note of
  // theirs is one they took part in that is still open.
  unresolvedDiscussions: db.prepare<Record<string, unknown>, OpenThreadRow>(
    openThreadsSql(`SELECT DISTINCT discussion_id FROM notes
       WHERE author_username = @user AND resolvable = 1 AND resolved = 0`),
  ),
}));

export function workload(db: Db, options: WorkloadOptions): Workload {
  const s = statements(db);
  const { now, limit } = options;
  const params = {
    user: options.username,
    projects: JSON.stringify(options.projectIds),
    since: options.since ?? "",
  };
  const page = <R extends { id: number }, T>(
    ids: Ids,
    items: Statement<{ ids: string }, R>,
    item: (row: R, now: number) => T,
  ): Bounded<T> =>
    pageByIds(
      ids.all(params).map((row) => row.id),
      limit,
      (kept) => items.all({ ids: JSON.stringify(kept) }),
      (row) => row.id,
      (row) => item(row, now),
    );
  return {
    assigned_issues: page(s.assignedIssues, s.issueItems, issueItem),
    authored_mrs: page(s.authoredMrs, s.mergeRequestItems, mergeRequestItem),
    review_requests: page(s.reviewRequests, s.mergeRequestItems, mergeRequestItem),
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
