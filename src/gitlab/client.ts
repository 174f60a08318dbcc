// The typed GitLab client: one short method per endpoint lore reads, built on `request`,
// the paginators and the response schemas.

import type { z } from "zod";
import type { ResponseHeaders } from "../http/transport.js";
import { createHttpClient, type HttpMetrics, type HttpOptions, type RequestFn } from "./http.js";
import { listByIids, type WalkItem, walkByUpdatedAt } from "./list-walk.js";
import { type PageOptions, paginateOffset } from "./paginate.js";
import type * as Schemas from "./schemas.js";
import type {
  GitLabClosesIssue,
  GitLabDiffFile,
  GitLabDiscussion,
  GitLabIssue,
  GitLabMergeRequest,
  GitLabProject,
  GitLabResourceEvent,
  GitLabUser,
  GitLabVersion,
  InvalidItem,
} from "./schemas.js";

export type { InvalidItem } from "./schemas.js";
export type GitLabClientOptions = HttpOptions;

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
}

export interface ListOptions extends CallOptions {
  /** Inclusive lower bound on `updated_at`, ISO 8601 UTC. Ignored when `iids` is given. */
  readonly updatedAfter?: string | undefined;
  /** Restrict to these iids (batched 100 per request), e.g. for surgical sync's preflight. */
  readonly iids?: readonly number[] | undefined;
  /** Receives each item of an unexpected shape, which is then left out; without it such a page fails. */
  readonly onInvalid?: ((item: InvalidItem) => void) | undefined;
}

export interface CountOptions extends CallOptions {
  /** Count what a list walk from this `updated_at` (inclusive) would see. */
  readonly updatedAfter?: string | undefined;
}

/** How many items a list holds, as far as GitLab tells. */
export interface ListTotal {
  readonly count: number;
  /** False: GitLab only said "more than `count`" (it leaves x-total out above 10,000 rows). */
  readonly exact: boolean;
}

/** GitLab stops counting list rows (x-total) above this many. */
export const UNCOUNTED_ABOVE = 10_000;

/** A list response's total: `x-total`, else "above 10,000" when the page headers show it paginated. */
export function totalFromHeaders(headers: ResponseHeaders): ListTotal | undefined {
  const total = headers.get("x-total")?.trim();
  if (total !== undefined && /^\d+$/.test(total)) return { count: Number(total), exact: true };
  if (headers.has("x-page") || headers.has("x-next-page")) return { count: UNCOUNTED_ABOVE, exact: false };
  return undefined;
}

export type ProjectRef = number | string;
export type ParentType = "issue" | "merge_request";
export type EventKind = "state" | "label" | "milestone";

export interface GitLabClient {
  readonly metrics: HttpMetrics;
  readonly apiBaseUrl: string;
  version(options?: CallOptions): Promise<GitLabVersion>;
  /** How many issues (all states) the walk would list: issues_statistics, else the list's x-total. */
  issueCount(projectId: ProjectRef, options?: CountOptions): Promise<ListTotal | undefined>;
  /** How many merge requests (all states) the walk would list: the list's x-total. */
  mergeRequestCount(projectId: ProjectRef, options?: CountOptions): Promise<ListTotal | undefined>;
  currentUser(options?: CallOptions): Promise<GitLabUser>;
  project(idOrPath: ProjectRef, options?: CallOptions): Promise<GitLabProject>;
  listIssues(projectId: ProjectRef, options?: ListOptions): AsyncIterable<GitLabIssue[]>;
  listMergeRequests(projectId: ProjectRef, options?: ListOptions): AsyncIterable<GitLabMergeRequest[]>;
  issue(projectId: ProjectRef, iid: number, options?: CallOptions): Promise<GitLabIssue>;
  mergeRequest(projectId: ProjectRef, iid: number, options?: CallOptions): Promise<GitLabMergeRequest>;
  issueDiscussions(
    projectId: ProjectRef,
    iid: number,
    options?: CallOptions,
  ): AsyncIterable<GitLabDiscussion[]>;
  mergeRequestDiscussions(
    projectId: ProjectRef,
    iid: number,
    options?: CallOptions,
  ): AsyncIterable<GitLabDiscussion[]>;
  resourceEvents(
    projectId: ProjectRef,
    parentType: ParentType,
    iid: number,
    kind: EventKind,
    options?: CallOptions,
  ): AsyncIterable<GitLabResourceEvent[]>;
  mergeRequestClosesIssues(
    projectId: ProjectRef,
    iid: number,
    options?: CallOptions,
  ): AsyncIterable<GitLabClosesIssue[]>;
  mergeRequestDiffs(
    projectId: ProjectRef,
    iid: number,
    options?: CallOptions,
  ): AsyncIterable<GitLabDiffFile[]>;
  issueRelatedMergeRequests(
    projectId: ProjectRef,
    iid: number,
    options?: CallOptions,
  ): AsyncIterable<GitLabMergeRequest[]>;
  issueClosedBy(
    projectId: ProjectRef,
    iid: number,
    options?: CallOptions,
  ): AsyncIterable<GitLabMergeRequest[]>;
}

