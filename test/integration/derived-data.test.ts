// Copies of other entities' fields (a thread document's parent title and state, a link's title and
// state) must follow the entity they copy: after an incremental sync, every user-visible output is
// what a fresh sync of the same GitLab shows.

import { afterAll, beforeAll, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, type Json, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore, omitKeys, query } from "../support/scenario.js";

let gl: FakeGitLab;
let project: Json;
const homes: TempHome[] = [];

beforeAll(async () => {
  gl = await startFakeGitLab({ startTime: "2024-01-01T00:00:00.000Z" });
  project = gl.addProject({ path: "group/proj" });
  const alice = gl.user("alice");
  const bob = gl.user("bob");
  const issues: Json[] = [];
  for (let i = 1; i <= 10; i++) {
    const issue = gl.addIssue(project, {
      title: i === 9 ? "Flamingo importer drops rows" : `Issue ${i}: routine chore`,
      description: `Details of issue ${i}.`,
      labels: ["bug"],
      author: i % 2 ? alice : bob,
    });
    gl.addDiscussion(issue, [
      { body: i === 9 ? "The flamingo importer skips the last row" : `Thread on issue ${i}`, author: bob },
      { body: "Confirmed.", author: alice },
    ]);
    issues.push(issue);
  }
  const mrs: Json[] = [];
  for (let m = 1; m <= 13; m++) {
    const mr = gl.addMergeRequest(project, {
      title: m === 1 ? "Pelican cache warmup" : `MR ${m}: routine change`,
      description: `Change ${m}.`,
      author: alice,
    });
    gl.addDiscussion(mr, [
      { body: m === 1 ? "Does the pelican cache expire?" : `Review of MR ${m}`, author: bob },
    ]);
    mrs.push(mr);
  }
  const [issue3, issue9] = [issues[2] as Json, issues[8] as Json];
  const [mr1, mr13] = [mrs[0] as Json, mrs[12] as Json];
  gl.setCloses(mr13, [issue9]);
  gl.setClosedBy(issue9, [mr13]);
  gl.setRelated(issue9, [mr13]);
  gl.setRelated(issue3, [mr1]);
  gl.setClosedBy(issue3, [mr1]);
  gl.setCloses(mr1, [issue3]);
  gl.tick(60_000);
});

afterAll(async () => {
  await gl.close();
  for (const home of homes) home.cleanup();
});

async function syncedHome(): Promise<TempHome> {
  const home = makeTempHome();
  homes.push(home);
  await configureLore(home, gl);
  await sync(home);
  return home;
}

async function sync(home: TempHome): Promise<void> {
  const result = await runLore(["--robot", "sync"], { env: home.env });
  expect(result.code, result.stdout + result.stderr).toBe(0);
}

async function robot(home: TempHome, ...args: string[]) {
  const result = await runLore(["--robot", ...args], { env: home.env });
  expect(result.code, `${args.join(" ")}: ${result.stdout}`).toBe(0);
  return result.json().data;
}

/** What a user can see of the mirror, without bookkeeping that differs between any two syncs. */
async function userVisible(home: TempHome) {
  const documents = query(
    home.dbPath,
    `SELECT source_type, source_id, project_id, parent_type, parent_id, iid, title, state, author_username,
       created_at, updated_at, web_url, content, content_hash
     FROM documents ORDER BY source_type, source_id`,
  );
  const searches: Record<string, unknown> = {};
  for (const args of [
    ["flamingo", "--type", "discussion", "--state", "closed"],
    ["flamingo", "--type", "discussion", "--state", "opened"],
    ["flamingo", "--state", "closed"],
    ["pelican", "--type", "discussion"],
    ["renamed"],
    ["importer"],
  ]) {
    const data = await robot(home, "search", ...args, "--mode", "lexical");
    searches[args.join(" ")] = data.results.map(({ document_id: _id, ...rest }: Json) => rest);
  }
  const shows: Record<string, unknown> = {};
  for (const [command, iid] of [
    ["issues", "3"],
    ["issues", "9"],
    ["mrs", "1"],
    ["mrs", "13"],
  ] as const) {
    const data = await robot(home, command, iid);
    const { synced_at: _s, fetched_at: _f, ...entity } = data[command === "issues" ? "issue" : "mr"];
    shows[`${command} ${iid}`] = entity;
  }
  const lists = {
    issues: await robot(home, "issues", "--state", "all"),
    mrs: await robot(home, "mrs", "--state", "all"),
  };
  // When each copy was fetched differs between the two mirrors by design.
  return omitKeys({ documents, searches, shows, lists }, ["synced_at", "age_seconds", "fetched_at"]);
}

it("after #9 is renamed and closed and !1 renamed, an incremental sync shows what a fresh sync shows", async () => {
  const synced = await syncedHome();
  gl.updateIssue(project, 9, {
    title: "Flamingo importer drops rows (renamed)",
    state: "closed",
    closed_at: gl.nowIso(),
  });
  gl.updateMergeRequest(project, 1, { title: "Pelican cache warmup (renamed)" });
  gl.tick(60_000);
  await sync(synced);
  const fresh = await syncedHome();

  const seen = await userVisible(synced);
  expect(seen).toEqual(await userVisible(fresh));

  // The cases the bug report names, spelled out.
  expect(seen.searches["flamingo --type discussion --state closed"]).toEqual([
    expect.objectContaining({ iid: 9, title: "Flamingo importer drops rows (renamed)", state: "closed" }),
  ]);
  expect(seen.searches["flamingo --type discussion --state opened"]).toEqual([]);
  expect(seen.searches["pelican --type discussion"]).toEqual([
    expect.objectContaining({ iid: 1, title: "Pelican cache warmup (renamed)" }),
  ]);
  const mr13 = seen.shows["mrs 13"] as { closes_issues: unknown[] };
  expect(mr13.closes_issues).toEqual([
    expect.objectContaining({ iid: 9, title: "Flamingo importer drops rows (renamed)", state: "closed" }),
  ]);
  const issue3 = seen.shows["issues 3"] as { related_mrs: unknown[]; closed_by: unknown[] };
  expect(issue3.related_mrs).toEqual([
    expect.objectContaining({ iid: 1, title: "Pelican cache warmup (renamed)", project: "group/proj" }),
  ]);
  expect(issue3.closed_by).toEqual(issue3.related_mrs);
});
