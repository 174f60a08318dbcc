import Database from "better-sqlite3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, type Json, startFakeGitLab } from "../support/fake-gitlab.js";
import { ISSUE_ROW_KEYS } from "../support/pinned-rows.js";
import { configureLore, query } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;
let project: Json;
const env = () => home.env;
const lore = (...args: string[]) => runLore(["--robot", ...args], { env: env() });

beforeAll(async () => {
  gl = await startFakeGitLab({ startTime: "2024-01-01T00:00:00.000Z" });
  project = gl.addProject({ path: "group/proj" });
  const other = gl.addProject({ path: "team/api" });
  const alice = gl.user("alice");
  const bob = gl.user("bob");
  const login = gl.addIssue(project, {
    title: "Login times out behind the proxy",
    description: "The SSO login page hangs after 30 seconds.",
    labels: ["bug", "auth"],
    author: alice,
  });
  gl.addDiscussion(login, [{ body: "Seen on staging too: the proxy drops the websocket", author: bob }]);
  gl.addDiscussion(login, [{ body: "changed the milestone", system: true }], { individual: true });
  const docs = gl.addIssue(project, {
    title: "Document the rate limit",
    description: "Explain Retry-After.",
    labels: ["docs"],
    author: bob,
  });
  gl.updateIssue(project, docs.iid as number, { state: "closed" });
  gl.addIssue(project, {
    title: "Flaky test in CI",
    description: "Sometimes the login spec fails.",
    labels: ["bug"],
    author: bob,
  });
  const mr = gl.addMergeRequest(project, {
    title: "Raise the proxy timeout",
    description: "Fixes the login timeout.",
    labels: ["bug", "auth"],
    author: bob,
  });
  gl.setDiffs(mr, [
    {
      old_path: "config/proxy.yml",
      new_path: "config/proxy.yml",
      new_file: false,
      renamed_file: false,
      deleted_file: false,
    },
  ]);
  gl.setCloses(mr, [login]);
  gl.addDiscussion(mr, [
    {
      body: "Is 60 s enough?",
      author: alice,
      type: "DiffNote",
      position: {
        new_path: "config/proxy.yml",
        old_path: "config/proxy.yml",
        new_line: 3,
        old_line: null,
        position_type: "text",
      },
    },
    { body: "Yes, measured.", author: bob },
  ]);
  gl.addIssue(other, {
    title: "Login button misaligned",
    description: "CSS",
    labels: ["bug"],
    author: alice,
  });
  gl.tick(86_400_000 * 30);
  home = makeTempHome();
  await configureLore(home, gl, ["group/proj", "team/api"]);
  const sync = await runLore(["--robot", "sync"], { env: env() });
  if (sync.code !== 0) throw new Error(sync.stderr + sync.stdout);
});
afterAll(async () => {
  await gl.close();
  home.cleanup();
});

const resultKeys = (r: { data: { results: { source_type: string; iid: number; project: string }[] } }) =>
  r.data.results.map((x) => `${x.project}:${x.source_type}:${x.iid}`).sort();

describe("documents", () => {
  it("exist for issues, MRs and human threads, not for system-only threads", () => {
    const docs = query<{ source_type: string; iid: number; content: string }>(
      home.dbPath,
      "SELECT source_type, iid, content FROM documents ORDER BY id",
    );
    expect(docs.filter((d) => d.source_type === "issue")).toHaveLength(4);
    expect(docs.filter((d) => d.source_type === "merge_request")).toHaveLength(1);
    expect(docs.filter((d) => d.source_type === "discussion")).toHaveLength(2);
    const mrDoc = docs.find((d) => d.source_type === "merge_request")?.content ?? "";
    expect(mrDoc).toContain("Changed files (1):\n- config/proxy.yml");
    const thread =
      docs.find((d) => d.source_type === "discussion" && d.content.includes("Is 60 s enough?"))?.content ??
      "";
    expect(thread).toContain("Discussion on merge request group/proj!1: Raise the proxy timeout");
    expect(thread).toContain("on config/proxy.yml line 3");
    expect(query(home.dbPath, "SELECT COUNT(*) AS n FROM dirty_sources")).toEqual([{ n: 0 }]);
  });

  it("are not rewritten when their content hash is unchanged", async () => {
    const before = query(home.dbPath, "SELECT id, generated_at FROM documents ORDER BY id");
    const db = new Database(home.dbPath);
    db.exec(
      "INSERT OR IGNORE INTO dirty_sources (source_type, source_id, queued_at) SELECT source_type, source_id, 'x' FROM documents",
    );
    db.close();
    const sync = await lore("sync");
    expect(sync.json().data.docs_regenerated).toBe(0);
    expect(query(home.dbPath, "SELECT id, generated_at FROM documents ORDER BY id")).toEqual(before);
  });
});

