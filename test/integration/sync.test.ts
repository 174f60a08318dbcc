import { readFileSync, writeFileSync } from "node:fs";
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
  gl = await startFakeGitLab({ token: "glpat-test-token" });
  seeded = seedProject(gl, { issues: 4, mrs: 2, notesPerThread: 3 });
  home = makeTempHome();
  await configureLore(home, gl);
});
afterEach(async () => {
  await gl.close();
  home.cleanup();
});

const env = () => ({ ...home.env, GITLAB_TOKEN: "glpat-test-token" });
const sync = (...args: string[]) => runLore(["--robot", "sync", ...args], { env: env() });
const routes = () => gl.requests.map((r) => r.route);

describe("lore sync", () => {
  it("stores every entity and dependent exactly as served", async () => {
    const result = await sync();
    expect(result.code, result.stderr).toBe(0);
    const data = result.json().data;
    expect(data).toMatchObject({ mode: "incremental", status: "succeeded" });
    expect(data.projects[0]).toMatchObject({
      project: "group/proj",
      issues_fetched: 4,
      mrs_fetched: 2,
      discussions_fetched: 10,
      notes_upserted: 4 * 4 + 2,
    });
    expect(result.stdout + result.stderr).not.toContain("glpat-test-token");

    const issues = query<{ iid: number; title: string; raw_json: string; author_username: string }>(
      home.dbPath,
      "SELECT iid, title, raw_json, author_username FROM issues ORDER BY iid",
    );
    expect(issues.map((i) => i.iid)).toEqual([1, 2, 3, 4]);
    expect(JSON.parse(issues[0]?.raw_json ?? "{}").title).toBe(seeded.issues[0]?.title);
    expect(issues[1]?.author_username).toBe("alice");
    expect(
      query(
        home.dbPath,
        "SELECT i.iid, l.name FROM issue_labels x JOIN issues i ON i.id = x.issue_id JOIN labels l ON l.id = x.label_id WHERE i.iid = 2 ORDER BY l.name",
      ),
    ).toEqual([
      { iid: 2, name: "auth" },
      { iid: 2, name: "bug" },
    ]);
    const notes = query<{ body: string; system: number; author_username: string }>(
      home.dbPath,
      "SELECT n.body, n.system, n.author_username FROM notes n JOIN discussions d ON d.id = n.discussion_id JOIN issues i ON i.id = d.issue_id WHERE i.iid = 1 ORDER BY d.position, n.position",
    );
    expect(notes).toEqual([
      { body: "Comment 1 on issue 1", system: 0, author_username: "bob" },
      { body: "Comment 2 on issue 1", system: 0, author_username: "alice" },
      { body: "Comment 3 on issue 1", system: 0, author_username: "bob" },
      { body: "changed the description", system: 1, author_username: "root" },
    ]);
    expect(
      query(
        home.dbPath,
        "SELECT kind, action, label_name FROM resource_events WHERE issue_id IS NOT NULL ORDER BY id",
      ).length,
    ).toBe(4);
    expect(
      query(
        home.dbPath,
        "SELECT new_path, new_file FROM merge_request_files ORDER BY merge_request_id, position",
      ),
    ).toEqual([
      { new_path: "src/login.ts", new_file: 0 },
      { new_path: "src/sso.ts", new_file: 1 },
      { new_path: "src/login.ts", new_file: 0 },
      { new_path: "src/sso.ts", new_file: 1 },
    ]);
    expect(
      query(home.dbPath, "SELECT iid, title FROM merge_request_closes_issues ORDER BY merge_request_id"),
    ).toEqual([
      { iid: 1, title: seeded.issues[0]?.title },
      { iid: 2, title: seeded.issues[1]?.title },
    ]);
    expect(
      query(home.dbPath, "SELECT kind, iid FROM issue_merge_request_links ORDER BY issue_id, kind"),
    ).toEqual([
      { kind: "closed_by", iid: 1 },
      { kind: "related", iid: 1 },
      { kind: "closed_by", iid: 2 },
      { kind: "related", iid: 2 },
    ]);
    // Every GitLab request carried the token header, never a query-string token.
    expect(gl.requests.every((r) => r.headers["private-token"] === "glpat-test-token")).toBe(true);
    expect(gl.requests.some((r) => r.query.has("private_token"))).toBe(false);

    const status = await runLore(["--robot", "status"], { env: env() });
    expect(status.json().data.projects[0]).toMatchObject({
      project: "group/proj",
      issues: 4,
      mrs: 2,
      discussions: 10,
      notes: 18,
    });
    expect(status.json().data.runs[0]).toMatchObject({
      mode: "incremental",
      status: "succeeded",
      phase: "done",
    });
  });

  it("asks for closed_by only for issues that have closing MRs", async () => {
    expect((await sync()).code).toBe(0);
    const closedBy = routes().filter((r) => r.endsWith("/closed_by"));
    // Issues 1 and 2 are closed by MRs (merge_requests_count 1); 3 and 4 have none.
    expect(closedBy.sort()).toEqual(["/projects/1/issues/1/closed_by", "/projects/1/issues/2/closed_by"]);
    expect(
      query(home.dbPath, "SELECT COUNT(*) AS n FROM issue_merge_request_links WHERE kind = 'closed_by'"),
    ).toEqual([{ n: 2 }]);
  });

  it("makes only list requests when nothing changed remotely", async () => {
    expect((await sync()).code).toBe(0);
    gl.clearRequests();
    const second = await sync();
    expect(second.code).toBe(0);
    expect(routes()).toEqual(["/projects/group%2Fproj", "/projects/1/issues", "/projects/1/merge_requests"]);
    expect(second.json().data.projects[0]).toMatchObject({ notes_upserted: 0, discussions_fetched: 0 });
  });

  it("picks up a changed issue and a new note, and only fetches their dependents", async () => {
    expect((await sync()).code).toBe(0);
    const issue = seeded.issues[2]!;
    gl.updateIssue(seeded.project, 3, { title: "Issue 3 retitled" });
    const thread = gl.addDiscussion(issue, ["A brand new comment"], { individual: true });
    gl.clearRequests();
    const result = await sync();
    expect(result.code).toBe(0);
    expect(query(home.dbPath, "SELECT title FROM issues WHERE iid = 3")).toEqual([
      { title: "Issue 3 retitled" },
    ]);
    expect(query(home.dbPath, "SELECT body FROM notes WHERE discussion_id = ?", thread.id)).toEqual([
      { body: "A brand new comment" },
    ]);
    const dependentRoutes = routes().filter(
      (r) => /issues\/\d+\//.test(r) || /merge_requests\/\d+\//.test(r),
    );
    expect(dependentRoutes.length).toBeGreaterThan(0);
    expect(dependentRoutes.every((r) => r.includes("/issues/3/"))).toBe(true);
  });

  it("reflects notes edited or deleted remotely", async () => {
    expect((await sync()).code).toBe(0);
    const issue = seeded.issues[0]!;
    const [first] = query<{ id: number }>(
      home.dbPath,
      "SELECT n.id FROM notes n JOIN discussions d ON d.id = n.discussion_id JOIN issues i ON i.id = d.issue_id WHERE i.iid = 1 ORDER BY n.id LIMIT 2",
    );
    const [, second] = query<{ id: number }>(
      home.dbPath,
      "SELECT n.id FROM notes n JOIN discussions d ON d.id = n.discussion_id JOIN issues i ON i.id = d.issue_id WHERE i.iid = 1 ORDER BY n.id LIMIT 2",
    );
    gl.editNote(issue, first!.id, { body: "Edited remotely" });
    gl.deleteNote(issue, second!.id);
    gl.updateIssue(seeded.project, 1, {});
    expect((await sync()).code).toBe(0);
    expect(query(home.dbPath, "SELECT body FROM notes WHERE id = ?", first!.id)).toEqual([
      { body: "Edited remotely" },
    ]);
    expect(query(home.dbPath, "SELECT id FROM notes WHERE id = ?", second!.id)).toEqual([]);
  });

  it("never overwrites a newer local row with an older copy", async () => {
    expect((await sync()).code).toBe(0);
    const db = new Database(home.dbPath);
    db.prepare(
      "UPDATE issues SET title = 'Newer local copy', updated_at = '2099-01-01T00:00:00.000Z', raw_json = '{}' WHERE iid = 2",
    ).run();
    db.close();
    gl.updateIssue(seeded.project, 2, { title: "Older remote copy" });
    const result = await sync();
    expect(result.code).toBe(0);
    expect(result.json().data.projects[0].skipped_stale).toBe(1);
    expect(query(home.dbPath, "SELECT title, updated_at FROM issues WHERE iid = 2")).toEqual([
      { title: "Newer local copy", updated_at: "2099-01-01T00:00:00.000Z" },
    ]);
  });

  it("--full removes an issue deleted remotely, with its dependents", async () => {
    expect((await sync()).code).toBe(0);
    const [issue4] = query<{ id: number }>(home.dbPath, "SELECT id FROM issues WHERE iid = 4");
    gl.deleteIssue(seeded.project, 4);
    expect((await sync()).code).toBe(0);
    expect(query(home.dbPath, "SELECT iid FROM issues WHERE iid = 4").length).toBe(1); // incremental cannot see deletions
    const full = await sync("--full");
    expect(full.code, full.stderr).toBe(0);
    expect(full.json().data).toMatchObject({ mode: "full" });
    expect(full.json().data.projects[0].issues_deleted).toBe(1);
    expect(query(home.dbPath, "SELECT iid FROM issues ORDER BY iid")).toEqual([
      { iid: 1 },
      { iid: 2 },
      { iid: 3 },
    ]);
    expect(
      query(home.dbPath, "SELECT COUNT(*) AS n FROM discussions WHERE issue_id = ?", issue4!.id),
    ).toEqual([{ n: 0 }]);
    expect(
      query(home.dbPath, "SELECT COUNT(*) AS n FROM resource_events WHERE issue_id = ?", issue4!.id),
    ).toEqual([{ n: 0 }]);
  });

  it("refuses a second concurrent sync with SYNC_LOCKED (exit 9)", async () => {
    gl.latencyMs = 150;
    const first = spawnLore(["sync"], { env: env() });
    const firstDone = collect(first);
    // Wait until the first sync holds the lock.
    for (let i = 0; i < 100; i++) {
      try {
        if (query(home.dbPath, "SELECT pid FROM sync_lock").length === 1) break;
      } catch {
        // the database may not exist yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const second = await sync();
    expect(second.code).toBe(9);
    expect(second.json().error.code).toBe("SYNC_LOCKED");
    gl.latencyMs = 0;
    expect((await firstDone).code).toBe(0);
    expect(query(home.dbPath, "SELECT COUNT(*) AS n FROM sync_lock")).toEqual([{ n: 0 }]);
  });

  it("stops cleanly on Ctrl-C and a rerun ends identical to an uninterrupted sync", async () => {
    for (let i = 0; i < 40; i++) {
      const issue = gl.addIssue(seeded.project, { title: `Extra issue ${i}`, labels: ["extra"] });
      gl.addDiscussion(issue, [`note ${i}`, `reply ${i}`]);
    }
    gl.latencyMs = 25;
    const child = spawnLore(["sync"], { env: env() });
    const done = collect(child);
    let interrupted = false;
    gl.onRequest((r) => {
      if (!interrupted && r.route.includes("/issues/20/")) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    const result = await done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain("CANCELLED");
    const [run] = query<{ status: string; phase: string; cancelled_at: string | null }>(
      home.dbPath,
      "SELECT status, phase, cancelled_at FROM sync_runs ORDER BY id DESC LIMIT 1",
    );
    expect(run).toMatchObject({ status: "cancelled", phase: "entities" });
    expect(run?.cancelled_at).not.toBeNull();
    const partial = query<{ n: number }>(home.dbPath, "SELECT COUNT(*) AS n FROM issues")[0]!.n;
    expect(partial).toBeLessThan(44);
    // Every stored issue is complete: its threads are there.
    expect(
      query(
        home.dbPath,
        "SELECT COUNT(*) AS n FROM issues i WHERE NOT EXISTS (SELECT 1 FROM discussions d WHERE d.issue_id = i.id)",
      ),
    ).toEqual([{ n: 0 }]);
    expect(query(home.dbPath, "SELECT COUNT(*) AS n FROM sync_lock")).toEqual([{ n: 0 }]);

    gl.latencyMs = 0;
    expect((await sync()).code).toBe(0);
    const reference = makeTempHome();
    try {
      await configureLore(reference, gl);
      expect(
        (await runLore(["sync"], { env: { ...reference.env, GITLAB_TOKEN: "glpat-test-token" } })).code,
      ).toBe(0);
      expect(dumpMirror(home.dbPath)).toEqual(dumpMirror(reference.dbPath));
    } finally {
      reference.cleanup();
    }
  });

  it("maps GitLab failures to their exit codes and records the failed run", async () => {
    const wrongToken = await runLore(["--robot", "sync"], { env: { ...home.env, GITLAB_TOKEN: "wrong" } });
    expect(wrongToken.code).toBe(4);
    expect(wrongToken.json().error.code).toBe("GITLAB_AUTH");
    expect(wrongToken.stdout).not.toContain('wrong"');
    expect(query(home.dbPath, "SELECT status, error FROM sync_runs ORDER BY id DESC LIMIT 1")).toEqual([
      { status: "failed", error: expect.stringContaining("GITLAB_AUTH") },
    ]);
    const config = JSON.parse(readFileSync(home.configPath, "utf8"));
    writeFileSync(
      home.configPath,
      JSON.stringify({ ...config, gitlab: { ...config.gitlab, maxRetries: 1 } }),
    );
    gl.fault({ path: "/projects/1/issues", status: 503, times: 100 });
    const down = await sync();
    expect(down.code).toBe(5);
    expect(down.json().error.code).toBe("GITLAB_NETWORK");
    gl.clearFaults();
    const badProject = await sync("-p", "nope/nope");
    expect(badProject.code).toBe(2);
    expect(badProject.json().error.message).toContain("nope/nope");
  });
});

describe("lore sync on odd GitLab payloads", () => {
  it("drops nulls inside arrays and skips one malformed issue with a warning naming it", async () => {
    gl.addIssue(seeded.project, { title: "Assigned to a deleted user", assignees: [null, gl.user("carol")] });
    const broken = gl.addIssue(seeded.project, { title: "placeholder" });
    broken.title = null; // GitLab's own schema says title is a string: this item is malformed
    const result = await sync();
    expect(result.code, result.stderr).toBe(0);
    const data = result.json().data;
    expect(data.warnings).toEqual([expect.stringContaining(`group/proj#${broken.iid}: skipped`)]);
    expect(data.projects[0].issues_fetched).toBe(5);
    expect(
      query(home.dbPath, "SELECT assignees_json FROM issues WHERE title = 'Assigned to a deleted user'"),
    ).toEqual([{ assignees_json: '["carol"]' }]);
    expect(query(home.dbPath, "SELECT COUNT(*) AS n FROM issues WHERE iid = ?", broken.iid)).toEqual([
      { n: 0 },
    ]);
    // Once GitLab serves it properly, the next sync stores it.
    gl.updateIssue(seeded.project, broken.iid as number, { title: "Fixed" });
    expect((await sync()).code).toBe(0);
    expect(query(home.dbPath, "SELECT title FROM issues WHERE iid = ?", broken.iid)).toEqual([
      { title: "Fixed" },
    ]);
  });

  it("names the project of linked MRs whose web URL lacks /-/ (older GitLab)", async () => {
    const mr = gl.addMergeRequest(seeded.project, { title: "Legacy link" });
    mr.web_url = `${gl.url}/group/proj/merge_requests/${mr.iid}`;
    gl.setRelated(seeded.issues[3]!, [mr]);
    gl.updateIssue(seeded.project, 4, {});
    expect((await sync()).code).toBe(0);
    const shown = await runLore(["--robot", "issues", "4"], { env: env() });
    expect(shown.json().data.issue.related_mrs).toEqual([
      expect.objectContaining({ iid: mr.iid, project: "group/proj", web_url: mr.web_url }),
    ]);
  });

  it("--full on an unchanged mirror fetches no dependents", async () => {
    expect((await sync()).code).toBe(0);
    gl.clearRequests();
    const full = await sync("--full");
    expect(full.code, full.stderr).toBe(0);
    expect(routes()).toEqual(["/projects/group%2Fproj", "/projects/1/issues", "/projects/1/merge_requests"]);
    expect(full.json().data.projects[0]).toMatchObject({
      issues_fetched: 4,
      mrs_fetched: 2,
      issues_deleted: 0,
    });
  });

  it("re-fetches the dependents of an entity changed within GitLab's 60 s touch window", async () => {
    // The fake clock runs at real time here: the issues were updated moments before the first sync,
    // so a note added since may not have moved updated_at (GitLab's ThrottledTouch).
    const live = await startFakeGitLab({ startTime: Date.now(), autoTickMs: 1 });
    const project = seedProject(live, { issues: 1, mrs: 0 });
    const liveHome = makeTempHome();
    try {
      await configureLore(liveHome, live);
      const run = () => runLore(["--robot", "sync"], { env: liveHome.env });
      expect((await run()).code).toBe(0);
      const issue = project.issues[0]!;
      const [note] = query<{ id: number }>(liveHome.dbPath, "SELECT id FROM notes WHERE system = 0 LIMIT 1");
      const edit = (body: string) => {
        const updatedAt = issue.updated_at;
        live.editNote(issue, note!.id, { body });
        issue.updated_at = updatedAt; // as GitLab does inside the throttle window
      };
      edit("Edited within the minute");
      live.clearRequests();
      expect((await run()).code).toBe(0);
      expect(live.requests.some((r) => r.route.endsWith("/issues/1/discussions"))).toBe(true);
      expect(query(liveHome.dbPath, "SELECT body FROM notes WHERE id = ?", note!.id)).toEqual([
        { body: "Edited within the minute" },
      ]);
      // Without an overlap window the same unchanged listing skips the dependents: the rule is what fetched them.
      editConfig(liveHome, "sync", { overlapSeconds: 0 });
      edit("Edited again");
      live.clearRequests();
      expect((await run()).code).toBe(0);
      expect(live.requests.some((r) => r.route.endsWith("/discussions"))).toBe(false);
    } finally {
      liveHome.cleanup();
      await live.close();
    }
  });
});
