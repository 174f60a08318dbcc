// The agent-facing read features from the built binary: --fields on every read command, synced_at
// and age_seconds on everything read, and --max-age refreshing one entity in-process before reading.

import { existsSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore, editConfig, query, type Seeded, seedProject } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;
let seeded: Seeded;

beforeEach(async () => {
  gl = await startFakeGitLab({ token: "glpat-agent" });
  seeded = seedProject(gl, { issues: 3, mrs: 1 });
  home = makeTempHome();
  await configureLore(home, gl);
});
afterEach(async () => {
  await gl.close();
  home.cleanup();
});

const env = () => ({ ...home.env, GITLAB_TOKEN: "glpat-agent" });
const lore = (...args: string[]) => runLore(["--robot", ...args], { env: env() });
const human = (...args: string[]) => runLore(args, { env: env() });
const sync = async (...args: string[]) => {
  const result = await lore("sync", ...args);
  expect(result.code, result.stdout + result.stderr).toBe(0);
};

describe("--fields", () => {
  it("keeps only the asked keys, in the order asked, on lists, entities, search and status", async () => {
    await sync();
    const list = (await lore("issues", "--fields", "title,iid")).json().data;
    expect(list.issues).toHaveLength(3);
    for (const row of list.issues) expect(Object.keys(row)).toEqual(["title", "iid"]);

    const issue = (await lore("issues", "1", "--fields", "iid,state,synced_at")).json().data;
    expect(Object.keys(issue.issue)).toEqual(["iid", "state", "synced_at"]);
    expect(issue).toMatchObject({ refreshed: false, stale: false });

    const search = (await lore("search", "login", "--fields", "minimal")).json().data;
    expect(search.results.length).toBeGreaterThan(0);
    for (const row of search.results) {
      expect(Object.keys(row)).toEqual(["document_id", "source_type", "project", "iid", "title", "score"]);
    }
    const status = (await lore("status", "--fields", "project,issues")).json().data;
    expect(status.projects).toEqual([{ project: "group/proj", issues: 3 }]);
    expect(status.runs.length).toBeGreaterThan(0);

    const mr = (await lore("mrs", "1", "--fields", "minimal,changed_files")).json().data.mr;
    expect(Object.keys(mr)).toEqual([
      "iid",
      "title",
      "state",
      "author",
      "labels",
      "updated_at",
      "web_url",
      "synced_at",
      "changed_files",
    ]);
  });

  it("lists the field names with help, and rejects an unknown one before opening the database", async () => {
    const help = await lore("issues", "--fields", "help");
    expect(help.code).toBe(0);
    const data = help.json().data;
    expect(data.minimal).toEqual(["iid", "title", "state", "updated_at", "web_url"]);
    expect(data.fields).toContainEqual({ name: "age_seconds", type: "integer" });

    const bad = await lore("issues", "--fields", "iid,titel");
    expect(bad.code).toBe(2);
    const error = bad.json().error;
    expect(error.code).toBe("USAGE");
    expect(error.message).toContain("unknown field titel");
    expect(error.message).toContain("valid: iid, title, state");
    expect(existsSync(home.dbPath)).toBe(false);

    const noRows = await lore("doctor", "--fields", "name");
    expect(noRows.code).toBe(2);
  });

  it("prints selected fields tab-separated in human mode", async () => {
    await sync();
    const result = await human("issues", "--fields", "iid,labels", "--state", "all");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split("\n").sort()).toEqual(["1\tbug", "2\tauth,bug", "3\tbug"]);
    const helpText = await human("search", "anything", "--fields", "help");
    expect(helpText.stdout).toContain("minimal: document_id,source_type,project,iid,title,score");
  });
});

describe("freshness", () => {
  it("puts synced_at and age_seconds on list rows, entities, discussions and search results", async () => {
    const before = Date.now();
    await sync();
    const fetched = query<{ iid: number; fetched_at: string }>(
      home.dbPath,
      "SELECT iid, fetched_at FROM issues ORDER BY iid",
    );
    const rows = (await lore("issues")).json().data.issues;
    for (const row of rows) {
      expect(row.synced_at).toBe(fetched.find((f) => f.iid === row.iid)?.fetched_at);
      expect(Date.parse(row.synced_at)).toBeGreaterThanOrEqual(before - 1000);
      expect(row.age_seconds).toBeGreaterThanOrEqual(0);
      expect(row.age_seconds).toBeLessThan(600);
    }
    const issue = (await lore("issues", "2")).json().data.issue;
    expect(issue.synced_at).toBe(fetched[1]?.fetched_at);
    for (const thread of issue.discussions) {
      expect(thread.synced_at).toBe(issue.synced_at);
      expect(typeof thread.age_seconds).toBe("number");
    }
    const results = (await lore("search", "login")).json().data.results;
    for (const result of results) {
      expect(result.synced_at).toEqual(expect.any(String));
      expect(result.age_seconds).toEqual(expect.any(Number));
    }
  });
});

