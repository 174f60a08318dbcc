// A fake GitLab REST API (real HTTP on 127.0.0.1) serving the endpoints lore reads from an in-memory
// data set, with GitLab's pagination headers, keyset cursors, error bodies, rate-limit headers, and
// injectable latency and faults. Tests build the data with the builder methods and read `requests`.

import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Json = Record<string, unknown>;
export type EventKind = "state" | "label" | "milestone";
export type PaginationStyle = "headers" | "link" | "both";

export interface FakeGitLabOptions {
  /** When set, every request must carry `PRIVATE-TOKEN: <token>`, else 401. */
  readonly token?: string;
  /** Serve `pagination=keyset` on project issues (GitLab ≥ 18.3); otherwise it is ignored. */
  readonly keyset?: boolean;
  readonly paginationStyle?: PaginationStyle;
  /** Lists longer than this are served without x-total / x-total-pages (GitLab: 10,000). */
  readonly totalLimit?: number;
  readonly version?: string;
  /** Start of the fake clock (default 2024-01-01T00:00:00.000Z). */
  readonly startTime?: string | number;
  /** How far the clock moves after each change, so timestamps differ unless a test wants ties. */
  readonly autoTickMs?: number;
}

export interface LoggedRequest {
  readonly method: string;
  /** Raw path including `/api/v4`, still URL-encoded (`/api/v4/projects/g%2Fp`). */
  readonly path: string;
  /** Raw path under `/api/v4` (`/projects/1/issues`); what fault and latency matchers see. */
  readonly route: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

export type PathMatcher = string | RegExp;

export interface FaultSpec {
  /** Exact route under /api/v4 (e.g. "/projects/1/issues") or a RegExp tested against it. */
  readonly path: PathMatcher;
  /** "status" (default): answer `status`; "reset": destroy the socket; "malformed": invalid JSON;
   * "hang": never answer; "redirect": 301 to `location`. */
  readonly kind?: "status" | "reset" | "malformed" | "hang" | "redirect";
  readonly status?: number;
  /** Retry-After header value (seconds, or an HTTP date string). */
  readonly retryAfter?: number | string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly location?: string;
  /** Fail this many times, then let requests through (default: forever). */
  readonly times?: number;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
  /** Answer 429 once `remaining` is 0. */
  enforce?: boolean;
}

export type RequestHook = (request: LoggedRequest) => void | Promise<void>;

interface ProjectState {
  readonly raw: Json;
  readonly issues: Map<number, ParentState>;
  readonly mergeRequests: Map<number, ParentState>;
  nextIssueIid: number;
  nextMergeRequestIid: number;
}

interface DiscussionState {
  readonly id: string;
  readonly individual_note: boolean;
  readonly notes: Json[];
}

interface ParentState {
  readonly kind: "issue" | "merge_request";
  readonly project: ProjectState;
  readonly raw: Json;
  readonly discussions: DiscussionState[];
  readonly events: Record<EventKind, Json[]>;
  closes: Json[];
  diffs: Json[];
  related: Json[];
  closedBy: Json[];
}

interface ActiveFault {
  readonly spec: FaultSpec;
  remaining: number;
}

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

const API_PREFIX = "/api/v4";
const NO_TOTAL_ABOVE = 10_000;
const KEYSET_ORDERS = new Set(["created_at", "updated_at", "id", "title"]);

function iso(value: string | number | Date): string {
  return new Date(value).toISOString();
}

function matches(matcher: PathMatcher, route: string): boolean {
  return typeof matcher === "string" ? matcher === route : matcher.test(route);
}

function notFound(what: string): HttpAnswer {
  return new HttpAnswer(404, { message: `404 ${what}` });
}

export interface FakeGitLab {
  /** Base URL without /api/v4, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly apiUrl: string;
  readonly requests: LoggedRequest[];
  /** Requests being handled now, and the most seen at once since start/clearRequests. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** The fake clock in ms since the epoch; changes are stamped with it. */
  clock: number;
  latencyMs: number;
  paginationStyle: PaginationStyle;
  /** Lists longer than this are served without x-total / x-total-pages (GitLab: 10,000). */
  totalLimit: number;
  keyset: boolean;
  rateLimit: RateLimitState | undefined;
  readonly currentUser: Json;
  /** Makes `username` the token's user (what GET /user answers; root by default). */
  setCurrentUser(username: string): void;
  tick(ms?: number): number;
  nowIso(): string;
  user(username: string, partial?: Json): Json;
  setVersion(version: string, revision?: string): void;
  addProject(partial: { path: string } & Json): Json;
  moveProject(project: Json, newPath: string): void;
  addIssue(project: Json, partial?: Json): Json;
  addMergeRequest(project: Json, partial?: Json): Json;
  updateIssue(project: Json, iid: number, changes: Json): Json;
  updateMergeRequest(project: Json, iid: number, changes: Json): Json;
  deleteIssue(project: Json, iid: number): void;
  deleteMergeRequest(project: Json, iid: number): void;
  /** Adds a thread (or a standalone note when `individual`, the default for one note). */
  addDiscussion(parent: Json, notes: readonly (Json | string)[], options?: { individual?: boolean }): Json;
  addNote(parent: Json, discussionId: string, note: Json | string): Json;
  editNote(parent: Json, noteId: number, changes: Json): Json;
  deleteNote(parent: Json, noteId: number): void;
  addEvent(parent: Json, kind: EventKind, partial?: Json): Json;
  /** Items are issues returned by addIssue (served as basic issues) or external `{id: "PROJ-1", title}`. */
  setCloses(mergeRequest: Json, issues: readonly Json[]): void;
  setDiffs(mergeRequest: Json, files: readonly Json[]): void;
  /** A DiffNote position as GitLab serves it (SHAs, line_code, line_range) for `partial`'s lines. */
  diffPosition(partial: {
    new_path: string;
    old_path?: string;
    new_line?: number | null;
    old_line?: number | null;
  }): Json;
  setRelated(issue: Json, mergeRequests: readonly Json[]): void;
  setClosedBy(issue: Json, mergeRequests: readonly Json[]): void;
  setLatency(path: PathMatcher, ms: number): void;
  fault(spec: FaultSpec): void;
  clearFaults(): void;
  onRequest(hook: RequestHook): () => void;
  clearRequests(): void;
  close(): Promise<void>;
}

export async function startFakeGitLab(options: FakeGitLabOptions = {}): Promise<FakeGitLab> {
  const projects = new Map<number, ProjectState>();
  const projectIdsByPath = new Map<string, number>();
  const movedPaths = new Map<string, number>();
  const parents = new WeakMap<Json, ParentState>();
  const users = new Map<string, Json>();
  const faults: ActiveFault[] = [];
  const latencies: { matcher: PathMatcher; ms: number }[] = [];
  const hooks = new Set<RequestHook>();
  const requests: LoggedRequest[] = [];
  let version = { version: options.version ?? "17.5.1-ee", revision: "abc1234" };
  let clock =
    options.startTime === undefined
      ? Date.parse("2024-01-01T00:00:00.000Z")
      : Date.parse(iso(options.startTime));
  const autoTick = options.autoTickMs ?? 1000;
  let inFlight = 0;
  let maxInFlight = 0;
  const nextId = {
    project: 1,
    user: 2,
    issue: 1001,
    mergeRequest: 5001,
    note: 100_001,
    event: 900_001,
    discussion: 1,
  };
  let baseUrl = "";
  let currentUsername = "root";

  /** The time of one change; the clock then moves on so the next change is later. */
  const stamp = (): string => {
    const at = iso(clock);
    clock += autoTick;
    return at;
  };

  const user = (username: string, partial: Json = {}): Json => {
    let existing = users.get(username);
    if (!existing) {
      const id = username === "root" ? 1 : nextId.user++;
      existing = {
        id,
        username,
        name: username === "root" ? "Administrator" : username,
        state: "active",
        locked: false,
        avatar_url: `https://www.gravatar.com/avatar/${id}?s=80&d=identicon`,
        web_url: `${baseUrl}/${username}`,
      };
      users.set(username, existing);
    }
    return Object.assign(existing, partial);
  };

  const projectState = (project: Json): ProjectState => {
    const state = projects.get(project.id as number);
    if (!state) throw new Error(`fake-gitlab: unknown project ${String(project.id)}`);
    return state;
  };

  const parentState = (parent: Json): ParentState => {
    const state = parents.get(parent);
    if (!state) throw new Error("fake-gitlab: pass an object returned by addIssue/addMergeRequest");
    return state;
  };

  const normalizeTimes = (object: Json): void => {
    for (const key of ["created_at", "updated_at", "closed_at", "merged_at"]) {
      const value = object[key];
      if (typeof value === "string" || typeof value === "number") object[key] = iso(value);
    }
  };

  const newParent = (kind: ParentState["kind"], project: ProjectState, raw: Json): ParentState => {
    const state: ParentState = {
      kind,
      project,
      raw,
      discussions: [],
      events: { state: [], label: [], milestone: [] },
      closes: [],
      diffs: [],
      related: [],
      closedBy: [],
    };
    parents.set(raw, state);
    return state;
  };

  const issuableBase = (
    project: ProjectState,
    iid: number,
    id: number,
    at: string,
    marker: string,
    route: string,
  ) => {
    const path = project.raw.path_with_namespace as string;
    return {
      id,
      iid,
      project_id: project.raw.id,
      title: `${route === "issues" ? "Issue" : "Merge request"} ${iid}`,
      description: "",
      state: "opened",
      created_at: at,
      updated_at: at,
      closed_at: null,
      closed_by: null,
      labels: [],
      milestone: null,
      assignees: [],
      assignee: null,
      author: user("root"),
      user_notes_count: 0,
      upvotes: 0,
      downvotes: 0,
      discussion_locked: null,
      web_url: `${baseUrl}/${path}/-/${route}/${iid}`,
      references: { short: `${marker}${iid}`, relative: `${marker}${iid}`, full: `${path}${marker}${iid}` },
      time_stats: {
        time_estimate: 0,
        total_time_spent: 0,
        human_time_estimate: null,
        human_total_time_spent: null,
      },
      task_completion_status: { count: 0, completed_count: 0 },
    } satisfies Json;
  };

  const touch = (parent: ParentState, at: string): void => {
    parent.raw.updated_at = at;
  };

  const countUserNotes = (parent: ParentState): void => {
    let count = 0;
    for (const discussion of parent.discussions)
      for (const note of discussion.notes) if (!note.system) count += 1;
    parent.raw.user_notes_count = count;
  };

  const makeNote = (parent: ParentState, input: Json | string, thread: boolean, at: string): Json => {
    const partial = typeof input === "string" ? { body: input } : input;
    const isMergeRequest = parent.kind === "merge_request";
    const resolvable = thread && isMergeRequest && partial.system !== true;
    const note: Json = {
      id: nextId.note++,
      type: thread ? "DiscussionNote" : null,
      body: "",
      attachment: null,
      author: user("root"),
      created_at: at,
      updated_at: at,
      system: false,
      noteable_id: parent.raw.id,
      noteable_type: isMergeRequest ? "MergeRequest" : "Issue",
      noteable_iid: parent.raw.iid,
      project_id: parent.project.raw.id,
      resolvable,
      ...(resolvable ? { resolved: false, resolved_by: null, resolved_at: null } : {}),
      confidential: false,
      internal: false,
      commands_changes: {},
      ...partial,
    };
    normalizeTimes(note);
    return note;
  };

  const findNote = (parent: ParentState, noteId: number) => {
    for (const discussion of parent.discussions) {
      const index = discussion.notes.findIndex((note) => note.id === noteId);
      if (index >= 0) return { discussion, index };
    }
    throw new Error(`fake-gitlab: no note ${noteId}`);
  };

  // ---- HTTP side ----

  const sortRows = (rows: Json[], orderBy: string, descending: boolean): Json[] => {
    const direction = descending ? -1 : 1;
    return rows.sort((a, b) => {
      const x = a[orderBy] as string | number;
      const y = b[orderBy] as string | number;
      if (x !== y) return (x < y ? -1 : 1) * direction;
      return ((a.id as number) - (b.id as number)) * direction;
    });
  };

  const pageLink = (url: URL, params: Record<string, string>): string => {
    const next = new URL(url);
    for (const [key, value] of Object.entries(params)) next.searchParams.set(key, value);
    return next.toString();
  };

  /** Offset pagination with GitLab's headers (x-* and/or Link, totals omitted above 10,000 rows). */
  const offsetPage = (rows: readonly unknown[], url: URL): HttpAnswer => {
    const perPage = Math.min(
      100,
      Math.max(1, Number.parseInt(url.searchParams.get("per_page") ?? "", 10) || 20),
    );
    const page = Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "", 10) || 1);
    const total = rows.length;
    const totalPages = Math.max(1, Math.ceil(total / perPage));
    const hasNext = page * perPage < total;
    const showTotal = total <= api.totalLimit;
    const headers: Record<string, string> = {};
    if (api.paginationStyle !== "link") {
      headers["x-page"] = String(page);
      headers["x-per-page"] = String(perPage);
      headers["x-next-page"] = hasNext ? String(page + 1) : "";
      headers["x-prev-page"] = page > 1 ? String(page - 1) : "";
      if (showTotal) {
        headers["x-total"] = String(total);
        headers["x-total-pages"] = String(totalPages);
      }
    }
    if (api.paginationStyle !== "headers") {
      const links: string[] = [];
      const at = (n: number) => pageLink(url, { page: String(n), per_page: String(perPage) });
      if (page > 1) links.push(`<${at(page - 1)}>; rel="prev"`);
      if (hasNext) links.push(`<${at(page + 1)}>; rel="next"`);
      links.push(`<${at(1)}>; rel="first"`);
      if (showTotal) links.push(`<${at(totalPages)}>; rel="last"`);
      headers.link = links.join(", ");
    }
    return new HttpAnswer(200, rows.slice((page - 1) * perPage, page * perPage), headers);
  };

  /** Keyset pagination: an opaque cursor naming the last (order value, id) served; Link only. */
  const keysetPage = (rows: Json[], url: URL, orderBy: string, descending: boolean): HttpAnswer => {
    const perPage = Math.min(
      100,
      Math.max(1, Number.parseInt(url.searchParams.get("per_page") ?? "", 10) || 20),
    );
    const cursor = url.searchParams.get("cursor");
    let start = 0;
    if (cursor) {
      const [value, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [
        string | number,
        number,
      ];
      const after = (row: Json) => {
        const x = row[orderBy] as string | number;
        if (x !== value) return descending ? x < value : x > value;
        return descending ? (row.id as number) < id : (row.id as number) > id;
      };
      start = rows.findIndex(after);
      if (start < 0) start = rows.length;
    }
    const slice = rows.slice(start, start + perPage);
    const headers: Record<string, string> = {};
    const last = slice[slice.length - 1];
    if (last && start + perPage < rows.length) {
      const next = Buffer.from(JSON.stringify([last[orderBy], last.id])).toString("base64url");
      const link = new URL(url);
      link.searchParams.delete("page");
      link.searchParams.set("cursor", next);
      headers.link = `<${link.toString()}>; rel="next"`;
    }
    return new HttpAnswer(200, slice, headers);
  };

  /** The issues or MRs a list with these query parameters selects (GitLab's filters lore sends). */
  const filterParents = (
    project: ProjectState,
    kind: ParentState["kind"],
    q: URLSearchParams,
    state: string,
  ): Json[] => {
    const map = kind === "issue" ? project.issues : project.mergeRequests;
    const iids = q.getAll("iids[]");
    const iidSet = iids.length > 0 ? new Set(iids.map(Number)) : undefined;
    const bound = (name: string) => (q.get(name) ? iso(q.get(name) as string) : undefined);
    const updatedAfter = bound("updated_after");
    const updatedBefore = bound("updated_before");
    const createdAfter = bound("created_after");
    const createdBefore = bound("created_before");
    const rows: Json[] = [];
    for (const parent of map.values()) {
      const raw = parent.raw;
      if (state !== "all" && raw.state !== state) continue;
      if (iidSet && !iidSet.has(raw.iid as number)) continue;
      if (updatedAfter && (raw.updated_at as string) < updatedAfter) continue;
      if (updatedBefore && (raw.updated_at as string) > updatedBefore) continue;
      if (createdAfter && (raw.created_at as string) < createdAfter) continue;
      if (createdBefore && (raw.created_at as string) > createdBefore) continue;
      rows.push(raw);
    }
    return rows;
  };

  /** `GET /projects/:id/issues_statistics`: counts per state of the issues the filters select. */
  const issuesStatistics = (project: ProjectState, url: URL, headers: IncomingHttpHeaders): HttpAnswer => {
    // GitLab answers this endpoint to authenticated users only.
    if (headers["private-token"] === undefined) return new HttpAnswer(401, { message: "401 Unauthorized" });
    const rows = filterParents(project, "issue", url.searchParams, "all");
    const opened = rows.filter((row) => row.state === "opened").length;
    return new HttpAnswer(200, {
      statistics: { counts: { all: rows.length, closed: rows.length - opened, opened } },
    });
  };

  const listParents = (project: ProjectState, kind: ParentState["kind"], url: URL): HttpAnswer => {
    const q = url.searchParams;
    const wantsKeyset = q.get("pagination") === "keyset";
    if (wantsKeyset && kind === "merge_request") {
      return new HttpAnswer(405, {
        error: "Keyset pagination is not yet available for this type of request",
      });
    }
    const rows = filterParents(project, kind, q, q.get("state") ?? "all");
    const orderBy = q.get("order_by") ?? "created_at";
    const descending = (q.get("sort") ?? "desc") !== "asc";
    sortRows(rows, orderBy, descending);
    if (wantsKeyset && kind === "issue" && api.keyset && KEYSET_ORDERS.has(orderBy)) {
      return keysetPage(rows, url, orderBy, descending);
    }
    return offsetPage(rows, url);
  };

  const basicIssue = (raw: Json): Json => {
    const { references: _r, _links: _l, moved_to_id: _m, ...rest } = raw;
    return rest;
  };

  const findProject = (segment: string): ProjectState | number | undefined => {
    const decoded = decodeURIComponent(segment);
    const byId = /^\d+$/.test(decoded) ? projects.get(Number(decoded)) : undefined;
    if (byId) return byId;
    const id = projectIdsByPath.get(decoded);
    if (id !== undefined) return projects.get(id);
    return movedPaths.get(decoded);
  };

  const route = (
    method: string,
    routePath: string,
    url: URL,
    headers: IncomingHttpHeaders = {},
  ): HttpAnswer => {
    if (method !== "GET") return new HttpAnswer(405, { message: "405 Method Not Allowed" });
    const s = routePath.split("/").slice(1);
    if (s.length === 1 && s[0] === "version") return new HttpAnswer(200, version);
    if (s.length === 1 && s[0] === "user")
      return new HttpAnswer(200, { ...user(currentUsername), bot: false });
    if (s[0] !== "projects" || s[1] === undefined) return notFound("Not Found");
    const found = findProject(s[1]);
    if (typeof found === "number") {
      // A moved path answers 301 to the numeric id (GitLab ≥ 16.7).
      const rest = s
        .slice(2)
        .map((part) => `/${part}`)
        .join("");
      return new HttpAnswer(301, "This resource has been moved permanently", {
        location: `${baseUrl}${API_PREFIX}/projects/${found}${rest}${url.search}`,
      });
    }
    if (!found) return notFound("Project Not Found");
    if (s.length === 2) return new HttpAnswer(200, found.raw);
    if (s.length === 3 && s[2] === "issues_statistics") return issuesStatistics(found, url, headers);
    const kind = s[2] === "issues" ? "issue" : s[2] === "merge_requests" ? "merge_request" : undefined;
    if (!kind) return notFound("Not Found");
    if (s.length === 3) return listParents(found, kind, url);
    const map = kind === "issue" ? found.issues : found.mergeRequests;
    const parent = map.get(Number(s[3]));
    if (!parent) return notFound(kind === "issue" ? "Issue Not Found" : "Merge Request Not Found");
    if (s.length === 4) {
      const extras =
        kind === "issue"
          ? { subscribed: true }
          : {
              subscribed: true,
              changes_count: String(parent.diffs.length),
              diff_refs: { base_sha: "a".repeat(40), head_sha: parent.raw.sha, start_sha: "a".repeat(40) },
            };
      return new HttpAnswer(200, { ...parent.raw, ...extras });
    }
    if (s.length !== 5) return notFound("Not Found");
    const sub = s[4];
    if (sub === "discussions") {
      return offsetPage(
        parent.discussions.map((d) => ({ id: d.id, individual_note: d.individual_note, notes: d.notes })),
        url,
      );
    }
    const eventMatch = /^resource_(state|label|milestone)_events$/.exec(sub ?? "");
    if (eventMatch) return offsetPage(parent.events[eventMatch[1] as EventKind], url);
    if (kind === "merge_request" && sub === "closes_issues") {
      return offsetPage(
        parent.closes.map((item) => {
          const issue = parents.get(item);
          return issue ? basicIssue(issue.raw) : item;
        }),
        url,
      );
    }
    if (kind === "merge_request" && sub === "diffs") return offsetPage(parent.diffs, url);
    const live = (list: Json[]) =>
      list.filter((mr) => parentState(mr).project.mergeRequests.get(mr.iid as number));
    if (kind === "issue" && sub === "related_merge_requests") return offsetPage(live(parent.related), url);
    if (kind === "issue" && sub === "closed_by") return offsetPage(live(parent.closedBy), url);
    return notFound("Not Found");
  };

  const send = (res: ServerResponse, answer: HttpAnswer): void => {
    if (res.destroyed || res.writableEnded) return;
    const isText = typeof answer.body === "string";
    const payload = isText ? (answer.body as string) : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      "content-type": isText ? "text/plain" : "application/json",
      "content-length": Buffer.byteLength(payload),
      ...answer.headers,
    });
    res.end(payload);
  };

  const rateLimitHeaders = (): Record<string, string> | undefined => {
    const limit = api.rateLimit;
    if (!limit) return undefined;
    const observed = limit.limit - limit.remaining;
    return {
      "ratelimit-name": "throttle_authenticated_api",
      "ratelimit-limit": String(limit.limit),
      "ratelimit-observed": String(observed),
      "ratelimit-remaining": String(limit.remaining),
      "ratelimit-reset": String(limit.reset),
    };
  };

  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const rawPath = (req.url ?? "/").split("?")[0] ?? "/";
    const routePath = rawPath.startsWith(API_PREFIX) ? rawPath.slice(API_PREFIX.length) : rawPath;
    const logged: LoggedRequest = {
      method: req.method ?? "GET",
      path: rawPath,
      route: routePath,
      query: url.searchParams,
      headers: req.headers,
    };
    requests.push(logged);
    for (const hook of hooks) await hook(logged);

    const latency = latencies.find((entry) => matches(entry.matcher, routePath))?.ms ?? api.latencyMs;
    if (latency > 0) await delay(latency);

    const active = faults.find((entry) => entry.remaining > 0 && matches(entry.spec.path, routePath));
    if (active) {
      active.remaining -= 1;
      const spec = active.spec;
      const kind = spec.kind ?? "status";
      if (kind === "hang") return;
      if (kind === "reset") {
        req.socket.destroy();
        return;
      }
      if (kind === "malformed") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"id": 1, "title": "trunc');
        return;
      }
      if (kind === "redirect") {
        send(res, new HttpAnswer(301, "moved", { location: spec.location ?? "/", ...spec.headers }));
        return;
      }
      const status = spec.status ?? 500;
      const headers: Record<string, string> = { ...spec.headers };
      if (spec.retryAfter !== undefined) headers["retry-after"] = String(spec.retryAfter);
      const body = spec.body ?? (status === 429 ? "Retry later\n" : { message: `${status} fake fault` });
      send(res, new HttpAnswer(status, body, headers));
      return;
    }

    if (options.token !== undefined && req.headers["private-token"] !== options.token) {
      send(res, new HttpAnswer(401, { message: "401 Unauthorized" }));
      return;
    }

    const limit = api.rateLimit;
    if (limit) {
      if (limit.enforce && limit.remaining <= 0) {
        send(res, new HttpAnswer(429, "Retry later\n", { ...rateLimitHeaders(), "retry-after": "60" }));
        return;
      }
      limit.remaining = Math.max(0, limit.remaining - 1);
    }
    const answer = route(logged.method, routePath, url, req.headers);
    const extra = rateLimitHeaders();
    send(res, extra ? new HttpAnswer(answer.status, answer.body, { ...answer.headers, ...extra }) : answer);
  };

  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight -= 1;
    };
    res.on("close", finish);
    handle(req, res).catch((error: unknown) => {
      send(res, new HttpAnswer(500, { message: `500 fake error: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  user("root");

  const addParent = (project: Json, kind: ParentState["kind"], partial: Json): Json => {
    const state = projectState(project);
    const at = stamp();
    const isIssue = kind === "issue";
    const iid =
      (partial.iid as number | undefined) ?? (isIssue ? state.nextIssueIid : state.nextMergeRequestIid);
    if (isIssue) state.nextIssueIid = Math.max(state.nextIssueIid, iid + 1);
    else state.nextMergeRequestIid = Math.max(state.nextMergeRequestIid, iid + 1);
    const id = isIssue ? nextId.issue++ : nextId.mergeRequest++;
    const base = issuableBase(state, iid, id, at, isIssue ? "#" : "!", isIssue ? "issues" : "merge_requests");
    const specific: Json = isIssue
      ? {
          type: "ISSUE",
          issue_type: "issue",
          merge_requests_count: 0,
          due_date: null,
          confidential: false,
          moved_to_id: null,
          _links: {
            self: `${baseUrl}${API_PREFIX}/projects/${state.raw.id}/issues/${iid}`,
            notes: `${baseUrl}${API_PREFIX}/projects/${state.raw.id}/issues/${iid}/notes`,
            award_emoji: `${baseUrl}${API_PREFIX}/projects/${state.raw.id}/issues/${iid}/award_emoji`,
            project: `${baseUrl}${API_PREFIX}/projects/${state.raw.id}`,
            closed_as_duplicate_of: null,
          },
        }
      : {
          merged_at: null,
          merge_user: null,
          merged_by: null,
          prepared_at: at,
          source_branch: `feature-${iid}`,
          target_branch: "main",
          source_project_id: state.raw.id,
          target_project_id: state.raw.id,
          reviewers: [],
          draft: false,
          work_in_progress: false,
          merge_when_pipeline_succeeds: false,
          detailed_merge_status: "mergeable",
          merge_status: "can_be_merged",
          has_conflicts: false,
          blocking_discussions_resolved: true,
          sha: createHash("sha1").update(`mr-${id}`).digest("hex"),
          merge_commit_sha: null,
          squash_commit_sha: null,
          squash: false,
          should_remove_source_branch: null,
          force_remove_source_branch: true,
        };
    const raw: Json = { ...base, ...specific, ...partial, iid };
    normalizeTimes(raw);
    newParent(kind, state, raw);
    (isIssue ? state.issues : state.mergeRequests).set(iid, parents.get(raw) as ParentState);
    return raw;
  };

  const updateParent = (project: Json, kind: ParentState["kind"], iid: number, changes: Json): Json => {
    const state = projectState(project);
    const parent = (kind === "issue" ? state.issues : state.mergeRequests).get(iid);
    if (!parent) throw new Error(`fake-gitlab: no ${kind} ${iid}`);
    Object.assign(parent.raw, { updated_at: stamp() }, changes);
    normalizeTimes(parent.raw);
    return parent.raw;
  };

  const api: FakeGitLab = {
    url: baseUrl,
    apiUrl: `${baseUrl}${API_PREFIX}`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get clock() {
      return clock;
    },
    set clock(value: number) {
      clock = value;
    },
    latencyMs: 0,
    paginationStyle: options.paginationStyle ?? "both",
    totalLimit: options.totalLimit ?? NO_TOTAL_ABOVE,
    keyset: options.keyset ?? false,
    rateLimit: undefined,
    get currentUser() {
      return user(currentUsername);
    },
    setCurrentUser(username) {
      currentUsername = username;
      user(username);
    },
    tick(ms = 1000) {
      clock += ms;
      return clock;
    },
    nowIso: () => iso(clock),
    user,
    setVersion(next, revision = "abc1234") {
      version = { version: next, revision };
    },
    addProject(partial) {
      const id = (partial.id as number | undefined) ?? nextId.project++;
      nextId.project = Math.max(nextId.project, id + 1);
      const segments = partial.path.split("/");
      const name = segments[segments.length - 1] ?? partial.path;
      const namespacePath = segments.slice(0, -1).join("/");
      const at = stamp();
      const raw: Json = {
        id,
        description: null,
        name,
        name_with_namespace: segments.join(" / "),
        path: name,
        path_with_namespace: partial.path,
        created_at: at,
        default_branch: "main",
        web_url: `${baseUrl}/${partial.path}`,
        visibility: "private",
        archived: false,
        last_activity_at: at,
        namespace: {
          id: id + 10_000,
          name: segments[segments.length - 2] ?? namespacePath,
          path: segments[segments.length - 2] ?? namespacePath,
          kind: "group",
          full_path: namespacePath,
        },
        issues_enabled: true,
        merge_requests_enabled: true,
        open_issues_count: 0,
        permissions: { project_access: { access_level: 30 }, group_access: null },
      };
      const { path: _path, ...rest } = partial;
      Object.assign(raw, rest);
      projects.set(id, {
        raw,
        issues: new Map(),
        mergeRequests: new Map(),
        nextIssueIid: 1,
        nextMergeRequestIid: 1,
      });
      projectIdsByPath.set(partial.path, id);
      return raw;
    },
    moveProject(project, newPath) {
      const state = projectState(project);
      const oldPath = state.raw.path_with_namespace as string;
      projectIdsByPath.delete(oldPath);
      movedPaths.set(oldPath, state.raw.id as number);
      projectIdsByPath.set(newPath, state.raw.id as number);
      state.raw.path_with_namespace = newPath;
      state.raw.web_url = `${baseUrl}/${newPath}`;
    },
    addIssue: (project, partial = {}) => addParent(project, "issue", partial),
    addMergeRequest: (project, partial = {}) => addParent(project, "merge_request", partial),
    updateIssue: (project, iid, changes) => updateParent(project, "issue", iid, changes),
    updateMergeRequest: (project, iid, changes) => updateParent(project, "merge_request", iid, changes),
    deleteIssue(project, iid) {
      projectState(project).issues.delete(iid);
    },
    deleteMergeRequest(project, iid) {
      projectState(project).mergeRequests.delete(iid);
    },
    addDiscussion(parent, notes, discussionOptions = {}) {
      const state = parentState(parent);
      const individual = discussionOptions.individual ?? notes.length === 1;
      const at = stamp();
      const discussion: DiscussionState = {
        id: createHash("sha1")
          .update(`discussion-${nextId.discussion++}`)
          .digest("hex"),
        individual_note: individual,
        notes: notes.map((note) => makeNote(state, note, !individual, at)),
      };
      state.discussions.push(discussion);
      touch(state, at);
      countUserNotes(state);
      return { id: discussion.id, individual_note: discussion.individual_note, notes: discussion.notes };
    },
    addNote(parent, discussionId, note) {
      const state = parentState(parent);
      const discussion = state.discussions.find((d) => d.id === discussionId);
      if (!discussion) throw new Error(`fake-gitlab: no discussion ${discussionId}`);
      const at = stamp();
      const created = makeNote(state, note, !discussion.individual_note, at);
      discussion.notes.push(created);
      touch(state, at);
      countUserNotes(state);
      return created;
    },
    editNote(parent, noteId, changes) {
      const state = parentState(parent);
      const { discussion, index } = findNote(state, noteId);
      const at = stamp();
      const note = Object.assign(discussion.notes[index] as Json, { updated_at: at }, changes);
      normalizeTimes(note);
      touch(state, at);
      return note;
    },
    deleteNote(parent, noteId) {
      const state = parentState(parent);
      const { discussion, index } = findNote(state, noteId);
      discussion.notes.splice(index, 1);
      if (discussion.notes.length === 0) state.discussions.splice(state.discussions.indexOf(discussion), 1);
      countUserNotes(state);
    },
    addEvent(parent, kind, partial = {}) {
      const state = parentState(parent);
      const at = stamp();
      const common: Json = {
        id: nextId.event++,
        user: user("root"),
        created_at: at,
        resource_type: state.kind === "issue" ? "Issue" : "MergeRequest",
        resource_id: state.raw.id,
      };
      const specific: Json =
        kind === "state"
          ? { state: "closed", source_commit: null, source_merge_request_id: null }
          : kind === "label"
            ? {
                action: "add",
                label: { id: 71, name: "bug", color: "#d9534f", description: null, text_color: "#FFFFFF" },
              }
            : {
                action: "add",
                milestone: {
                  id: 41,
                  iid: 1,
                  project_id: state.project.raw.id,
                  title: "v1.0",
                  description: null,
                  state: "active",
                  created_at: at,
                  updated_at: at,
                  due_date: null,
                  start_date: null,
                  web_url: `${baseUrl}/${state.project.raw.path_with_namespace as string}/-/milestones/1`,
                },
              };
      const event: Json = { ...common, ...specific, ...partial };
      normalizeTimes(event);
      state.events[kind].push(event);
      return event;
    },
    setCloses(mergeRequest, issues) {
      parentState(mergeRequest).closes = [...issues];
    },
    setDiffs(mergeRequest, files) {
      parentState(mergeRequest).diffs = files.map((file) => {
        const path = (file.new_path ?? file.old_path ?? "README.md") as string;
        return {
          old_path: file.old_path ?? path,
          new_path: path,
          a_mode: "100644",
          b_mode: "100644",
          new_file: false,
          renamed_file: false,
          deleted_file: false,
          generated_file: false,
          collapsed: false,
          too_large: false,
          diff: "@@ -1 +1 @@\n-old\n+new\n",
          ...file,
        };
      });
    },
    diffPosition(partial) {
      const oldPath = partial.old_path ?? partial.new_path;
      const newLine = partial.new_line ?? null;
      const oldLine = partial.old_line ?? null;
      const fileSha = createHash("sha1").update(partial.new_path).digest("hex");
      const end = {
        line_code: `${fileSha}_${oldLine ?? newLine ?? 0}_${newLine ?? oldLine ?? 0}`,
        type: newLine === null ? "old" : "new",
        old_line: oldLine,
        new_line: newLine,
      };
      return {
        base_sha: "a".repeat(40),
        start_sha: "b".repeat(40),
        head_sha: "c".repeat(40),
        old_path: oldPath,
        new_path: partial.new_path,
        position_type: "text",
        old_line: oldLine,
        new_line: newLine,
        line_range: { start: end, end },
      };
    },
    setRelated(issue, mergeRequests) {
      parentState(issue).related = [...mergeRequests];
    },
    setClosedBy(issue, mergeRequests) {
      parentState(issue).closedBy = [...mergeRequests];
      // GitLab's merge_requests_count counts the MRs closing the issue.
      issue.merge_requests_count = mergeRequests.length;
    },
    setLatency(path, ms) {
      latencies.unshift({ matcher: path, ms });
    },
    fault(spec) {
      faults.push({ spec, remaining: spec.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults() {
      faults.length = 0;
    },
    onRequest(hook) {
      hooks.add(hook);
      return () => hooks.delete(hook);
    },
    clearRequests() {
      requests.length = 0;
      maxInFlight = inFlight;
    },
    async close() {
      hooks.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}
