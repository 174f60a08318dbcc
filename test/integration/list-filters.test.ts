// glab's list filters on `lore issues` / `lore mrs`, the project taken from the git remote, and
// --web, through the built binary against a mirror synced from the fake GitLab.

import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempHome, runLore, runLoreInTerminal, type TempHome } from "../support/cli.js";
import { type FakeGitLab, type Json, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;
const env = () => home.env;
const lore = (...args: string[]) => runLore(["--robot", ...args], { env: env() });
const iids = async (...args: string[]): Promise<number[]> => {
  const result = await lore(...args);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  const data = result.json().data;
  return (data.issues ?? data.mrs).map((row: { iid: number }) => row.iid);
};

beforeAll(async () => {
  gl = await startFakeGitLab({ startTime: "2024-03-01T00:00:00.000Z", autoTickMs: 3_600_000 });
  const project = gl.addProject({ path: "group/proj" });
  const other = gl.addProject({ path: "team/api" });
  const alice = gl.user("alice");
  const bob = gl.user("bob");
  const carol = gl.user("carol");
  const milestone = (title: string): Json => ({ id: title.length, iid: 1, title, state: "active" });
  gl.addIssue(project, {
    title: "Rate limit hit on sync",
    description: "Retry-After is ignored",
    assignees: [alice],
    milestone: milestone("v1.0"),
    due_date: "2024-04-01",
  });
  gl.addIssue(project, {
    title: "Crash in the Éditeur",
    description: "Stack trace attached",
    assignees: [bob, carol],
    due_date: "2024-06-01",
  });
  gl.addIssue(project, { title: "Docs typo", description: "the RATE LIMIT page", assignees: [] });
  gl.tick(5 * 86_400_000);
  gl.addIssue(project, { title: "Newer issue", milestone: milestone("v2.0") });
  gl.addMergeRequest(project, {
    title: "Draft: retry on 429",
    draft: true,
    reviewers: [alice],
    source_branch: "retry-429",
    target_branch: "main",
  });
  gl.addMergeRequest(project, {
    title: "Fix the crash",
    reviewers: [bob],
    assignees: [carol],
    source_branch: "fix-crash",
    target_branch: "release-1",
    milestone: milestone("v1.0"),
  });
  gl.addMergeRequest(project, { title: "Bump deps", source_branch: "deps", target_branch: "main" });
  gl.addIssue(other, { title: "API issue", assignees: [alice] });
  home = makeTempHome();
  await configureLore(home, gl, ["group/proj", "team/api"]);
  const sync = await lore("sync");
  expect(sync.code, sync.stdout).toBe(0);
}, 60_000);

afterAll(async () => {
  home.cleanup();
  await gl.close();
});

describe("list filters", () => {
  it.each([
    [
      ["issues", "-p", "group/proj"],
      [4, 3, 2, 1],
    ],
    [["issues", "-p", "group/proj", "--assignee", "@alice"], [1]],
    [
      ["issues", "--assignee", "ALICE"],
      [1, 1],
    ],
    [["issues", "-p", "group/proj", "--assignee", "carol"], [2]],
    [["issues", "-p", "group/proj", "--milestone", "v1.0"], [1]],
    [
      ["issues", "-p", "group/proj", "--search", "rate limit"],
      [3, 1],
    ],
    [["issues", "-p", "group/proj", "--search", "éditeur"], [2]],
    [["issues", "-p", "group/proj", "--due-before", "2024-05-01"], [1]],
    [["issues", "-p", "group/proj", "--created-since", "2024-03-04"], [4]],
    [
      ["issues", "-p", "group/proj", "--sort", "iid", "--asc"],
      [1, 2, 3, 4],
    ],
    [
      ["issues", "-p", "group/proj", "--sort", "created", "--asc", "-n", "2"],
      [1, 2],
    ],
    [["mrs", "--reviewer", "alice"], [1]],
    [["mrs", "--draft"], [1]],
    [
      ["mrs", "--no-draft"],
      [3, 2],
    ],
    [
      ["mrs", "--target-branch", "main"],
      [3, 1],
    ],
    [["mrs", "--source-branch", "fix-crash"], [2]],
    [["mrs", "--assignee", "carol", "--milestone", "v1.0"], [2]],
    [["mrs", "--target-branch", "main", "--no-draft"], [3]],
  ])("lore %j lists %j", async (args, expected) => {
    expect(await iids(...args)).toEqual(expected);
  });

  it.each([
    [["issues", "--sort", "title"], "--sort title"],
    [["issues", "--due-before", "someday"], "--due-before someday"],
    [["issues", "--reviewer", "alice"], "Unknown option '--reviewer'"],
    [["mrs", "--due-before", "2024-01-01"], "Unknown option '--due-before'"],
    [["issues", "--web"], "--web opens one issue"],
  ])("lore %j is USAGE", async (args, fragment) => {
    const result = await lore(...args);
    expect(result.code).toBe(2);
    expect(result.json().error.message).toContain(fragment);
  });

  it("counts what a cut list left out, in the count line", async () => {
    const human = await runLore(["issues", "-p", "group/proj", "-n", "2", "--state", "all"], { env: env() });
    expect(human.stdout).toContain("Showing 2 of 4 issues in group/proj");
    const filtered = await runLore(["issues", "-p", "group/proj", "--assignee", "alice"], { env: env() });
    expect(filtered.stdout).toContain("Showing 1 of 1 open issue in group/proj matching the filters");
    const none = await runLore(["mrs", "--target-branch", "nowhere"], { env: env() });
    expect(none.stdout).toContain("No open merge requests in 2 projects match the filters.");
  });
});

describe("assignees and reviewers follow GitLab", () => {
  it("after a reassignment and a new reviewer, the filters see the new people only", async () => {
    const project = { id: 1 } as Json;
    gl.updateIssue(project, 1, { assignees: [gl.user("dave")] });
    gl.updateMergeRequest(project, 1, { reviewers: [gl.user("dave"), gl.user("alice")] });
    expect((await lore("sync", "-p", "group/proj")).code).toBe(0);
    expect(await iids("issues", "-p", "group/proj", "--assignee", "alice")).toEqual([]);
    expect(await iids("issues", "-p", "group/proj", "--assignee", "Dave")).toEqual([1]);
    expect(await iids("mrs", "--reviewer", "dave")).toEqual([1]);
    expect(await iids("mrs", "--reviewer", "alice")).toEqual([1]);
    gl.updateIssue(project, 1, { assignees: [gl.user("alice")] });
    gl.updateMergeRequest(project, 1, { reviewers: [gl.user("alice")] });
    expect((await lore("sync", "-p", "group/proj")).code).toBe(0);
    expect(await iids("issues", "-p", "group/proj", "--assignee", "dave")).toEqual([]);
    expect(await iids("mrs", "--reviewer", "dave")).toEqual([]);
  });
});

describe("the project from the git remote", () => {
  const clone = (remote: string): string => {
    const dir = join(home.dir, `clone-${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(dir, "src"), { recursive: true });
    execFileSync("git", ["init", "-q", dir]);
    execFileSync("git", ["-C", dir, "remote", "add", "origin", remote]);
    return dir;
  };

  it("lists the project this clone's origin names when -p is not given", async () => {
    const host = new URL(gl.url).host;
    const dir = clone(`http://${host}/team/api.git`);
    const result = await runLore(["--robot", "issues"], { env: env(), cwd: join(dir, "src") });
    expect(result.json().data.issues.map((i: { project: string }) => i.project)).toEqual(["team/api"]);
    const scp = clone(`git@${new URL(gl.url).hostname}:group/proj.git`);
    const fromSsh = await runLore(["--robot", "issues", "1"], { env: env(), cwd: scp });
    expect(fromSsh.json().data.issue.project).toBe("group/proj");
  });

  it("lets -p choose another, and ignores clones of other hosts", async () => {
    const host = new URL(gl.url).host;
    const dir = clone(`http://${host}/team/api.git`);
    const explicit = await runLore(["--robot", "issues", "-p", "group/proj"], { env: env(), cwd: dir });
    expect(new Set(explicit.json().data.issues.map((i: { project: string }) => i.project))).toEqual(
      new Set(["group/proj"]),
    );
    const elsewhere = clone("git@github.com:team/api.git");
    const all = await runLore(["--robot", "issues", "1"], { env: env(), cwd: elsewhere });
    expect(all.code).toBe(2);
    expect(all.json().error.message).toContain("exists in several projects");
  });
});

describe("--web", () => {
  it("prints the URL when stdout is not a terminal", async () => {
    const result = await runLore(["issues", "1", "-p", "group/proj", "--web"], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(`${gl.url}/group/proj/-/issues/1`);
    const robot = await lore("mrs", "2", "-p", "group/proj", "--web");
    expect(robot.json().data).toEqual({ web_url: `${gl.url}/group/proj/-/merge_requests/2`, opened: false });
  });

  it("builds the URL of an entity not mirrored yet from the project's path", async () => {
    const result = await runLore(["issues", "99", "-p", "group/proj", "--web"], { env: env() });
    expect(result.stdout.trim()).toBe(`${gl.url}/group/proj/-/issues/99`);
  });

  it("starts $BROWSER on a terminal without waiting for it, and prints the URL when there is no browser", async () => {
    const record = join(home.dir, "browser.txt");
    const browser = join(home.dir, "browser.sh");
    writeFileSync(browser, `#!/bin/sh\necho "$@" > '${record}'\nsleep 30\n`);
    chmodSync(browser, 0o755);
    const started = Date.now();
    const opened = await runLoreInTerminal(["issues", "1", "-p", "group/proj", "--web"], {
      env: { ...env(), BROWSER: browser },
    });
    expect(opened.code).toBe(0);
    expect(opened.stdout).toContain(`Opening ${gl.url}/group/proj/-/issues/1 in your browser.`);
    // The browser sleeps 30 s: lore returned long before.
    expect(Date.now() - started).toBeLessThan(25_000);
    await expect
      .poll(() => readFileSync(record, "utf8").trim(), { timeout: 5_000 })
      .toBe(`${gl.url}/group/proj/-/issues/1`);
    const headless = await runLoreInTerminal(["issues", "1", "-p", "group/proj", "--web"], { env: env() });
    expect(headless.stdout.trim()).toBe(`${gl.url}/group/proj/-/issues/1`);
  });
});