describe("--max-age", () => {
  it("refreshes a copy older than the limit in about one round trip, then answers", async () => {
    await sync();
    gl.updateIssue(seeded.project, 2, { title: "Renamed on GitLab" });
    gl.addDiscussion(seeded.issues[1] as never, [{ body: "a new comment" }]);
    gl.clearRequests();

    const cached = (await lore("issues", "2", "--max-age", "1h")).json().data;
    expect(cached).toMatchObject({ refreshed: false, stale: false });
    expect(cached.issue.title).not.toBe("Renamed on GitLab");
    expect(gl.requests).toHaveLength(0);

    const result = await lore("issues", "2", "--max-age", "0");
    expect(result.code, result.stderr).toBe(0);
    const data = result.json().data;
    expect(data).toMatchObject({ refreshed: true, stale: false, warnings: [] });
    expect(data.issue.title).toBe("Renamed on GitLab");
    expect(data.issue.age_seconds).toBeLessThan(5);
    expect(
      data.issue.discussions.flatMap((d: { notes: { body: string }[] }) => d.notes.map((n) => n.body)),
    ).toContain("a new comment");
    // Only the surgical requests: the entity by iids[] and its dependents, no unfiltered list.
    const lists = gl.requests.filter((r) => /\/(issues|merge_requests)$/.test(r.route));
    expect(lists.map((r) => r.query.getAll("iids[]"))).toEqual([["2"]]);
    // The search documents follow the refresh.
    const search = (await lore("search", "Renamed")).json().data.results;
    expect(search.map((r: { iid: number }) => r.iid)).toContain(2);
  });

  it("fetches an entity that is not in the mirror yet", async () => {
    await sync("--issue", "1");
    const missing = await lore("issues", "3");
    expect(missing.code).toBe(6);
    expect(missing.json().error).toMatchObject({
      code: "NOT_IN_MIRROR",
      actions: ["lore sync -p group/proj --issue 3", "lore issues 3 -p group/proj --max-age 0"],
    });
    const result = await lore("issues", "3", "--max-age", "5m");
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data).toMatchObject({ refreshed: true, issue: { iid: 3 } });

    const absent = await lore("issues", "99", "--max-age", "0");
    expect(absent.code).toBe(6);
    expect(absent.json().error.code).toBe("SURGICAL_PREFLIGHT_FAILED");
  });

  it("answers from the local copy, marked stale, when GitLab cannot be reached", async () => {
    await sync();
    editConfig(home, "gitlab", { maxRetries: 0 });
    gl.fault({ path: /.*/, status: 503 });
    const result = await lore("issues", "1", "--max-age", "0");
    expect(result.code, result.stdout).toBe(0);
    const data = result.json().data;
    expect(data).toMatchObject({ refreshed: false, stale: true, issue: { iid: 1 } });
    expect(data.warnings[0]).toContain("could not refresh group/proj#1 from GitLab (GITLAB_NETWORK");
    expect(result.stderr).toContain("could not refresh");
  });

  it("takes its default from read.maxAge, which --max-age off overrides; bad values are USAGE", async () => {
    await sync();
    editConfig(home, "read", { maxAge: "0" });
    gl.updateIssue(seeded.project, 1, { title: "Fresh title" });
    const off = (await lore("issues", "1", "--max-age", "off")).json().data;
    expect(off).toMatchObject({ refreshed: false });
    const fresh = (await lore("issues", "1")).json().data;
    expect(fresh).toMatchObject({ refreshed: true, issue: { title: "Fresh title" } });

    const bad = await lore("issues", "1", "--max-age", "soon");
    expect(bad.code).toBe(2);
    expect(bad.json().error.message).toContain("--max-age soon");
    editConfig(home, "read", { maxAge: "later" });
    const badConfig = await lore("issues", "1");
    expect(badConfig.code).toBe(3);
    expect(badConfig.json().error.message).toContain("read.maxAge");
  });
});