/** Numeric ids as is; full paths URL-encoded as one segment (`group%2Fsub%2Fproject`). */
export function projectSegment(idOrPath: ProjectRef): string {
  return typeof idOrPath === "number" ? String(idOrPath) : encodeURIComponent(idOrPath.trim());
}

function projectLabel(idOrPath: ProjectRef): string {
  return `project ${String(idOrPath)}`;
}

const PARENT_ROUTES = { issue: "issues", merge_request: "merge_requests" } as const;
const PARENT_NAMES = { issue: "issue #", merge_request: "merge request !" } as const;

/** Drains a paged iterable into one array. */
export async function collectPages<T>(pages: AsyncIterable<readonly T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

type SchemaModule = typeof Schemas;
/** Picks a response schema from the schemas module, which is imported only once a request is out. */
type SchemaPick<S extends z.ZodType> = (schemas: SchemaModule) => S;

let schemaModule: SchemaModule | undefined;
let schemaImport: Promise<SchemaModule> | undefined;
const importSchemas = () =>
  (schemaImport ??= import("./schemas.js").then((module) => {
    schemaModule = module;
    return module;
  }));
/** The schemas module; every answer is parsed after `request` (below) has awaited its import. */
const loadedSchemas = (): SchemaModule => {
  if (!schemaModule) throw new Error("GitLab response schemas used before they were imported");
  return schemaModule;
};

export function createGitLabClient(options: GitLabClientOptions): GitLabClient {
  const http = createHttpClient(options);
  // The response schemas (zod, ~40 ms to import) load while the first request is on the wire:
  // the import starts in the event loop's turn after the request was handed to the socket, and
  // every answer waits for it before it is parsed.
  const request: RequestFn = async (target, requestOptions) => {
    const answer = http.request(target, requestOptions);
    if (!schemaModule) setImmediate(() => void importSchemas().catch(() => undefined));
    const response = await answer;
    if (!schemaModule) await importSchemas();
    return response;
  };

  const pageOptions = <S extends z.ZodType>(
    pick: SchemaPick<S>,
    endpoint: string,
    describe: string,
    call: CallOptions | undefined,
  ): PageOptions<z.infer<S>> => ({
    endpoint,
    describe,
    signal: call?.signal,
    parse: (body, at) => {
      const schemas = loadedSchemas();
      return schemas.parsePage(pick(schemas), body, at);
    },
  });

  const getOne = async <S extends z.ZodType>(
    pick: SchemaPick<S>,
    path: string,
    endpoint: string,
    describe: string,
    call: CallOptions | undefined,
  ): Promise<z.infer<S>> => {
    const response = await request(path, { signal: call?.signal, describe, endpoint });
    const schemas = loadedSchemas();
    return schemas.parseResponse(pick(schemas), response.body, endpoint);
  };

  const parentPath = (projectId: ProjectRef, parentType: ParentType, iid: number) =>
    `/projects/${projectSegment(projectId)}/${PARENT_ROUTES[parentType]}/${iid}`;
  const parentLabel = (projectId: ProjectRef, parentType: ParentType, iid: number) =>
    `${PARENT_NAMES[parentType]}${iid} in ${projectLabel(projectId)}`;

  const listParents = <T extends WalkItem>(
    pick: SchemaPick<z.ZodType<T>>,
    parentType: ParentType,
    projectId: ProjectRef,
    list: ListOptions | undefined,
  ): AsyncIterable<T[]> => {
    const route = PARENT_ROUTES[parentType];
    const path = `/projects/${projectSegment(projectId)}/${route}`;
    const endpoint = `GET /projects/:id/${route}`;
    const onInvalid = list?.onInvalid;
    const base: PageOptions<T> = {
      ...pageOptions(pick, endpoint, projectLabel(projectId), list),
      ...(onInvalid
        ? {
            parse: (body: unknown, at: string) => {
              const schemas = loadedSchemas();
              return schemas.parsePageItems(pick(schemas), body, at, onInvalid);
            },
          }
        : {}),
      query: { state: "all" },
    };
    if (list?.iids !== undefined) return listByIids(request, path, list.iids, base);
    // Keyset exists for project issues only (GitLab ≥ 18.3); the walk detects a fallback.
    return walkByUpdatedAt(request, path, {
      ...base,
      updatedAfter: list?.updatedAfter,
      keyset: parentType === "issue",
      // The walk feeds a pipeline of dependent requests: its next page must not wait behind them.
      priority: true,
    });
  };

  const dependent = <S extends z.ZodType>(
    pick: SchemaPick<S>,
    projectId: ProjectRef,
    parentType: ParentType,
    iid: number,
    suffix: string,
    call: CallOptions | undefined,
  ): AsyncIterable<z.infer<S>[]> =>
    paginateOffset(
      request,
      `${parentPath(projectId, parentType, iid)}/${suffix}`,
      pageOptions(
        pick,
        `GET /projects/:id/${PARENT_ROUTES[parentType]}/:iid/${suffix}`,
        parentLabel(projectId, parentType, iid),
        call,
      ),
    );

  /** One row of the list, for its x-total header. */
  const listTotal = async (
    projectId: ProjectRef,
    parentType: ParentType,
    call: CountOptions | undefined,
  ): Promise<ListTotal | undefined> => {
    const route = PARENT_ROUTES[parentType];
    const response = await request(`/projects/${projectSegment(projectId)}/${route}`, {
      query: { state: "all", per_page: 1, updated_after: call?.updatedAfter },
      signal: call?.signal,
      describe: projectLabel(projectId),
      endpoint: `GET /projects/:id/${route}`,
    });
    return totalFromHeaders(response.headers);
  };

  const issueCount = async (projectId: ProjectRef, call?: CountOptions): Promise<ListTotal | undefined> => {
    const endpoint = "GET /projects/:id/issues_statistics";
    // Counts every issue in one request, however many; refused without a token (then x-total).
    const response = await request(`/projects/${projectSegment(projectId)}/issues_statistics`, {
      query: { updated_after: call?.updatedAfter },
      signal: call?.signal,
      describe: projectLabel(projectId),
      endpoint,
      allowStatus: [401, 403, 404],
    });
    if (response.status >= 200 && response.status < 300) {
      const schemas = loadedSchemas();
      const body = schemas.parseResponse(schemas.IssuesStatisticsSchema, response.body, endpoint);
      return { count: body.statistics.counts.all, exact: true };
    }
    return listTotal(projectId, "issue", call);
  };

  return {
    metrics: http.metrics,
    apiBaseUrl: http.apiBaseUrl,
    issueCount,
    mergeRequestCount: (projectId, call) => listTotal(projectId, "merge_request", call),
    version: (call) => getOne((s) => s.VersionSchema, "/version", "GET /version", "version endpoint", call),
    currentUser: (call) => getOne((s) => s.UserSchema, "/user", "GET /user", "current user", call),
    project: (idOrPath, call) =>
      getOne(
        (s) => s.ProjectSchema,
        `/projects/${projectSegment(idOrPath)}`,
        "GET /projects/:id",
        projectLabel(idOrPath),
        call,
      ),
    listIssues: (projectId, list) => listParents((s) => s.IssueSchema, "issue", projectId, list),
    listMergeRequests: (projectId, list) =>
      listParents((s) => s.MergeRequestSchema, "merge_request", projectId, list),
    issue: (projectId, iid, call) =>
      getOne(
        (s) => s.IssueSchema,
        parentPath(projectId, "issue", iid),
        "GET /projects/:id/issues/:iid",
        parentLabel(projectId, "issue", iid),
        call,
      ),
    mergeRequest: (projectId, iid, call) =>
      getOne(
        (s) => s.MergeRequestSchema,
        parentPath(projectId, "merge_request", iid),
        "GET /projects/:id/merge_requests/:iid",
        parentLabel(projectId, "merge_request", iid),
        call,
      ),
    issueDiscussions: (projectId, iid, call) =>
      dependent((s) => s.DiscussionSchema, projectId, "issue", iid, "discussions", call),
    mergeRequestDiscussions: (projectId, iid, call) =>
      dependent((s) => s.DiscussionSchema, projectId, "merge_request", iid, "discussions", call),
    resourceEvents: (projectId, parentType, iid, kind, call) =>
      dependent((s) => s.ResourceEventSchema, projectId, parentType, iid, `resource_${kind}_events`, call),
    mergeRequestClosesIssues: (projectId, iid, call) =>
      dependent((s) => s.ClosesIssueSchema, projectId, "merge_request", iid, "closes_issues", call),
    mergeRequestDiffs: (projectId, iid, call) =>
      dependent((s) => s.DiffFileSchema, projectId, "merge_request", iid, "diffs", call),
    issueRelatedMergeRequests: (projectId, iid, call) =>
      dependent((s) => s.MergeRequestSchema, projectId, "issue", iid, "related_merge_requests", call),
    issueClosedBy: (projectId, iid, call) =>
      dependent((s) => s.MergeRequestSchema, projectId, "issue", iid, "closed_by", call),
  };
}
