import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isLoreError, type LoreError } from "../../src/core/errors.js";
import { collectPages, createGitLabClient, type GitLabClientOptions } from "../../src/gitlab/client.js";
import {
  type FakeGitLab,
  type FakeGitLabOptions,
  type Json,
  startFakeGitLab,
} from "../support/fake-gitlab.js";

const TOKEN = "glpat-SuperSecret123";

let gl: FakeGitLab;
let project: Json;
const servers: FakeGitLab[] = [];

/** Starts a fake that requires TOKEN unless `token: undefined` is given. */
async function start(options: FakeGitLabOptions = {}): Promise<FakeGitLab> {
  const server = await startFakeGitLab("token" in options ? options : { token: TOKEN, ...options });
  servers.push(server);
  return server;
}

/** A client whose waits are instant but recorded, so retry timing is asserted without sleeping. */
function client(overrides: Partial<GitLabClientOptions> = {}) {
  let clock = Date.now();
  const sleeps: number[] = [];
  const api = createGitLabClient({
    baseUrl: gl.url,
    token: TOKEN,
    version: "1.2.3",
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    ...overrides,
  });
  return { api, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<LoreError> {
  try {
    await promise;
  } catch (error) {
    if (isLoreError(error)) return error;
    throw error;
  }
  throw new Error("expected a failure");
}

function listRequests(route: string) {
  return gl.requests.filter((r) => r.route === route);
}

beforeEach(async () => {
  gl = await start();
  project = gl.addProject({ path: "group/sub/proj" });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("bootstrap endpoints", () => {
  it("sends the token and user agent, and addresses projects by path or id", async () => {
    const { api } = client();
    expect((await api.version()).version).toBe("17.5.1-ee");
    expect((await api.currentUser()).username).toBe("root");
    const byPath = await api.project("group/sub/proj");
    const byId = await api.project(project.id as number);
    expect(byPath.id).toBe(project.id);
    expect(byId.path_with_namespace).toBe("group/sub/proj");
    expect(gl.requests.map((r) => r.path)).toContain("/api/v4/projects/group%2Fsub%2Fproj");
    expect(gl.requests.every((r) => r.headers["private-token"] === TOKEN)).toBe(true);
    expect(gl.requests[0]?.headers["user-agent"]).toBe("lore/1.2.3");
  });

  it("sends no token header when none is configured", async () => {
    const open = await start({ token: undefined });
    const api = createGitLabClient({ baseUrl: `${open.url}/api/v4/` });
    await api.version();
    expect(open.requests[0]?.headers["private-token"]).toBeUndefined();
  });

  it("follows one 301 for a moved project", async () => {
    gl.moveProject(project, "group/renamed");
    const { api } = client();
    const moved = await api.project("group/sub/proj");
    expect(moved.path_with_namespace).toBe("group/renamed");
    expect(gl.requests.map((r) => r.route)).toEqual([
      `/projects/group%2Fsub%2Fproj`,
      `/projects/${project.id}`,
    ]);
  });

  it("does not forward the token when a redirect leads to another host", async () => {
    const other = await start({ token: undefined });
    other.addProject({ path: "elsewhere/proj", id: project.id as number });
    gl.fault({ path: "/projects/7", kind: "redirect", location: `${other.apiUrl}/projects/${project.id}` });
    const { api } = client();
    await api.project(7);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]?.headers["private-token"]).toBeUndefined();
  });
});

describe("list walks", () => {
  it.each(["headers", "link", "both"] as const)(
    "walks merge requests by updated_at with %s pagination",
    async (style) => {
      gl.paginationStyle = style;
      for (let i = 0; i < 250; i += 1) gl.addMergeRequest(project);
      const { api } = client();
      const pages: number[] = [];
      const seen: number[] = [];
      for await (const page of api.listMergeRequests(project.id as number)) {
        pages.push(page.length);
        seen.push(...page.map((mr) => mr.iid));
      }
      expect(new Set(seen).size).toBe(250);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      const first = listRequests(`/projects/${project.id}/merge_requests`)[0];
      expect(Object.fromEntries(first?.query ?? [])).toMatchObject({
        order_by: "updated_at",
        sort: "asc",
        state: "all",
        per_page: "100",
      });
      expect(first?.query.has("pagination")).toBe(false);
    },
  );

  it("uses keyset pagination for issues when the server supports it", async () => {
    gl.keyset = true;
    for (let i = 0; i < 230; i += 1) gl.addIssue(project);
    const { api } = client();
    const issues = await collectPages(api.listIssues(project.id as number));
    expect(issues.map((i) => i.iid)).toEqual(Array.from({ length: 230 }, (_, i) => i + 1));
    const calls = listRequests(`/projects/${project.id}/issues`);
    expect(calls).toHaveLength(3);
    expect(calls.every((r) => r.query.get("pagination") === "keyset")).toBe(true);
    expect(calls.slice(1).every((r) => r.query.has("cursor") && !r.query.has("page"))).toBe(true);
  });

  it("falls back to the window walk when the server answers 405 to keyset", async () => {
    for (let i = 0; i < 150; i += 1) gl.addIssue(project);
    gl.keyset = true;
    gl.fault({
      path: `/projects/${project.id}/issues`,
      status: 405,
      times: 1,
      body: { error: "Keyset pagination is not yet available for this type of request" },
    });
    const { api } = client();
    const issues = await collectPages(api.listIssues(project.id as number));
    expect(issues).toHaveLength(150);
    const calls = listRequests(`/projects/${project.id}/issues`);
    expect(calls[0]?.query.get("pagination")).toBe("keyset");
    expect(calls.slice(1).every((r) => !r.query.has("pagination") && r.query.get("page") === "1")).toBe(true);
  });

  it.each(["headers", "link"] as const)(
    "detects an offset answer to keyset (%s style) and walks by window",
    async (style) => {
      gl.paginationStyle = style;
      for (let i = 0; i < 230; i += 1) gl.addIssue(project);
      const { api } = client();
      const issues = await collectPages(
        api.listIssues(project.id as number, { updatedAfter: "2020-01-01T00:00:00Z" }),
      );
      expect(new Set(issues.map((i) => i.id)).size).toBe(230);
      expect(issues).toHaveLength(230);
      const calls = listRequests(`/projects/${project.id}/issues`);
      expect(calls[0]?.query.get("updated_after")).toBe("2020-01-01T00:00:00Z");
      // Each next request restarts the window from the last updated_at seen, page 1.
      expect(calls[1]?.query.get("updated_after")).toBe(issues[99]?.updated_at);
      expect(calls[1]?.query.get("page")).toBe("1");
    },
  );

  it("does not skip a row when an earlier row is edited mid-walk", async () => {
    for (let i = 0; i < 250; i += 1) gl.addIssue(project);
    let listCalls = 0;
    gl.onRequest((request) => {
      if (request.route !== `/projects/${project.id}/issues`) return;
      listCalls += 1;
      // Before page 2 is served, an issue from page 1 moves to the end of the order.
      if (listCalls === 2) gl.updateIssue(project, 5, { title: "edited" });
    });
    const { api } = client();
    const issues = await collectPages(api.listIssues(project.id as number));
    const iids = issues.map((i) => i.iid);
    expect(new Set(iids).size).toBe(250);
    expect(iids.filter((iid) => iid === 5)).toHaveLength(2);
    expect(issues.find((i) => i.iid === 5 && i.title === "edited")).toBeDefined();
  });

  it("pages within one timestamp when a whole page shares it", async () => {
    const tied = await start({ autoTickMs: 0 });
    gl = tied;
    const p = tied.addProject({ path: "g/tied" });
    for (let i = 0; i < 150; i += 1) tied.addIssue(p);
    tied.tick(1000);
    for (let i = 0; i < 20; i += 1) tied.addIssue(p, { updated_at: tied.tick(1000) });
    const { api } = client();
    const issues = await collectPages(api.listIssues(p.id as number));
    expect(issues).toHaveLength(170);
    expect(new Set(issues.map((i) => i.iid)).size).toBe(170);
    const pagesAsked = listRequests(`/projects/${p.id}/issues`).map((r) => r.query.get("page"));
    expect(pagesAsked).toContain("2");
  });

  it("filters by iids in one request", async () => {
    for (let i = 0; i < 5; i += 1) gl.addIssue(project);
    const { api } = client();
    const found = await collectPages(api.listIssues(project.id as number, { iids: [2, 4, 99] }));
    expect(found.map((i) => i.iid).sort()).toEqual([2, 4]);
    const calls = listRequests(`/projects/${project.id}/issues`);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.query.getAll("iids[]")).toEqual(["2", "4", "99"]);
  });

  it("stops between pages once the signal aborts", async () => {
    for (let i = 0; i < 250; i += 1) gl.addMergeRequest(project);
    const controller = new AbortController();
    const { api } = client();
    const error = await failure(
      (async () => {
        for await (const _page of api.listMergeRequests(project.id as number, {
          signal: controller.signal,
        })) {
          controller.abort();
        }
      })(),
    );
    expect(error.code).toBe("CANCELLED");
    expect(listRequests(`/projects/${project.id}/merge_requests`)).toHaveLength(1);
  });
});

describe("dependents", () => {
  it("reads discussions, events and links of issues and merge requests", async () => {
    const issue = gl.addIssue(project);
    const mr = gl.addMergeRequest(project);
    for (let i = 0; i < 120; i += 1) gl.addDiscussion(issue, [`comment ${i}`]);
    const thread = gl.addDiscussion(mr, [
      {
        body: "look here",
        type: "DiffNote",
        position: { new_path: "a.ts", new_line: 3, position_type: "text" },
      },
      "agreed",
    ]);
    gl.addEvent(issue, "state", { state: "closed" });
    gl.addEvent(mr, "label", { action: "remove" });
    gl.setCloses(mr, [issue, { id: "PROJ-1", title: "Jira thing" }]);
    gl.setDiffs(mr, [{ new_path: "a.ts" }, { new_path: "b.ts", new_file: true }]);
    gl.setRelated(issue, [mr]);
    gl.setClosedBy(issue, [mr]);
    const { api } = client();
    const pid = project.id as number;

    const discussions = await collectPages(api.issueDiscussions(pid, 1));
    expect(discussions).toHaveLength(120);
    expect(listRequests(`/projects/${pid}/issues/1/discussions`)).toHaveLength(2);
    const [mrThread] = await collectPages(api.mergeRequestDiscussions(pid, 1));
    expect(mrThread?.id).toBe(thread.id);
    expect(mrThread?.notes.map((n) => n.body)).toEqual(["look here", "agreed"]);
    expect(mrThread?.notes[0]?.position?.new_path).toBe("a.ts");

    const states = await collectPages(api.resourceEvents(pid, "issue", 1, "state"));
    expect(states.map((e) => e.state)).toEqual(["closed"]);
    const labels = await collectPages(api.resourceEvents(pid, "merge_request", 1, "label"));
    expect(labels[0]?.action).toBe("remove");
    expect(await collectPages(api.resourceEvents(pid, "issue", 1, "milestone"))).toEqual([]);

    const closes = await collectPages(api.mergeRequestClosesIssues(pid, 1));
    expect(closes.map((c) => c.id)).toEqual([issue.id, "PROJ-1"]);
    const diffs = await collectPages(api.mergeRequestDiffs(pid, 1));
    expect(diffs.map((d) => [d.new_path, d.new_file])).toEqual([
      ["a.ts", false],
      ["b.ts", true],
    ]);
    expect((await collectPages(api.issueRelatedMergeRequests(pid, 1))).map((m) => m.iid)).toEqual([1]);
    expect((await collectPages(api.issueClosedBy(pid, 1))).map((m) => m.iid)).toEqual([1]);
    expect((await api.mergeRequest(pid, 1)).sha).toBe(mr.sha);
  });
});

describe("retries and failures", () => {
  it("honours Retry-After on 429, then succeeds", async () => {
    gl.fault({ path: `/projects/${project.id}`, status: 429, retryAfter: 3, times: 2 });
    const { api, sleeps } = client();
    expect((await api.project(project.id as number)).id).toBe(project.id);
    expect(sleeps).toEqual([3000, 3000]);
    expect(api.metrics.retries).toBe(2);
    expect(api.metrics.rateLimitWaitMs).toBe(6000);
    expect(listRequests(`/projects/${project.id}`)).toHaveLength(3);
  });

  it("retries 5xx and connection resets with backoff, then succeeds", async () => {
    gl.fault({ path: "/version", status: 502, times: 1 });
    gl.fault({ path: "/version", kind: "reset", times: 1 });
    const { api, sleeps } = client();
    expect((await api.version()).version).toBe("17.5.1-ee");
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(0);
    expect(api.metrics.requests).toBe(3);
  });

  it.each([
    ["401", "GITLAB_AUTH", 1, { status: 401, body: { message: "401 Unauthorized" } }],
    ["403", "GITLAB_AUTH", 1, { status: 403, body: { message: "403 Forbidden" } }],
    ["400", "GITLAB_NETWORK", 1, { status: 400, body: { message: "400 (Bad request)" } }],
    ["429 forever", "GITLAB_RATE_LIMITED", 3, { status: 429, retryAfter: 1 }],
    ["503 forever", "GITLAB_NETWORK", 3, { status: 503 }],
    ["reset forever", "GITLAB_NETWORK", 3, { kind: "reset" as const }],
    ["malformed JSON", "GITLAB_NETWORK", 1, { kind: "malformed" as const }],
  ])("maps %s to %s after %d attempt(s)", async (_name, code, attempts, fault) => {
    gl.fault({ path: "/user", ...fault });
    const { api } = client({ maxRetries: 2 });
    const error = await failure(api.currentUser());
    expect(error.code).toBe(code);
    expect(listRequests("/user")).toHaveLength(attempts);
  });

  it("explains auth failures and names what is missing on 404", async () => {
    const { api } = client({ token: "wrong" });
    const auth = await failure(api.version());
    expect(auth.code).toBe("GITLAB_AUTH");
    expect(auth.suggestion).toMatch(/read_api/);
    const good = client().api;
    const missing = await failure(good.issue("group/sub/proj", 42));
    expect(missing.code).toBe("GITLAB_NOT_FOUND");
    expect(missing.message).toContain("issue #42 in project group/sub/proj");
    expect(missing.message).not.toContain("Not valid JSON");
    const malformed = await (async () => {
      gl.fault({ path: "/version", kind: "malformed" });
      return failure(good.version());
    })();
    expect(malformed.message).toMatch(/not valid JSON/);
  });

  it("names endpoint and field on a schema mismatch", async () => {
    gl.addIssue(project);
    gl.addIssue(project, { title: 42 });
    const { api } = client();
    const error = await failure(collectPages(api.listIssues(project.id as number)));
    expect(error.code).toBe("GITLAB_NETWORK");
    expect(error.message).toContain("GET /projects/:id/issues");
    expect(error.message).toContain("[1].title: expected string");
  });

  it("aborts a hanging request at once when the caller cancels", async () => {
    gl.fault({ path: "/version", kind: "hang" });
    const controller = new AbortController();
    const { api } = client({ sleep: undefined, now: undefined });
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(api.version({ signal: controller.signal }));
    expect(error.code).toBe("CANCELLED");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("cancels the wait between retries", async () => {
    gl.fault({ path: "/version", status: 503, retryAfter: 600 });
    const controller = new AbortController();
    const api = createGitLabClient({ baseUrl: gl.url, token: TOKEN });
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(api.version({ signal: controller.signal }));
    expect(error.code).toBe("CANCELLED");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("times out a hanging request and reports a network error", async () => {
    gl.fault({ path: "/version", kind: "hang" });
    const { api } = client({ timeoutMs: 150, maxRetries: 1 });
    const error = await failure(api.version());
    expect(error.code).toBe("GITLAB_NETWORK");
    expect(error.message).toMatch(/timed out after 150 ms/);
    expect(listRequests("/version")).toHaveLength(2);
  });

  it("never puts the token in errors", async () => {
    const closed = await start({ token: undefined });
    const deadUrl = closed.url;
    await closed.close();
    const errors: LoreError[] = [];
    errors.push(
      await failure(
        createGitLabClient({
          baseUrl: `http://user:${TOKEN}@${deadUrl.slice(7)}`,
          token: TOKEN,
          maxRetries: 0,
        }).version(),
      ),
    );
    errors.push(await failure(client({ token: "wrong" }).api.version()));
    gl.fault({ path: "/user", status: 500, body: { message: `echo ${TOKEN}` } });
    errors.push(await failure(client({ maxRetries: 0 }).api.currentUser()));
    expect(errors.map((e) => e.code)).toEqual(["GITLAB_NETWORK", "GITLAB_AUTH", "GITLAB_NETWORK"]);
    for (const error of errors) {
      const dump = [
        error.message,
        error.stack,
        JSON.stringify(error.details),
        error.suggestion,
        String(error.cause),
      ];
      expect(dump.join("\n")).not.toContain(TOKEN);
    }
  });
});

describe("limits", () => {
  it("keeps at most `concurrency` requests in flight", async () => {
    gl.latencyMs = 20;
    const { api } = client({ concurrency: 3 });
    const results = await Promise.all(Array.from({ length: 50 }, () => api.project(project.id as number)));
    expect(results).toHaveLength(50);
    expect(gl.maxInFlight).toBe(3);
  });

  it("paces requests from the server's RateLimit headers", async () => {
    const start = Date.now();
    gl.rateLimit = { limit: 100, remaining: 6, reset: Math.floor(start / 1000) + 10 };
    const { api, sleeps } = client();
    for (let i = 0; i < 4; i += 1) await api.version();
    expect(sleeps.length).toBeGreaterThanOrEqual(3);
    expect(api.metrics.rateLimitWaitMs).toBeGreaterThan(3000);
  });
});

describe("fake server", () => {
  it("serves GitLab's pagination headers and omits totals above 10,000 rows", async () => {
    for (let i = 0; i < 10_001; i += 1) gl.addIssue(project);
    const big = await fetch(`${gl.apiUrl}/projects/${project.id}/issues?per_page=500&page=2`, {
      headers: { "PRIVATE-TOKEN": TOKEN },
    });
    expect(big.headers.get("x-per-page")).toBe("100");
    expect(big.headers.get("x-next-page")).toBe("3");
    expect(big.headers.has("x-total")).toBe(false);
    expect(big.headers.get("link")).not.toContain('rel="last"');
    expect((await big.json()) as unknown[]).toHaveLength(100);
    const unauthorized = await fetch(`${gl.apiUrl}/projects/${project.id}`);
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({ message: "401 Unauthorized" });
  });

  it("serves 12,000 issues with 100,000 notes", async () => {
    const big = await start({ keyset: true });
    gl = big;
    const p = big.addProject({ path: "big/proj" });
    for (let i = 0; i < 12_000; i += 1) {
      const issue = big.addIssue(p);
      const notes = i < 4_000 ? 9 : 8;
      for (let d = 0; d < notes; d += 3)
        big.addDiscussion(issue, ["a", "b", "c"].slice(0, Math.min(3, notes - d)));
    }
    const { api } = client();
    const started = Date.now();
    const issues = await collectPages(api.listIssues(p.id as number));
    expect(issues).toHaveLength(12_000);
    const discussions = await collectPages(api.issueDiscussions(p.id as number, 1));
    expect(discussions.flatMap((d) => d.notes)).toHaveLength(9);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