describe("lore search", () => {
  it("ranks matches and returns the contract's fields", async () => {
    const result = await lore("search", "proxy timeout");
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data).toMatchObject({ query: "proxy timeout", mode: "lexical" });
    expect(Object.keys(data.results[0]).sort()).toEqual(
      [
        "document_id",
        "iid",
        "project",
        "score",
        "snippet",
        "source_type",
        "state",
        "title",
        "updated_at",
        "web_url",
        "synced_at",
        "age_seconds",
      ].sort(),
    );
    expect(data.results[0]).toMatchObject({
      source_type: "merge_request",
      iid: 1,
      title: "Raise the proxy timeout",
    });
    expect(data.results[0].snippet).not.toMatch(/[\u0001\u0002\u001b]/);
    const scores = data.results.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("gives a discussion result its parent's project, iid, title and state", async () => {
    const result = await lore("search", "websocket", "--type", "discussion");
    expect(result.json().data.results).toEqual([
      expect.objectContaining({
        source_type: "discussion",
        project: "group/proj",
        iid: 1,
        title: "Login times out behind the proxy",
        state: "opened",
        web_url: expect.stringMatching(/\/issues\/1#note_\d+$/),
      }),
    ]);
  });

  it("narrows results with each filter", async () => {
    const all = resultKeys((await lore("search", "login", "-n", "50")).json());
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(resultKeys((await lore("search", "login", "-p", "api")).json())).toEqual(["team/api:issue:1"]);
    expect(resultKeys((await lore("search", "login", "--type", "mr")).json())).toEqual([
      "group/proj:merge_request:1",
    ]);
    expect(resultKeys((await lore("search", "login", "--type", "discussion")).json())).toEqual([
      "group/proj:discussion:1",
    ]);
    expect(resultKeys((await lore("search", "rate", "--state", "closed")).json())).toEqual([
      "group/proj:issue:2",
    ]);
    expect(resultKeys((await lore("search", "rate", "--state", "opened")).json())).toEqual([]);
    expect(resultKeys((await lore("search", "login", "--label", "bug", "--label", "auth")).json())).toEqual([
      "group/proj:discussion:1",
      "group/proj:issue:1",
      "group/proj:merge_request:1",
    ]);
    expect(resultKeys((await lore("search", "login", "--label", "bug", "--type", "issue")).json())).toEqual([
      "group/proj:issue:1",
      "group/proj:issue:3",
      "team/api:issue:1",
    ]);
    expect(
      resultKeys((await lore("search", "login", "--author", "alice", "--type", "issue")).json()),
    ).toEqual(["group/proj:issue:1", "team/api:issue:1"]);
    expect((await lore("search", "login", "--since", "1d")).json().data.results).toEqual([]);
    expect((await lore("search", "login", "--since", "2023-01-01")).json().data.results.length).toBe(
      all.length,
    );
    expect((await lore("search", "login", "-n", "2")).json().data.results).toHaveLength(2);
  });

  it("excludes, matches prefixes and phrases", async () => {
    expect(resultKeys((await lore("search", "login -proxy", "--type", "issue")).json())).toEqual([
      "group/proj:issue:3",
      "team/api:issue:1",
    ]);
    expect(resultKeys((await lore("search", "misalig*")).json())).toEqual(["team/api:issue:1"]);
    // After `--`, a leading dash is an exclusion, not a flag.
    expect(resultKeys((await lore("search", "--type", "issue", "--", "login", "-proxy")).json())).toEqual([
      "group/proj:issue:3",
      "team/api:issue:1",
    ]);
    expect(resultKeys((await lore("search", '"rate limit"')).json())).toEqual(["group/proj:issue:2"]);
  });

  it.each([
    ['"unbalanced'],
    ["OR ("],
    ["NEAR"],
    ["*"],
    ["🦊"],
    ["x".repeat(10_000)],
    ["a AND"],
    ["title:login"],
    ["-login"],
    ["(((("],
  ])("never crashes on %s", async (q) => {
    const result = await lore("search", q);
    expect([0, 2]).toContain(result.code);
    const body = result.json();
    if (result.code === 2) expect(body.error.code).toBe("USAGE");
    else expect(Array.isArray(body.data.results)).toBe(true);
  });

  it("highlights matches in human mode and prints URLs", async () => {
    const result = await runLore(["search", "websocket"], { env: { ...env(), NO_COLOR: "" } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("group/proj#1");
    expect(result.stdout).toContain(`${gl.url}/group/proj/-/issues/1#note_`);
    expect(result.stdout).not.toContain("\u0001");
  });
});

describe("lore issues and lore mrs", () => {
  it("lists with filters and the opened default", async () => {
    const list = (await lore("issues", "-p", "group/proj")).json().data.issues;
    expect(list.map((i: { iid: number }) => i.iid).sort()).toEqual([1, 3]);
    expect(list[0]).toMatchObject({ project: "group/proj", web_url: expect.stringContaining("/issues/") });
    expect(Object.keys(list[0]).sort()).toEqual(ISSUE_ROW_KEYS);
    const closed = (await lore("issues", "--state", "closed")).json().data.issues;
    expect(closed.map((i: { iid: number }) => i.iid)).toEqual([2]);
    const labelled = (await lore("issues", "--state", "all", "--label", "bug", "--label", "auth")).json().data
      .issues;
    expect(labelled.map((i: { iid: number; project: string }) => `${i.project}#${i.iid}`)).toEqual([
      "group/proj#1",
    ]);
    expect(
      (await lore("issues", "--author", "bob", "-p", "proj"))
        .json()
        .data.issues.map((i: { iid: number }) => i.iid),
    ).toEqual([3]);
    expect((await lore("mrs")).json().data.mrs.map((m: { iid: number }) => m.iid)).toEqual([1]);
  });

  it("shows everything stored about an issue in both modes", async () => {
    const ambiguous = await lore("issues", "1");
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.json().error.message).toContain("several projects");
    const robot = await lore("issues", "1", "-p", "group/proj");
    expect(robot.code).toBe(0);
    const issue = robot.json().data.issue;
    expect(issue).toMatchObject({
      iid: 1,
      title: "Login times out behind the proxy",
      description: "The SSO login page hangs after 30 seconds.",
      author: "alice",
      labels: ["auth", "bug"],
      state: "opened",
    });
    expect(issue.discussions).toHaveLength(2);
    expect(issue.discussions[0].notes[0]).toEqual(
      expect.objectContaining({
        author: "bob",
        body: "Seen on staging too: the proxy drops the websocket",
        system: false,
        position: null,
      }),
    );
    expect(issue.discussions[1].notes[0]).toMatchObject({ system: true, body: "changed the milestone" });
    expect(issue.closed_by).toEqual([]);
    const human = await runLore(["issues", "1", "-p", "group/proj"], { env: env() });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("group/proj#1 Login times out behind the proxy");
    expect(human.stdout).toContain("Seen on staging too");
    expect(human.stdout).toContain("changed the milestone");
  });

  it("shows an MR with closes-issues, changed files and DiffNote positions", async () => {
    const mr = (await lore("mrs", "1", "-p", "group/proj")).json().data.mr;
    expect(mr.closes_issues).toEqual([
      {
        iid: 1,
        title: "Login times out behind the proxy",
        state: "opened",
        web_url: `${gl.url}/group/proj/-/issues/1`,
        project: "group/proj",
      },
    ]);
    expect(mr.changed_files).toEqual([
      {
        old_path: "config/proxy.yml",
        new_path: "config/proxy.yml",
        new_file: false,
        renamed_file: false,
        deleted_file: false,
      },
    ]);
    expect(mr.discussions[0].notes[0].position).toMatchObject({ new_path: "config/proxy.yml", new_line: 3 });
    expect(mr.discussions[0].notes[0].type).toBe("DiffNote");
    const human = await runLore(["mrs", "1", "-p", "group/proj"], { env: env() });
    expect(human.stdout).toContain("config/proxy.yml:3");
    expect(human.stdout).toContain("Closes");
  });

  it("suggests the surgical sync for an IID that is not stored", async () => {
    const result = await lore("issues", "77", "-p", "group/proj");
    expect(result.code).toBe(6);
    expect(result.json().error).toMatchObject({
      code: "NOT_IN_MIRROR",
      exit_code: 6,
      actions: ["lore sync -p group/proj --issue 77", "lore issues 77 -p group/proj --max-age 0"],
    });
    const human = await runLore(["issues", "77", "-p", "group/proj"], { env: env() });
    expect(human.stderr).toContain("[NOT_IN_MIRROR]");
    expect(human.stderr).toContain("hint: lore sync -p group/proj --issue 77");
  });
});

describe("scoped regeneration in surgical sync", () => {
  beforeEach(() => {
    const db = new Database(home.dbPath);
    db.exec("DELETE FROM dirty_sources");
    db.close();
  });

  it("regenerates only the affected documents and leaves other dirty entries queued", async () => {
    const db = new Database(home.dbPath);
    const other = db.prepare("SELECT id FROM issues WHERE iid = 3 AND project_id = ?").get(project.id) as {
      id: number;
    };
    db.prepare("INSERT INTO dirty_sources (source_type, source_id, queued_at) VALUES ('issue', ?, 'x')").run(
      String(other.id),
    );
    db.close();
    const before = query<{ source_id: string; generated_at: string }>(
      home.dbPath,
      "SELECT source_id, generated_at FROM documents WHERE source_type = 'issue'",
    );
    gl.updateIssue(project, 1, { title: "Login times out behind the corporate proxy" });
    const result = await lore("sync", "-p", "group/proj", "--issue", "1");
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data.counters.docs_regenerated).toBeGreaterThanOrEqual(1);
    expect(result.json().data.stages.map((s: { name: string }) => s.name)).toContain("docs");
    expect(query(home.dbPath, "SELECT source_type, source_id FROM dirty_sources")).toEqual([
      { source_type: "issue", source_id: String(other.id) },
    ]);
    const after = query<{ source_id: string; generated_at: string }>(
      home.dbPath,
      "SELECT source_id, generated_at FROM documents WHERE source_type = 'issue'",
    );
    const changed = after.filter(
      (a) => before.find((b) => b.source_id === a.source_id)?.generated_at !== a.generated_at,
    );
    expect(changed).toHaveLength(1);
    expect(
      (await lore("search", "corporate")).json().data.results.map((r: { iid: number }) => r.iid),
    ).toContain(1);
  });
});
