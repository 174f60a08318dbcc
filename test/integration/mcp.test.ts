// `lore mcp` from the built binary, driven by the official SDK's own client over stdio against the
// fake GitLab: the tool list, every tool, a refresh that changes what get_issue answers, bounded
// results, bad arguments and tool errors (the server keeps serving), a concurrent `lore sync`, and
// a clean stop on stdin close and on SIGTERM.

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LORE_BIN, makeTempHome, runLore, spawnLore, type TempHome } from "../support/cli.js";
import { startFakeEmbedder } from "../support/fake-embedder.js";
import { type FakeGitLab, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore, type Seeded, seedProject } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;
let seeded: Seeded;
let client: Client | undefined;

const env = () => ({ ...home.env, PATH: process.env.PATH ?? "", GITLAB_TOKEN: "glpat-mcp" });

beforeEach(async () => {
  gl = await startFakeGitLab({ token: "glpat-mcp" });
  seeded = seedProject(gl, { issues: 3, mrs: 2, notesPerThread: 3 });
  home = makeTempHome();
  await configureLore(home, gl);
  const sync = await runLore(["sync"], { env: env() });
  expect(sync.code, sync.stderr).toBe(0);
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  await gl.close();
  home.cleanup();
});

async function connect(): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [LORE_BIN, "mcp"],
    env: env(),
    stderr: "pipe",
  });
  client = new Client({ name: "lore-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

interface Answer {
  readonly isError: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: tests index tool JSON freely; assertions check the shapes.
  readonly json: any;
  readonly text: string;
}

async function call(mcp: Client, name: string, args: Record<string, unknown> = {}): Promise<Answer> {
  const result = await mcp.callTool({ name, arguments: args });
  const content = result.content as { type: string; text: string }[];
  const text = content[0]?.text ?? "";
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { isError: result.isError === true, json, text };
}

describe("lore mcp", () => {
  it("lists its tools with input schemas", async () => {
    const mcp = await connect();
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "file_history",
      "get_issue",
      "get_merge_request",
      "list_issues",
      "list_merge_requests",
      "me",
      "notes",
      "refresh",
      "related",
      "search",
      "status",
      "timeline",
      "trace",
      "who",
    ]);
    const getIssue = tools.find((t) => t.name === "get_issue");
    expect(getIssue?.inputSchema.required).toEqual(["iid"]);
    expect(Object.keys(getIssue?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["iid", "project", "max_age", "discussions_offset", "fields", "max_tokens"]),
    );
    const timeline = tools.find((t) => t.name === "timeline");
    expect(timeline?.inputSchema.required).toEqual(["target"]);
    expect(Object.keys(timeline?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining([
        "depth",
        "mentions",
        "since",
        "max_age",
        "max_results",
        "fields",
        "max_tokens",
      ]),
    );
    expect(tools.find((t) => t.name === "me")?.annotations?.readOnlyHint).toBe(true);
  });

  it("answers every tool with the robot data objects", async () => {
    const mcp = await connect();
    const search = await call(mcp, "search", { query: "login", max_results: 3, fields: "minimal" });
    expect(search.isError, search.text).toBe(false);
    expect(search.json.results).toHaveLength(3);
    expect(Object.keys(search.json.results[0])).toEqual([
      "document_id",
      "source_type",
      "project",
      "iid",
      "title",
      "score",
    ]);
    expect(search.json).toMatchObject({ truncated: false, omitted_count: 0 });

    const issue = await call(mcp, "get_issue", { iid: 2, discussions_limit: 1 });
    expect(issue.json.issue).toMatchObject({ iid: 2, project: "group/proj" });
    expect(issue.json.issue.discussions).toHaveLength(1);
    expect(issue.json.discussions_page).toEqual({ offset: 0, limit: 1, total: 2, next_offset: 1 });
    const next = await call(mcp, "get_issue", { iid: 2, discussions_offset: 1, discussions_limit: 1 });
    expect(next.json.discussions_page.next_offset).toBeNull();
    expect(next.json.issue.discussions[0].id).not.toBe(issue.json.issue.discussions[0].id);

    const mr = await call(mcp, "get_merge_request", { iid: 1, fields: ["iid", "changed_files"] });
    expect(Object.keys(mr.json.mr)).toEqual(["iid", "changed_files"]);

    const issues = await call(mcp, "list_issues", { labels: ["auth"] });
    expect(issues.json.issues.map((i: { iid: number }) => i.iid)).toEqual([2]);
    const mrs = await call(mcp, "list_merge_requests", { state: "all" });
    expect(mrs.json.mrs).toHaveLength(2);
    const status = await call(mcp, "status", { runs: 1 });
    expect(status.json.projects[0]).toMatchObject({ project: "group/proj", issues: 3, mrs: 2 });
    expect(status.json.runs).toHaveLength(1);
  });

  it("answers notes, timeline, who, file_history, trace, related and me with the commands' data", async () => {
    // related compares embeddings: embed the mirror with the fake embedder first.
    const embedder = await startFakeEmbedder({ dimension: 64 });
    try {
      await configureLore(
        home,
        gl,
        ["group/proj"],
        ["--embedding-provider", "ollama", "--embedding-url", embedder.url],
      );
      expect((await runLore(["embed"], { env: env() })).code).toBe(0);
      const mcp = await connect();
      const ok = async (name: string, args: Record<string, unknown>) => {
        const answer = await call(mcp, name, args);
        expect(answer.isError, `${name}: ${answer.text}`).toBe(false);
        expect(answer.json).toMatchObject({ truncated: false, omitted_count: 0 });
        return answer.json;
      };

      const notes = await ok("notes", { on: "issue:1", max_results: 2, fields: "minimal" });
      expect(notes.notes.map(Object.keys)).toEqual([
        ["id", "project", "entity_type", "iid", "author", "created_at", "body"],
        ["id", "project", "entity_type", "iid", "author", "created_at", "body"],
      ]);
      expect(notes.omitted_notes).toBe(1);

      const timeline = await ok("timeline", { target: "issue:1" });
      expect(timeline).toMatchObject({ seeds: [{ entity_type: "issue", iid: 1 }], refreshed: false });
      expect(
        timeline.entities.map((e: { entity_type: string; iid: number }) => `${e.entity_type}${e.iid}`),
      ).toEqual(["issue1", "merge_request1"]);
      // Over budget, the oldest events go first: the newest are what a timeline is read for.
      const cut = await call(mcp, "timeline", { target: "issue:1", max_tokens: 500 });
      expect(cut.json).toMatchObject({ truncated: true, omitted: { events: expect.any(Number) } });
      expect(cut.json.events.length + cut.json.omitted.events).toBe(timeline.events.length);
      expect(cut.json.events.at(-1)).toEqual(timeline.events.at(-1));
      gl.updateIssue(seeded.project, 1, { title: "Retitled on GitLab" });
      const fresh = await ok("timeline", { target: "issue:1", depth: 0, max_age: "0" });
      expect(fresh).toMatchObject({
        refreshed: true,
        stale: false,
        entities: [{ title: "Retitled on GitLab" }],
      });

      const workload = await ok("who", { target: "@alice" });
      expect(workload.mode).toBe("workload");
      expect(workload.authored_mrs.map((m: { iid: number }) => m.iid).sort()).toEqual([1, 2]);
      const experts = await ok("who", { target: "src/", fields: ["username", "authored_mrs"] });
      expect(experts.experts).toEqual([{ username: "alice", authored_mrs: 2 }]);
      expect((await ok("who", { active: true })).mode).toBe("active");

      const history = await ok("file_history", { path: "src/login.ts", max_results: 1 });
      expect(history.merge_requests).toHaveLength(1);
      expect(history.omitted_merge_requests).toBe(1);
      const trace = await ok("trace", { path: "src/login.ts" });
      expect(
        trace.chains.flatMap((c: { issues: { iid: number }[] }) => c.issues.map((i) => i.iid)).sort(),
      ).toEqual([1, 2]);

      const related = await ok("related", { issue: 2, max_results: 3 });
      expect(related.source).toMatchObject({ source_type: "issue", iid: 2 });
      expect(related.results.length).toBeGreaterThan(0);
      expect(related.results).not.toContainEqual(expect.objectContaining({ source_type: "issue", iid: 2 }));
      expect((await ok("related", { text: "login fails with SSO" })).source).toBeNull();

      const me = await ok("me", { user: "alice" });
      expect(me).toMatchObject({ username: "alice", baseline: true });
      expect(me.authored_mrs).toHaveLength(2);
      // The dashboard read by a tool leaves the user's "last looked" mark alone.
      expect((await ok("me", { user: "alice" })).baseline).toBe(true);
    } finally {
      await embedder.close();
    }
  });

  it("refresh changes what get_issue answers; max_age refreshes on read", async () => {
    const mcp = await connect();
    gl.updateIssue(seeded.project, 1, { title: "Changed on GitLab" });
    expect((await call(mcp, "get_issue", { iid: 1 })).json.issue.title).not.toBe("Changed on GitLab");

    const refresh = await call(mcp, "refresh", { issues: [1], merge_requests: [1] });
    expect(refresh.isError, refresh.text).toBe(false);
    expect(refresh.json).toMatchObject({
      mode: "surgical",
      status: "succeeded",
      requested: { issues: [1], mrs: [1] },
      counters: { issues_ingested: 1, mrs_ingested: 1 },
    });
    expect((await call(mcp, "get_issue", { iid: 1 })).json.issue.title).toBe("Changed on GitLab");

    gl.updateIssue(seeded.project, 3, { title: "Also changed" });
    const fresh = await call(mcp, "get_issue", { iid: 3, max_age: "0" });
    expect(fresh.json).toMatchObject({ refreshed: true, stale: false, issue: { title: "Also changed" } });
  });

  it("keeps results inside the token budget and says what it cut", async () => {
    for (let i = 0; i < 60; i++)
      gl.addIssue(seeded.project, { title: `Bulk issue ${i} ${"words ".repeat(20)}` });
    expect((await runLore(["sync"], { env: env() })).code).toBe(0);
    const mcp = await connect();
    const bounded = await call(mcp, "list_issues", { max_results: 63, max_tokens: 1_000 });
    expect(bounded.text.length).toBeLessThanOrEqual(4_000);
    expect(bounded.json.truncated).toBe(true);
    expect(bounded.json.issues.length + bounded.json.omitted_count).toBe(63);
    expect(bounded.json.omitted).toEqual({ issues: bounded.json.omitted_count });
  });

  it("answers bad arguments and failures as tool errors with lore's code and actions, and keeps serving", async () => {
    const mcp = await connect();
    const typed = await call(mcp, "get_issue", { iid: "seven" });
    expect(typed.isError).toBe(true);
    expect(typed.text).toContain("iid");

    const state = await call(mcp, "list_issues", { since: "yesterday-ish" });
    expect(state.isError).toBe(true);
    expect(state.json.error).toMatchObject({ code: "USAGE", exit_code: 2 });

    const field = await call(mcp, "search", { query: "login", fields: "nope" });
    expect(field.json.error.message).toContain("unknown field nope");

    const missing = await call(mcp, "get_issue", { iid: 999 });
    expect(missing.isError).toBe(true);
    expect(missing.json.error).toMatchObject({
      code: "NOT_IN_MIRROR",
      exit_code: 6,
      actions: ["lore sync -p group/proj --issue 999", "lore issues 999 -p group/proj --max-age 0"],
    });
    const preflight = await call(mcp, "refresh", { issues: [1, 999] });
    expect(preflight.json.error).toMatchObject({
      code: "SURGICAL_PREFLIGHT_FAILED",
      actions: ["lore sync -p group/proj --issue 1"],
    });
    const empty = await call(mcp, "refresh", {});
    expect(empty.json.error.code).toBe("USAGE");

    const depth = await call(mcp, "timeline", { target: "issue:1", depth: 99 });
    expect(depth.isError).toBe(true);
    expect(depth.text).toContain("depth");
    const both = await call(mcp, "related", { issue: 1, text: "login" });
    expect(both.json.error).toMatchObject({ code: "USAGE" });
    const notSynced = await call(mcp, "timeline", { target: "issue:999" });
    expect(notSynced.isError).toBe(true);
    expect(notSynced.json.error).toMatchObject({
      code: "NOT_IN_MIRROR",
      exit_code: 6,
      actions: ["lore sync -p group/proj --issue 999"],
    });
    const mode = await call(mcp, "who", { active: true, fields: "username" });
    expect(mode.json.error.message).toContain("unknown field username for lore who");
    // Still serving.
    expect((await call(mcp, "get_issue", { iid: 1 })).isError).toBe(false);
  });

  it("serves beside a concurrent lore sync and sees what it wrote", async () => {
    const mcp = await connect();
    for (let i = 0; i < 30; i++) gl.addIssue(seeded.project, { title: `Concurrent ${i}` });
    gl.latencyMs = 30;
    let done = false;
    const sync = runLore(["sync"], { env: env() }).finally(() => {
      done = true;
    });
    // Reads keep going while the sync writes (WAL: readers never wait for the writer).
    let calls = 0;
    while (!done) {
      const answers = await Promise.all([
        call(mcp, "search", { query: "login" }),
        call(mcp, "get_issue", { iid: 1 }),
        call(mcp, "list_issues", {}),
      ]);
      for (const answer of answers) expect(answer.isError, answer.text).toBe(false);
      calls += answers.length;
    }
    expect(calls).toBeGreaterThanOrEqual(6);
    expect((await sync).code).toBe(0);
    const after = await call(mcp, "list_issues", { max_results: 100 });
    expect(after.json.issues).toHaveLength(33);
  });

  it("stops cleanly when stdin closes and on SIGTERM", async () => {
    const closing = spawnLore(["mcp"], { env: env() });
    const closed = new Promise<number | null>((resolve) => closing.on("exit", (code) => resolve(code)));
    closing.stdin?.end();
    expect(await closed).toBe(0);

    const terminated = spawnLore(["mcp"], { env: env() });
    let stderr = "";
    terminated.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => terminated.on("exit", (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      const ready = () => (stderr.includes("serving") ? resolve() : setTimeout(ready, 20));
      ready();
    });
    terminated.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
