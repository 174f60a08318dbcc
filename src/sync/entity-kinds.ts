// What differs between issues and merge requests for sync: how to list, store and fetch dependents.
// Every sync path takes one of these instead of copying its stages per kind.

import type { Db } from "../db/open.js";
import type { GitLabClient, ListOptions, ProjectRef } from "../gitlab/client.js";
import type { GitLabIssue, GitLabMergeRequest } from "../gitlab/schemas.js";
import { upsertIssue } from "../ingestion/issues.js";
import { upsertMergeRequest } from "../ingestion/merge-requests.js";
import type { CopyTimes, EntityTable, UpsertOutcome } from "../ingestion/monotonic-upsert.js";
import type { CursorResource } from "./cursors.js";
import {
  type Dependents,
  type DependentsKey,
  fetchDependentsForIssue,
  fetchDependentsForMr,
} from "./dependents.js";

export type Entity = GitLabIssue | GitLabMergeRequest;

export interface EntityKind<T extends Entity = Entity> {
  readonly type: "issue" | "merge_request";
  readonly resource: CursorResource;
  readonly table: EntityTable;
  /** `#` for issues, `!` for merge requests, as GitLab writes references. */
  readonly sigil: "#" | "!";
  list(client: GitLabClient, projectId: number, options: ListOptions): AsyncIterable<T[]>;
  upsert(db: Db, entity: T, projectId: number, times: CopyTimes): UpsertOutcome;
  fetchDependents(
    client: GitLabClient,
    projectId: ProjectRef,
    entity: DependentsKey,
    signal?: AbortSignal,
  ): Promise<Dependents>;
}

export const ISSUES: EntityKind<GitLabIssue> = {
  type: "issue",
  resource: "issues",
  table: "issues",
  sigil: "#",
  list: (client, projectId, options) => client.listIssues(projectId, options),
  upsert: upsertIssue,
  fetchDependents: fetchDependentsForIssue,
};

export const MERGE_REQUESTS: EntityKind<GitLabMergeRequest> = {
  type: "merge_request",
  resource: "merge_requests",
  table: "merge_requests",
  sigil: "!",
  list: (client, projectId, options) => client.listMergeRequests(projectId, options),
  upsert: upsertMergeRequest,
  fetchDependents: fetchDependentsForMr,
};
