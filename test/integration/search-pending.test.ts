// An empty search is explained: on a database never synced it says so (as `lore issues` does), and
// after an interrupted or --no-docs sync it says how many documents wait to be indexed and the
// command that builds them — a sync, which builds them before anything else, even when GitLab is
// then unreachable.

import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, type Json, startFakeGitLab } from "../support/fake-gitlab.js";
import { closedPortUrl } from "../support/net.js";
import { configureLore, query, seedProject } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;
let project: Json;

beforeEach(async () => {
  gl = await startFakeGitLab();
  project = seedProject(gl, { issues: 3, mrs: 1 }).project;
  home = makeTempHome();
  await configureLore(home, gl);
});
afterEach(async () => {
  await gl.close();
  home.cleanup();
});

const lore = (...args: string[]) => runLore(args, { env: home.env });
const robotSearch = async (...args: string[]) => (await lore("--robot", "search", ...args)).json().data;

it("says that nothing is synced yet, and how to start", async () => {
  const human = await lore("search", "login");
  expect(human.code).toBe(0);
  expect(human.stdout).toBe("Nothing synced yet: run lore sync first.\n");
  const data = await robotSearch("login");
  expect(data.results).toEqual([]);
  expect(data.pending).toEqual({ synced: false, documents_pending: 0, actions: ["lore sync"] });
  expect(data.warnings).toEqual(["Nothing synced yet: run lore sync first."]);
});

it("says how many documents wait after a sync that did not build them, and sync builds them first", async () => {
  expect((await lore("sync", "--no-docs")).code).toBe(0);
  const queued = query<{ n: number }>(home.dbPath, "SELECT COUNT(*) AS n FROM dirty_sources")[0]?.n ?? 0;
  expect(queued).toBeGreaterThan(4);
  const human = await lore("search", "login");
  expect(human.code).toBe(0);
  expect(human.stdout).toBe(
    `No results for "login" (lexical).\n${queued} documents are still waiting to be indexed (a sync was interrupted or ran with --no-docs), so results may be missing: lore sync builds them first.\n`,
  );
  expect(human.stderr).toBe("");
  const data = await robotSearch("login", "-p", "proj");
  expect(data.pending).toEqual({
    synced: true,
    documents_pending: queued,
    actions: ["lore sync -p group/proj"],
  });

  // GitLab is gone: the sync fails, but only after building the queued documents.
  const config = JSON.parse(readFileSync(home.configPath, "utf8"));
  writeFileSync(
    home.configPath,
    JSON.stringify({
      ...config,
      gitlab: { ...config.gitlab, baseUrl: await closedPortUrl(), maxRetries: 0 },
    }),
  );
  const offline = await lore("sync");
  expect(offline.code).toBe(5);
  const after = await robotSearch("login");
  expect(after.results.length).toBeGreaterThan(0);
  expect(after.pending).toEqual({ synced: true, documents_pending: 0, actions: [] });
  expect(after.warnings).toEqual([]);
});

it("warns that results may be missing when some documents still wait", async () => {
  expect((await lore("sync")).code).toBe(0);
  gl.updateIssue(project, 1, { title: "Issue 1: login fails behind the proxy" });
  expect((await lore("sync", "--no-docs")).code).toBe(0);
  const human = await lore("search", "login");
  expect(human.stdout).toMatch(/^\d+ results? for "login" · .*\n\ngroup\/proj[#!]\d+ /);
  expect(human.stderr).toMatch(
    /^warning: \d+ documents? (is|are) still waiting to be indexed .*: lore sync builds them first\.$/m,
  );
});
