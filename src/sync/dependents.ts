// The dependents of an issue or MR: discussions with notes, state/label/milestone events, links
// (related and closing MRs for issues; closed issues and changed files for MRs), and the
// cross-references all of these make (derived, no request of their own). Every sync path
// fetches with `fetchDependentsFor*` and stores with `storeDependents` (through entity-writer.ts):
// a new kind of dependent is added here, in both, and reaches every path.

import type { Db } from "../db/open.js";
import { collectPages, type GitLabClient, type ProjectRef } from "../gitlab/client.js";
import type {
  GitLabClosesIssue,
  GitLabDiffFile,
  GitLabDiscussion,
  GitLabMergeRequest,
  GitLabResourceEvent,
} from "../gitlab/schemas.js";
import { refreshReferences } from "../history/reference-store.js";
import { type DiscussionCounters, type ParentRef, replaceDiscussions } from "../ingestion/discussions.js";
import { replaceResourceEvents } from "../ingestion/events.js";
import {
  replaceChangedFiles,
  replaceClosesIssues,
  replaceIssueMergeRequestLinks,
} from "../ingestion/links.js";

interface CommonDependents {
  readonly discussions: readonly GitLabDiscussion[];
  readonly stateEvents: readonly GitLabResourceEvent[];
  readonly labelEvents: readonly GitLabResourceEvent[];
  readonly milestoneEvents: readonly GitLabResourceEvent[];
}

export interface IssueDependents extends CommonDependents {
  readonly type: "issue";
  readonly relatedMergeRequests: readonly GitLabMergeRequest[];
  readonly closedBy: readonly GitLabMergeRequest[];
}

export interface MergeRequestDependents extends CommonDependents {
  readonly type: "merge_request";
  readonly closesIssues: readonly GitLabClosesIssue[];
  readonly changedFiles: readonly GitLabDiffFile[];
}

export type Dependents = IssueDependents | MergeRequestDependents;

export interface DependentCounters {
  readonly discussions_fetched: number;
  readonly notes_upserted: number;
  readonly events_fetched: number;
}

async function fetchEvents(
  client: GitLabClient,
  projectId: ProjectRef,
  parentType: "issue" | "merge_request",
  iid: number,
  signal: AbortSignal | undefined,
) {
  const [stateEvents, labelEvents, milestoneEvents] = await Promise.all(
    (["state", "label", "milestone"] as const).map((kind) =>
      collectPages<GitLabResourceEvent>(client.resourceEvents(projectId, parentType, iid, kind, { signal })),
    ),
  );
  return {
    stateEvents: stateEvents ?? [],
    labelEvents: labelEvents ?? [],
    milestoneEvents: milestoneEvents ?? [],
  };
}

/**
 * What fetching an entity's dependents needs: its IID, and for an issue GitLab's count of closing
 * MRs when known (surgical sync asks before it has the entity, so the count may be unknown).
 */
export interface DependentsKey {
  readonly iid: number;
  readonly merge_requests_count?: number | null | undefined;
}

/**
 * Fetches everything an issue carries, concurrently within the client's limit. GitLab's
 * `merge_requests_count` counts the MRs that close the issue (any project), so when it is 0 the
 * same-project `closed_by` list is known to be empty and costs no request.
 */
export async function fetchDependentsForIssue(
  client: GitLabClient,
  projectId: ProjectRef,
  issue: DependentsKey,
  signal?: AbortSignal,
): Promise<IssueDependents> {
  const { iid } = issue;
  const noClosers = issue.merge_requests_count === 0;
  const [discussions, events, relatedMergeRequests, closedBy] = await Promise.all([
    collectPages(client.issueDiscussions(projectId, iid, { signal })),
    fetchEvents(client, projectId, "issue", iid, signal),
    collectPages(client.issueRelatedMergeRequests(projectId, iid, { signal })),
    noClosers ? Promise.resolve([]) : collectPages(client.issueClosedBy(projectId, iid, { signal })),
  ]);
  return { type: "issue", discussions, ...events, relatedMergeRequests, closedBy };
}

/** Fetches everything a merge request carries, concurrently within the client's limit. */
export async function fetchDependentsForMr(
  client: GitLabClient,
  projectId: ProjectRef,
  mergeRequest: DependentsKey,
  signal?: AbortSignal,
): Promise<MergeRequestDependents> {
  const { iid } = mergeRequest;
  const [discussions, events, closesIssues, changedFiles] = await Promise.all([
    collectPages(client.mergeRequestDiscussions(projectId, iid, { signal })),
    fetchEvents(client, projectId, "merge_request", iid, signal),
    collectPages(client.mergeRequestClosesIssues(projectId, iid, { signal })),
    collectPages(client.mergeRequestDiffs(projectId, iid, { signal })),
  ]);
  return { type: "merge_request", discussions, ...events, closesIssues, changedFiles };
}

/** Writes every dependent of one parent, replacing what was stored. Call inside a transaction. */
export function storeDependents(
  db: Db,
  parent: ParentRef,
  dependents: Dependents,
  now: string,
): DependentCounters {
  const discussions: DiscussionCounters = replaceDiscussions(db, parent, dependents.discussions, now);
  let events = 0;
  events += replaceResourceEvents(db, parent, "state", dependents.stateEvents, now);
  events += replaceResourceEvents(db, parent, "label", dependents.labelEvents, now);
  events += replaceResourceEvents(db, parent, "milestone", dependents.milestoneEvents, now);
  if (dependents.type === "issue") {
    replaceIssueMergeRequestLinks(db, parent.id, "related", dependents.relatedMergeRequests);
    replaceIssueMergeRequestLinks(db, parent.id, "closed_by", dependents.closedBy);
  } else {
    replaceClosesIssues(db, parent.id, dependents.closesIssues);
    replaceChangedFiles(db, parent.id, dependents.changedFiles);
  }
  // Last: references are read from what was just stored (the entity row, its notes and links).
  refreshReferences(db, parent);
  return {
    discussions_fetched: discussions.discussions,
    notes_upserted: discussions.notesUpserted,
    events_fetched: events,
  };
}
