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
import type { ReferenceData } from "../history/entity-references.js";
import { instanceUrl, linkedEntity, replaceReferences, storedProject } from "../history/reference-store.js";
import { type DiscussionCounters, type ParentRef, replaceDiscussions } from "../ingestion/discussions.js";
import { replaceResourceEvents } from "../ingestion/events.js";
import {
  replaceChangedFiles,
  replaceClosesIssues,
  replaceIssueMergeRequestLinks,
} from "../ingestion/links.js";
import { requiredIsoTime } from "../ingestion/values.js";

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

/** What references are read from besides the dependents: the issue's or MR's own fields. */
export interface OwnerFields {
  readonly iid: number;
  readonly title: string;
  readonly description?: string | null | undefined;
  readonly created_at: string;
  readonly author?: { readonly username?: string | null | undefined } | null | undefined;
}

/**
 * Writes every dependent of one parent, replacing what was stored, then the cross-references the
 * parent's fields and dependents make. Call inside a transaction, after the parent's own row.
 */
export function storeDependents(
  db: Db,
  parent: ParentRef,
  dependents: Dependents,
  now: string,
  owner: OwnerFields,
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
  const references = referenceData(db, parent, owner, dependents, now);
  if (references) replaceReferences(db, parent, references);
  return {
    discussions_fetched: discussions.discussions,
    notes_upserted: discussions.notesUpserted,
    events_fetched: events,
  };
}

/**
 * The reference data of what was just stored, with each value as its row holds it (the same
 * normalisation), so it equals what the backfill reads back from the rows (storedReferenceData).
 */
function referenceData(
  db: Db,
  parent: ParentRef,
  owner: OwnerFields,
  dependents: Dependents,
  now: string,
): ReferenceData | undefined {
  const project = storedProject(db, parent.projectId);
  if (!project) return undefined;
  const mergeRequests = (items: readonly GitLabMergeRequest[]) =>
    items.map((mr) =>
      linkedEntity(db, { projectId: mr.project_id ?? null, iid: mr.iid ?? null, webUrl: mr.web_url ?? null }),
    );
  return {
    owner: {
      type: parent.type,
      projectPath: project.path,
      iid: owner.iid,
      title: owner.title,
      description: owner.description ?? null,
      createdAt: requiredIsoTime(owner.created_at, now),
      author: owner.author?.username ?? null,
    },
    gitlabUrl: instanceUrl(project.web_url, project.path),
    notes: dependents.discussions.flatMap((discussion) =>
      (discussion.notes ?? []).map((note) => ({
        id: note.id,
        body: note.body ?? "",
        system: Boolean(note.system),
        createdAt: requiredIsoTime(note.created_at, now),
        author: note.author?.username ?? null,
      })),
    ),
    closesIssues:
      dependents.type === "merge_request"
        ? dependents.closesIssues.map((issue) =>
            linkedEntity(db, {
              projectId: issue.project_id ?? null,
              iid: typeof issue.iid === "number" ? issue.iid : null,
              webUrl: issue.web_url ?? null,
            }),
          )
        : [],
    closedBy: dependents.type === "issue" ? mergeRequests(dependents.closedBy) : [],
    relatedMergeRequests: dependents.type === "issue" ? mergeRequests(dependents.relatedMergeRequests) : [],
  };
}
