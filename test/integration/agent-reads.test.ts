// The agent-facing read features from the built binary: --fields on every read command, synced_at
// and age_seconds on everything read, and --max-age refreshing entities in-process before reading
// (one issue or MR, and a timeline's seeds and the entities it reaches).

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

  it("applies to the rows an agent asks for on timeline, notes, who, file-history, trace and me", async () => {
    await sync();
    const keysOf = (rows: object[]) => rows.map((row) => Object.keys(row));
    const data = async (...args: string[]) => {
      const result = await lore(...args);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      return result.json().data;
    };

    const timeline = await data("timeline", "issue:1", "--fields", "minimal");
    expect(timeline.events.length).toBeGreaterThan(1);
    for (const keys of keysOf(timeline.events))
      expect(keys).toEqual(["at", "entity_type", "project", "iid", "kind", "summary"]);
    // Only the events are selected from; the rest of the answer is whole.
    expect(timeline.entities[0]).toHaveProperty("synced_at");

    const notes = await data("notes", "--fields", "author,body");
    expect(notes.notes.length).toBeGreaterThan(0);
    for (const keys of keysOf(notes.notes)) expect(keys).toEqual(["author", "body"]);

    // lore who @user selects from each of its lists alike: a row keeps the asked keys it has.
    const workload = await data("who", "@alice", "--fields", "iid,labels,draft");
    expect(keysOf(workload.authored_mrs)).toEqual([["iid", "draft"]]);
    expect(workload).toHaveProperty("omitted_authored_mrs", 0);
    expect(keysOf((await data("who", "src/", "--fields", "username")).experts)).toEqual([["username"]]);
    const history = await data("file-history", "src/login.ts", "--fields", "iid,synced_at");
    expect(keysOf(history.merge_requests)).toEqual([["iid", "synced_at"]]);
    const trace = await data("trace", "src/login.ts", "--fields", "issues");
    expect(trace.chains[0]).toEqual({ issues: [expect.objectContaining({ iid: 1, via: "closes" })] });
    const me = await data("me", "--user", "alice", "--fields", "project,iid");
    expect(keysOf(me.authored_mrs)).toEqual([["project", "iid"]]);

    // Each question has its own rows: --active lists threads, which have no username.
    const active = await lore("who", "--active", "--fields", "username");
    expect(active.code).toBe(2);
    expect(active.json().error.message).toContain("valid: discussion_id, project, entity_type");
    const help = (await lore("who", "@alice", "--fields", "help")).json().data;
    expect(help.lists).toEqual([
      "assigned_issues",
      "authored_mrs",
      "review_requests",
      "unresolved_discussions",
    ]);

    // People read one line per row, the list's name first when there are several.
    const lines = (await human("who", "@alice", "--fields", "iid,title")).stdout.trim().split("\n");
    expect(lines).toEqual(["authored_mrs\t1\tMR 1: fix login"]);
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
  it("puts them on timeline entities, notes, people lists and the MRs of file-history and trace", async () => {
    await sync();
    const synced = query<{ fetched_at: string }>(
      home.dbPath,
      "SELECT fetched_at FROM issues WHERE iid = 1",
    )[0]?.fetched_at;
    const data = async (...args: string[]) => (await lore(...args)).json().data;
    const seed = (await data("timeline", "issue:1")).entities[0];
    expect(seed).toMatchObject({ iid: 1, synced_at: synced, age_seconds: expect.any(Number) });
    const notes = (await data("notes", "--on", "issue:1")).notes;
    for (const note of notes) expect(note.synced_at).toBe(synced);
    const mrs = [
      ...(await data("who", "@alice")).authored_mrs,
      ...(await data("file-history", "src/login.ts")).merge_requests,
      ...(await data("trace", "src/login.ts")).chains.flatMap(
        (c: { merge_request: unknown; issues: unknown[] }) => [c.merge_request, ...c.issues],
      ),
    ];
    expect(mrs.length).toBeGreaterThanOrEqual(4);
    for (const row of mrs) {
      expect(row.synced_at).toEqual(expect.any(String));
      expect(row.age_seconds).toBeLessThan(600);
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

describe("--max-age on lore timeline", () => {
  it("refreshes the seed and the entities it reaches, one surgical sync per project", async () => {
    const other = gl.addProject({ path: "team/api" });
    gl.addIssue(other, { title: "API side" });
    gl.updateIssue(seeded.project, 1, { description: "Needs team/api#1 first." });
    await configureLore(home, gl, ["group/proj", "team/api"]);
    await sync();
    gl.updateIssue(seeded.project, 1, { title: "Seed renamed" });
    gl.updateIssue(other, 1, { title: "Reached renamed" });
    gl.clearRequests();

    type Entity = { entity_type: string; project: string; iid: number; title: string };
    const titles = (data: { entities: Entity[] }) =>
      Object.fromEntries(
        data.entities.map((e) => [`${e.project}${e.entity_type === "issue" ? "#" : "!"}${e.iid}`, e.title]),
      );
    const cached = (await lore("timeline", "issue:1", "-p", "group/proj", "--max-age", "1h")).json().data;
    expect(cached).toMatchObject({ refreshed: false, stale: false });
    expect(titles(cached)["group/proj#1"]).not.toBe("Seed renamed");
    expect(gl.requests).toHaveLength(0);

    const result = await lore("timeline", "issue:1", "-p", "group/proj", "--max-age", "0");
    expect(result.code, result.stderr).toBe(0);
    const data = result.json().data;
    expect(data).toMatchObject({ refreshed: true, stale: false });
    expect(titles(data)).toMatchObject({ "group/proj#1": "Seed renamed", "team/api#1": "Reached renamed" });
    for (const entity of data.entities) expect(entity.age_seconds).toBeLessThan(5);
    // The surgical preflights: each project's IIDs in one request per kind.
    const preflights = (requests: typeof gl.requests) =>
      requests
        .filter((r) => /\/(issues|merge_requests)$/.test(r.route))
        .map((r) => `${r.route} ${r.query.getAll("iids[]").join(",")}`)
        .sort();
    expect(preflights(gl.requests)).toEqual([
      `/projects/${seeded.project.id}/issues 1`,
      `/projects/${seeded.project.id}/merge_requests 1`,
      `/projects/${other.id}/issues 1`,
    ]);

    // Depth 0: the seed alone.
    gl.clearRequests();
    const seedOnly = await lore("timeline", "issue:1", "-p", "group/proj", "--depth", "0", "--max-age", "0");
    expect(seedOnly.json().data.entities).toHaveLength(1);
    expect(preflights(gl.requests)).toEqual([`/projects/${seeded.project.id}/issues 1`]);
  });

  it("fetches a seed the mirror lacks, and answers stale when GitLab cannot be reached", async () => {
    await sync("--issue", "1");
    const missing = await lore("timeline", "issue:3");
    expect(missing.code).toBe(6);
    expect(missing.json().error.code).toBe("NOT_IN_MIRROR");
    const fetched = await lore("timeline", "issue:3", "--max-age", "5m");
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(fetched.json().data).toMatchObject({ refreshed: true, seeds: [{ iid: 3 }] });
    const absent = await lore("timeline", "issue:99", "--max-age", "0");
    expect(absent.code).toBe(6);
    expect(absent.json().error.code).toBe("SURGICAL_PREFLIGHT_FAILED");

    editConfig(home, "gitlab", { maxRetries: 0 });
    gl.fault({ path: /.*/, status: 503 });
    const offline = await lore("timeline", "issue:1", "--max-age", "0");
    expect(offline.code, offline.stdout).toBe(0);
    const data = offline.json().data;
    expect(data).toMatchObject({ refreshed: false, stale: true, seeds: [{ iid: 1 }] });
    expect(data.warnings.join("\n")).toContain("could not refresh group/proj#1");
    expect((await lore("timeline", "issue:1", "--max-age", "soon")).code).toBe(2);
  });
});
