import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collect, makeTempHome, runLore, spawnLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, startFakeGitLab } from "../support/fake-gitlab.js";
import {
  configureLore,
  dumpMirror,
  editConfig,
  query,
  type Seeded,
  seedProject,
} from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;
let seeded: Seeded;

beforeEach(async () => {
  gl = await startFakeGitLab({ token: "glpat-surgical" });
  seeded = seedProject(gl, { issues: 5, mrs: 3 });
  home = makeTempHome();
  await configureLore(home, gl);
});
afterEach(async () => {
  await gl.close();
  home.cleanup();
});

const env = () => ({ ...home.env, GITLAB_TOKEN: "glpat-surgical" });
const lore = (...args: string[]) => runLore(["--robot", ...args], { env: env() });
const isListRoute = (route: string) => /\/(issues|merge_requests)$/.test(route);

describe("surgical sync", () => {
  it("refreshes issues and MRs with their dependents, listing only by iids[]", async () => {
    const result = await lore("sync", "-p", "group/proj", "--issue", "2", "--issue", "4", "--mr", "1");
    expect(result.code, result.stderr).toBe(0);
    const data = result.json().data;
    expect(data).toMatchObject({
      mode: "surgical",
      project: "group/proj",
      status: "succeeded",
      requested: { issues: [2, 4], mrs: [1] },
      counters: {
        issues_fetched: 2,
        mrs_fetched: 1,
        issues_ingested: 2,
        mrs_ingested: 1,
        skipped_stale: 0,
        discussions_fetched: 5,
        notes_upserted: 7,
        events_fetched: 3,
      },
    });
    expect(data.entities).toEqual([
      expect.objectContaining({ entity_type: "issue", iid: 2, status: "ingested" }),
      expect.objectContaining({ entity_type: "issue", iid: 4, status: "ingested" }),
      expect.objectContaining({ entity_type: "merge_request", iid: 1, status: "ingested" }),
    ]);
    expect(data.stages.map((s: { name: string }) => s.name)).toEqual([
      "preflight",
      "fetch",
      "ingest",
      "docs",
    ]);
    expect(data.counters.docs_regenerated).toBe(6);
    expect(query(home.dbPath, "SELECT source_type, iid FROM documents ORDER BY source_type, iid")).toEqual([
      { source_type: "discussion", iid: 1 },
      { source_type: "discussion", iid: 2 },
      { source_type: "discussion", iid: 4 },
      { source_type: "issue", iid: 2 },
      { source_type: "issue", iid: 4 },
      { source_type: "merge_request", iid: 1 },
    ]);
    expect(query(home.dbPath, "SELECT iid FROM issues ORDER BY iid")).toEqual([{ iid: 2 }, { iid: 4 }]);
    expect(query(home.dbPath, "SELECT iid FROM merge_requests")).toEqual([{ iid: 1 }]);
    expect(query(home.dbPath, "SELECT COUNT(*) AS n FROM merge_request_files")).toEqual([{ n: 2 }]);
    // No unfiltered list: every issues/MRs list request is restricted to the requested iids.
    const lists = gl.requests.filter((r) => isListRoute(r.route));
    expect(lists.map((r) => [r.route, r.query.getAll("iids[]")])).toEqual(
      expect.arrayContaining([
        ["/projects/group%2Fproj/issues", ["2", "4"]],
        ["/projects/group%2Fproj/merge_requests", ["1"]],
      ]),
    );
    expect(lists).toHaveLength(2);
    expect(gl.requests.some((r) => /\/issues\/\d+$/.test(r.route))).toBe(false);
    // Cursors are never moved by surgical sync.
    expect(query(home.dbPath, "SELECT COUNT(*) AS n FROM sync_cursors")).toEqual([{ n: 0 }]);
    const [run] = query<Record<string, unknown>>(home.dbPath, "SELECT * FROM sync_runs");
    expect(run).toMatchObject({
      mode: "surgical",
      status: "succeeded",
      phase: "done",
      surgical_iids_json: JSON.stringify({ issues: [2, 4], mrs: [1] }),
      issues_fetched: 2,
      mrs_fetched: 1,
      issues_ingested: 2,
      mrs_ingested: 1,
      skipped_stale: 0,
      discussions_fetched: 5,
      notes_upserted: 7,
      events_fetched: 3,
      cancelled_at: null,
    });
    const status = await lore("status");
    expect(status.json().data.runs[0]).toMatchObject({
      mode: "surgical",
      requested: { issues: [2, 4], mrs: [1] },
      status: "succeeded",
    });
  });

  it("accepts duplicates, references and web URLs, and validates in one round trip once the project is known", async () => {
    expect((await lore("sync", "--issue", "1")).code).toBe(0);
    gl.clearRequests();
    const url = `${gl.url}/group/proj/-/issues/3#note_1`;
    const mrUrl = `${gl.url}/group/proj/-/merge_requests/2/diffs`;
    const result = await lore(
      "sync",
      "--issue",
      "3",
      "--issue",
      url,
      "--issue",
      "#3",
      "--issue",
      "group/proj#3",
      "--mr",
      mrUrl,
      "--mr",
      "2",
      "--mr",
      "group/proj!2",
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data.requested).toEqual({ issues: [3], mrs: [2] });
    const preflight = gl.requests.filter((r) => isListRoute(r.route) || r.route === "/projects/group%2Fproj");
    expect(preflight.map((r) => r.route)).toEqual(
      expect.arrayContaining(["/projects/1/issues", "/projects/1/merge_requests"]),
    );
    expect(preflight).toHaveLength(2);
  });

  it.each([
    [["--issue", "0"], "--issue 0"],
    [["--issue=-5"], "--issue -5"],
    [["--mr", "abc"], "--mr abc"],
    [["--issue", "https://gitlab.other/else/proj/-/issues/1"], "not an issue or merge request URL"],
    [Array.from({ length: 101 }, (_, i) => ["--issue", String(i + 1)]).flat(), "at most 100"],
  ])("rejects %j with USAGE before any request or write", async (args, fragment) => {
    const result = await lore("sync", ...args);
    expect(result.code).toBe(2);
    expect(result.json().error).toMatchObject({ code: "USAGE" });
    expect(result.json().error.message).toContain(fragment);
    expect(gl.requests).toHaveLength(0);
    expect(() => query(home.dbPath, "SELECT 1")).toThrow();
  });

  it("rejects a URL of another configured project and a missing -p with several projects", async () => {
    gl.addProject({ path: "team/api" });
    await configureLore(home, gl, ["group/proj", "team/api"]);
    const missing = await lore("sync", "--issue", "1");
    expect(missing.code).toBe(2);
    expect(missing.json().error.message).toContain("-p is required");
    const other = await lore("sync", "-p", "group/proj", "--issue", `${gl.url}/team/api/-/issues/1`);
    expect(other.code).toBe(2);
    expect(other.json().error.message).toContain("team/api");
    expect(gl.requests).toHaveLength(0);
  });

  it("fails preflight naming every missing IID, leaving the database untouched but for the run record", async () => {
    expect((await lore("sync")).code).toBe(0);
    const before = dumpMirror(home.dbPath);
    gl.updateIssue(seeded.project, 1, { title: "Changed remotely" });
    const result = await lore("sync", "--issue", "1", "--issue", "98", "--mr", "99", "--issue", "97");
    expect(result.code).toBe(6);
    const error = result.json().error;
    expect(error.code).toBe("SURGICAL_PREFLIGHT_FAILED");
    expect(error.exit_code).toBe(6);
    expect(error.details.failures).toEqual([
      { entity_type: "issue", iid: 98, project: "group/proj", reason: expect.any(String) },
      { entity_type: "issue", iid: 97, project: "group/proj", reason: expect.any(String) },
      { entity_type: "merge_request", iid: 99, project: "group/proj", reason: expect.any(String) },
    ]);
    expect(dumpMirror(home.dbPath)).toEqual(before);
    expect(query(home.dbPath, "SELECT mode, status, phase FROM sync_runs ORDER BY id DESC LIMIT 1")).toEqual([
      { mode: "surgical", status: "failed", phase: "preflight" },
    ]);
    const human = await runLore(["sync", "--issue", "98"], { env: env() });
    expect(human.code).toBe(6);
    expect(human.stderr).toContain("#98");
  });

  it("keeps 401 and network failures during preflight under their own codes", async () => {
    const auth = await runLore(["--robot", "sync", "--issue", "1"], {
      env: { ...home.env, GITLAB_TOKEN: "nope" },
    });
    expect(auth.code).toBe(4);
    expect(auth.json().error.code).toBe("GITLAB_AUTH");
    gl.fault({ path: /\/issues$/, kind: "reset" });
    const config = JSON.parse((await import("node:fs")).readFileSync(home.configPath, "utf8"));
    (await import("node:fs")).writeFileSync(
      home.configPath,
      JSON.stringify({ ...config, gitlab: { ...config.gitlab, maxRetries: 0 } }),
    );
    const network = await lore("sync", "--issue", "1");
    expect(network.code).toBe(5);
    expect(network.json().error.code).toBe("GITLAB_NETWORK");
    expect(query(home.dbPath, "SELECT COUNT(*) AS n FROM issues")).toEqual([{ n: 0 }]);
  });

  it("skips an entity whose local copy is newer, with a warning", async () => {
    expect((await lore("sync", "--issue", "2")).code).toBe(0);
    const db = new Database(home.dbPath);
    db.prepare(
      "UPDATE issues SET title = 'Local newer', updated_at = '2099-01-01T00:00:00.000Z' WHERE iid = 2",
    ).run();
    db.close();
    const result = await lore("sync", "--issue", "2", "--issue", "3");
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data.counters.skipped_stale).toBe(1);
    expect(data.entities[0]).toMatchObject({
      iid: 2,
      status: "skipped_stale",
      local_updated_at: "2099-01-01T00:00:00.000Z",
    });
    expect(data.warnings).toHaveLength(1);
    expect(data.warnings[0]).toContain("#2");
    expect(query(home.dbPath, "SELECT title FROM issues WHERE iid = 2")).toEqual([{ title: "Local newer" }]);
  });

  it("marks a run failed once its process died without finishing it", async () => {
    expect((await lore("sync", "--issue", "1")).code).toBe(0);
    // The fake GitLab never answers issue 2's discussions: the run stays in its fetch stage.
    gl.fault({ path: "/projects/1/issues/2/discussions", kind: "hang" });
    const child = spawnLore(["--robot", "sync", "--issue", "2"], { env: env() });
    const done = collect(child);
    const latestRun = "SELECT id, status, phase FROM sync_runs ORDER BY id DESC LIMIT 1";
    while (query<{ phase: string }>(home.dbPath, latestRun)[0]?.phase !== "fetch") {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [held] = query<{ id: number }>(home.dbPath, latestRun);
    child.kill("SIGKILL"); // no cleanup runs: the record still says running
    await done;
    expect(query(home.dbPath, latestRun)).toEqual([{ id: held?.id, status: "running", phase: "fetch" }]);
    const status = await lore("status");
    expect(status.code).toBe(0);
    expect(status.json().data.runs[0]).toMatchObject({
      run_id: held?.id,
      status: "failed",
      phase: "fetch",
      error: expect.stringContaining("ended without finishing"),
    });
  });

  it("gives DATABASE (exit 8), not INTERNAL, when another process holds the write lock too long", async () => {
    expect((await lore("sync", "--issue", "1")).code).toBe(0);
    const holder = new Database(home.dbPath);
    holder.exec("BEGIN IMMEDIATE");
    try {
      const result = await lore("sync", "--issue", "1");
      expect(result.code, result.stdout).toBe(8);
      expect(result.json().error).toMatchObject({
        code: "DATABASE",
        message: expect.stringContaining("locked by another process"),
        details: { sqlite_code: expect.stringMatching(/^SQLITE_BUSY/) },
      });
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect((await lore("sync", "--issue", "1")).code).toBe(0);
  }, 30_000);

  it("reports an entity unchanged on GitLab as ingested, with changed false", async () => {
    const first = await lore("sync", "--issue", "1");
    expect(first.json().data.entities[0]).toMatchObject({ status: "ingested", changed: true });
    const again = await lore("sync", "--issue", "1");
    expect(again.code, again.stderr).toBe(0);
    expect(again.json().data.entities[0]).toMatchObject({ status: "ingested", changed: false });
    expect(again.json().data.counters).toMatchObject({ issues_ingested: 1, discussions_fetched: 2 });
    const human = await runLore(["sync", "--issue", "1"], { env: env() });
    expect(human.stdout).toMatch(/#1\s+ingested \(unchanged\)/);
    expect(human.stdout).toContain("1 entity was unchanged; threads, events and links were refreshed");
  });

  it("replaces dependents: a note deleted remotely disappears locally", async () => {
    expect((await lore("sync", "--issue", "1")).code).toBe(0);
    const notes = query<{ id: number }>(home.dbPath, "SELECT id FROM notes ORDER BY id");
    gl.deleteNote(seeded.issues[0]!, notes[0]!.id);
    gl.editNote(seeded.issues[0]!, notes[1]!.id, { body: "edited" });
    const result = await lore("sync", "--issue", "1");
    expect(result.code).toBe(0);
    expect(query(home.dbPath, "SELECT id FROM notes WHERE id = ?", notes[0]!.id)).toEqual([]);
    expect(query(home.dbPath, "SELECT body FROM notes WHERE id = ?", notes[1]!.id)).toEqual([
      { body: "edited" },
    ]);
  });

  it("--dry-run validates and reports, writing nothing but the run record", async () => {
    const result = await lore("sync", "--issue", "1", "--mr", "2", "--dry-run");
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data).toMatchObject({ dry_run: true, status: "succeeded" });
    expect(data.entities.map((e: { status: string }) => e.status)).toEqual(["found", "found"]);
    expect(data.stages.map((s: { name: string }) => s.name)).toEqual(["preflight"]);
    const mirror = dumpMirror(home.dbPath);
    expect(Object.values(mirror).every((rows) => rows.length === 0)).toBe(true);
    expect(query(home.dbPath, "SELECT mode, status FROM sync_runs")).toEqual([
      { mode: "surgical", status: "succeeded" },
    ]);
    expect(gl.requests.some((r) => r.route.includes("/discussions"))).toBe(false);
  });

  it("fans out to gitlab.surgicalConcurrency while incremental sync keeps gitlab.concurrency", async () => {
    editConfig(home, "gitlab", { concurrency: 2, surgicalConcurrency: 5 });
    gl.latencyMs = 25;
    expect((await lore("sync")).code).toBe(0);
    expect(gl.maxInFlight).toBe(2);
    gl.clearRequests();
    const result = await lore("sync", "--issue", "1", "--issue", "2", "--issue", "3", "--mr", "1");
    expect(result.code, result.stderr).toBe(0);
    expect(gl.requests.length).toBeGreaterThan(10);
    expect(gl.maxInFlight).toBe(5);
  });

  /** Starts `lore sync` (incremental) and holds its request to `route` until `release()`. */
  async function incrementalHeldAt(route: string, onHold: () => void = () => {}) {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = false;
    gl.onRequest(async (r) => {
      if (r.route === route && !held) {
        held = true;
        onHold();
        await released;
      }
    });
    const done = collect(spawnLore(["--robot", "sync"], { env: env() }));
    while (!held) await new Promise((r) => setTimeout(r, 20));
    return { release, done };
  }

  it("runs beside a slow incremental sync without the lock, and nothing regresses", async () => {
    // The incremental sync's fetch of issue 2's discussions waits until the surgical sync is done.
    const incremental = await incrementalHeldAt("/projects/1/issues/2/discussions", () =>
      gl.updateIssue(seeded.project, 2, { title: "Newer title from surgical" }),
    );
    const surgical = await lore("sync", "--issue", "2");
    expect(surgical.code, surgical.stderr).toBe(0);
    expect(surgical.json().data.entities[0]).toMatchObject({ iid: 2, status: "ingested" });
    incremental.release();
    const result = await incremental.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data.projects[0].skipped_stale).toBe(1);
    expect(query(home.dbPath, "SELECT title FROM issues WHERE iid = 2")).toEqual([
      { title: "Newer title from surgical" },
    ]);
    expect(query(home.dbPath, "SELECT COUNT(*) AS n FROM issues")).toEqual([{ n: 5 }]);
  });

  it("keeps a surgical sync's later snapshot when an incremental sync fetched the same updated_at earlier", async () => {
    expect((await lore("sync")).code).toBe(0);
    gl.updateIssue(seeded.project, 2, { title: "Edited before the incremental sync" });
    const [{ id: doomed }] = query<{ id: number }>(
      home.dbPath,
      "SELECT n.id FROM notes n JOIN discussions d ON d.id = n.discussion_id JOIN issues i ON i.id = d.issue_id WHERE i.iid = 2 AND n.system = 0 ORDER BY n.id DESC LIMIT 1",
    ) as [{ id: number }];
    // The incremental sync gets issue 2's discussions (note included) but waits on its milestone
    // events; meanwhile the note is deleted on GitLab, which does not move the issue's updated_at.
    const discussions = "/projects/1/issues/2/discussions";
    const incremental = await incrementalHeldAt("/projects/1/issues/2/resource_milestone_events");
    while (!gl.requests.some((r) => r.route === discussions)) await new Promise((r) => setTimeout(r, 20));
    gl.deleteNote(seeded.issues[1]!, doomed);
    const surgical = await lore("sync", "--issue", "2");
    expect(surgical.code, surgical.stderr).toBe(0);
    expect(query(home.dbPath, "SELECT COUNT(*) AS n FROM notes WHERE id = ?", doomed)).toEqual([{ n: 0 }]);
    incremental.release();
    const result = await incremental.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data.projects[0].skipped_stale).toBe(1);
    // The incremental sync's earlier snapshot did not bring the deleted note back.
    expect(query(home.dbPath, "SELECT COUNT(*) AS n FROM notes WHERE id = ?", doomed)).toEqual([{ n: 0 }]);
    expect(query(home.dbPath, "SELECT title FROM issues WHERE iid = 2")).toEqual([
      { title: "Edited before the incremental sync" },
    ]);
  });

  // Through the binary, with a real mechanism: the fake GitLab holds the requests of the stage, and
  // the test sends SIGINT once the run records that phase. The stages that do no network I/O
  // (ingest, docs) are cancelled in-process, in sync-in-process.test.ts.
  it.each([
    ["preflight", /\/issues$/],
    ["fetch", /\/issues\/\d+\/discussions$/],
  ] as const)("stops cleanly when SIGINT arrives during %s", async (stage, slowRoute) => {
    expect((await lore("sync", "--issue", "1")).code).toBe(0);
    gl.updateIssue(seeded.project, 1, { title: "Edited after the first surgical sync" });
    const before = dumpMirror(home.dbPath);
    const removeHook = gl.onRequest(async (r) => {
      if (slowRoute.test(r.route)) await new Promise((resolve) => setTimeout(resolve, 3_000));
    });
    const child = spawnLore(["--robot", "sync", "--issue", "1", "--issue", "2"], { env: env() });
    const done = collect(child);
    const latestRun = "SELECT status, phase FROM sync_runs ORDER BY id DESC LIMIT 1";
    for (;;) {
      const [run] = query<{ status: string; phase: string }>(home.dbPath, latestRun);
      if (run?.status === "running" && run.phase === stage) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill("SIGINT");
    const result = await done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.json().error).toMatchObject({ code: "CANCELLED", details: { phase: stage } });
    const [run] = query<{ status: string; phase: string; cancelled_at: string | null }>(
      home.dbPath,
      "SELECT status, phase, cancelled_at FROM sync_runs ORDER BY id DESC LIMIT 1",
    );
    expect(run).toMatchObject({ status: "cancelled", phase: stage });
    expect(run?.cancelled_at).toEqual(expect.any(String));
    // Nothing is written before ingest.
    expect(dumpMirror(home.dbPath)).toEqual(before);
    removeHook();
    const rerun = await lore("sync", "--issue", "1", "--issue", "2");
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(query(home.dbPath, "SELECT COUNT(*) AS n FROM dirty_sources")).toEqual([{ n: 0 }]);
    expect(
      query(home.dbPath, "SELECT title FROM documents WHERE source_type = 'issue' ORDER BY iid"),
    ).toEqual([{ title: "Edited after the first surgical sync" }, { title: expect.any(String) }]);
  });
});

describe("surgical sync without a token", () => {
  it("warns that it runs anonymously, in the output and in the run record", async () => {
    const open = await startFakeGitLab();
    seedProject(open, { issues: 2, mrs: 0 });
    const anonymousHome = makeTempHome();
    try {
      await configureLore(anonymousHome, open);
      const robot = await runLore(["--robot", "sync", "--issue", "1"], { env: anonymousHome.env });
      expect(robot.code, robot.stderr).toBe(0);
      expect(robot.json().data.warnings.join(" ")).toContain("anonymously");
      expect(open.requests.every((r) => r.headers["private-token"] === undefined)).toBe(true);
      const human = await runLore(["sync", "--issue", "2"], { env: anonymousHome.env });
      expect(human.code, human.stderr).toBe(0);
      expect(human.stderr).toContain("$GITLAB_TOKEN is not set");
      const status = await runLore(["--robot", "status"], { env: anonymousHome.env });
      expect(status.json().data.runs[0].warnings.join(" ")).toContain("anonymously");
    } finally {
      anonymousHome.cleanup();
      await open.close();
    }
  });
});
