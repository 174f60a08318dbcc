// `lore config get|set|unset|path` and `lore project add|remove|list`: the config changes one key or
// one project at a time, keeps everything else (embedding settings, other projects, unknown keys),
// stays 0600, never holds a token, and --purge deletes exactly one project's local data.

import { readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeEmbedder, startFakeEmbedder } from "../support/fake-embedder.js";
import { type FakeGitLab, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore, query, seedProject } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;

const lore = (...args: string[]) => runLore(args, { env: home.env });
const robot = (...args: string[]) => runLore(["--robot", ...args], { env: home.env });
const configText = () => readFileSync(home.configPath, "utf8");
const configJson = () => JSON.parse(configText());

beforeEach(async () => {
  gl = await startFakeGitLab();
  seedProject(gl, { path: "group/proj", issues: 2, mrs: 1 });
  home = makeTempHome();
});
afterEach(async () => {
  await gl.close();
  home.cleanup();
});

describe("lore config", () => {
  it("prints the config path, whether or not the file exists yet", async () => {
    const before = await robot("config", "path");
    expect(before.json().data).toEqual({ config_path: home.configPath, exists: false });
    await configureLore(home, gl);
    const human = await lore("config", "path");
    expect(human.stdout).toBe(`${home.configPath}\n`);
  });

  it("gets values with their source, and every setting without a key", async () => {
    await configureLore(home, gl);
    expect((await lore("config", "get", "gitlab.baseUrl")).stdout).toBe(`${gl.url}\n`);
    expect((await robot("config", "get", "gitlab.concurrency")).json().data).toEqual({
      key: "gitlab.concurrency",
      value: 8,
      source: "file",
      config_path: home.configPath,
    });
    const unset = await robot("config", "get", "embedding.model");
    expect(unset.json().data).toMatchObject({ value: null, source: "unset" });
    const all = await lore("config", "get");
    expect(all.stdout).toMatch(/^gitlab\.baseUrl +=/m);
    expect(all.stdout).toMatch(/^projects +=\s+group\/proj$/m);
    expect(all.stdout).toMatch(/^embedding\.provider +=\s+none$/m);
  });

  it("sets typed values, keeps every other setting and unknown keys, and keeps mode 0600", async () => {
    await configureLore(home, gl);
    const withExtra = { ...configJson(), futureSection: { keep: true } };
    writeFileSync(home.configPath, JSON.stringify(withExtra), { mode: 0o644 });
    const set = await robot("config", "set", "gitlab.concurrency", "16");
    expect(set.code, set.stderr).toBe(0);
    expect(set.json().data).toMatchObject({ key: "gitlab.concurrency", value: 16, previous: 8 });
    const after = configJson();
    expect(after.gitlab.concurrency).toBe(16);
    expect({ ...after, gitlab: { ...after.gitlab, concurrency: 8 } }).toEqual(withExtra);
    expect(statSync(home.configPath).mode & 0o777).toBe(0o600);

    expect((await lore("config", "set", "gitlab.tokenEnvVar", "GL_TOKEN")).code).toBe(0);
    expect(configJson().gitlab.tokenEnvVar).toBe("GL_TOKEN");
    expect((await lore("config", "set", "embedding.baseUrl", "http://127.0.0.1:9")).code).toBe(0);
    const unset = await lore("config", "unset", "embedding.baseUrl");
    expect(unset.code, unset.stderr).toBe(0);
    expect(configJson().embedding).not.toHaveProperty("baseUrl");
  });

  it("refuses bad keys and values with USAGE before writing anything", async () => {
    await configureLore(home, gl);
    const original = configText();
    const cases: [string[], RegExp][] = [
      [["set", "gitlab.concurrency", "100"], /Invalid gitlab\.concurrency: .*64/],
      [["set", "gitlab.concurrency", "many"], /gitlab\.concurrency many: expected a number/],
      [["set", "embedding.provider", "llama"], /expected one of ollama, openai, none/],
      [["set", "gitlab.baseUrl", "not a url"], /Invalid gitlab\.baseUrl/],
      [["set", "gitlab.concurency", "4"], /did you mean "gitlab\.concurrency"/],
      [["set", "projects", "a/b"], /lore project add/],
      [["set", "gitlab", "x"], /section/],
      [["unset", "gitlab.baseUrl"], /no default/],
      [["get", "nope.key"], /Unknown config key "nope\.key"/],
    ];
    for (const [args, message] of cases) {
      const result = await lore("config", ...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(message);
    }
    expect(configText()).toBe(original);
  });

  it("repairs an invalid config one key at a time, as the error says", async () => {
    await configureLore(home, gl);
    const config = configJson();
    writeFileSync(
      home.configPath,
      JSON.stringify({ ...config, gitlab: { ...config.gitlab, baseUrl: "gitlab" } }),
    );
    const broken = await lore("issues");
    expect(broken.code).toBe(3);
    expect(broken.stderr).toContain("hint: Fix it with `lore config set gitlab.baseUrl VALUE`");
    // Another key can be set meanwhile (with a warning), and setting the broken one fixes the file.
    const other = await lore("config", "set", "gitlab.concurrency", "4");
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).toMatch(/warning: .*gitlab\.baseUrl: must be an http\(s\) URL/);
    expect((await lore("config", "set", "gitlab.baseUrl", gl.url)).code).toBe(0);
    expect((await lore("issues")).code).toBe(0);
  });

  it("has no key for the token: setting one is USAGE and the secret is written nowhere", async () => {
    await configureLore(home, gl);
    const original = configText();
    for (const key of ["gitlab.token", "gitlab.privateToken", "embedding.apiKey"]) {
      const result = await robot("config", "set", key, "glpat-SECRET123");
      expect(result.code, key).toBe(2);
      expect(result.json().error.code).toBe("USAGE");
      expect(result.json().error.suggestion).toMatch(/environment variable/);
      expect(result.stdout + result.stderr).not.toContain("glpat-SECRET123");
    }
    expect(configText()).toBe(original);
  });

  it("says how to start when there is no config file", async () => {
    for (const args of [
      ["get", "gitlab.baseUrl"],
      ["set", "gitlab.concurrency", "4"],
    ]) {
      const result = await lore("config", ...args);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/No config file .*\n.*lore init/);
    }
  });
});

describe("lore project", () => {
  it("adds a project GitLab has, in GitLab's spelling, keeping the other settings", async () => {
    const moved = gl.addProject({ path: "team/old-name" });
    gl.moveProject(moved, "team/new-name");
    gl.addProject({ path: "team/api" });
    await configureLore(home, gl, ["group/proj"], ["--embedding-provider", "none", "--db", home.dbPath]);
    const before = configJson();
    const result = await robot("project", "add", "team/api", "team/old-name", "group/proj");
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.json().data.projects).toEqual([
      {
        project: "team/api",
        status: "added",
        verified: true,
        gitlab_id: expect.any(Number),
        visibility: "private",
      },
      {
        project: "team/new-name",
        status: "added",
        verified: true,
        gitlab_id: moved.id,
        visibility: "private",
        requested: "team/old-name",
      },
      {
        project: "group/proj",
        status: "already_configured",
        verified: false,
        gitlab_id: null,
        visibility: null,
      },
    ]);
    expect(configJson()).toEqual({
      ...before,
      projects: [{ path: "group/proj" }, { path: "team/api" }, { path: "team/new-name" }],
    });
    const human = await lore("project", "add", "team/api");
    expect(human.stdout).toMatch(/team\/api is already configured/);
  });

  it("refuses a project GitLab does not have (exit 6) and a malformed path (exit 2), writing nothing", async () => {
    await configureLore(home, gl);
    const original = configText();
    const missing = await robot("project", "add", "group/missing");
    expect(missing.code).toBe(6);
    expect(missing.json().error).toMatchObject({
      code: "GITLAB_NOT_FOUND",
      actions: ["export GITLAB_TOKEN=glpat-…"],
    });
    expect(missing.json().error.message).toMatch(/no project group\/missing visible without a token/);
    gl.addProject({ path: "team/api" });
    const mixed = await lore("project", "add", "team/api", "group/missing");
    expect(mixed.code).toBe(6);
    expect(mixed.stderr).toMatch(/group\/missing .*Nothing was added\./);
    const malformed = await lore("project", "add", "just-a-name");
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/must be a full project path/);
    expect(gl.requests.filter((r) => r.path.includes("just-a-name"))).toEqual([]);
    expect(configText()).toBe(original);
  });

  it("adds unchecked, with a warning, when GitLab does not answer; --no-verify does not ask", async () => {
    await configureLore(home, gl);
    const closed = await startFakeGitLab();
    const closedUrl = closed.url;
    await closed.close();
    const config = configJson();
    writeFileSync(
      home.configPath,
      JSON.stringify({ ...config, gitlab: { ...config.gitlab, baseUrl: closedUrl } }),
    );
    const result = await lore("project", "add", "team/offline");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: Could not check team\/offline on GitLab .*added unchecked/);
    expect(result.stdout).toMatch(/Added team\/offline/);
    gl.clearRequests();
    const noVerify = await robot("project", "add", "team/unasked", "--no-verify");
    expect(noVerify.json().data.projects[0]).toMatchObject({ project: "team/unasked", verified: false });
    expect(noVerify.stderr).toBe("");
    expect(configJson().projects.map((p: { path: string }) => p.path)).toEqual([
      "group/proj",
      "team/offline",
      "team/unasked",
    ]);
  });

  it("lists the projects with what is stored, and points -p mistakes at project add", async () => {
    seedProject(gl, { path: "team/api", issues: 1, mrs: 0 });
    await configureLore(home, gl, ["group/proj", "team/api"]);
    const empty = await robot("project", "list");
    const neverSynced = {
      configured: true,
      issues: 0,
      mrs: 0,
      documents: 0,
      embedded: 0,
      last_synced_at: null,
    };
    expect(empty.json().data.projects).toEqual([
      { project: "group/proj", ...neverSynced },
      { project: "team/api", ...neverSynced },
    ]);
    expect((await lore("sync")).code).toBe(0);
    const human = await lore("project", "list");
    expect(human.stdout).toMatch(/^PROJECT +ISSUES +MRS +DOCUMENTS +EMBEDDED +LAST SYNC$/m);
    expect(human.stdout).toMatch(/^group\/proj +2 +1 +\d+ +\d+ +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    expect(human.stdout).toMatch(/^team\/api +1 +0 +\d+ +\d+ +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    const wrong = await lore("issues", "-p", "team/web");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("hint: Add it with `lore project add team/web`");
  });
});

describe("lore project remove", () => {
  let embedder: FakeEmbedder;
  beforeEach(async () => {
    embedder = await startFakeEmbedder({ dimension: 64 });
    seedProject(gl, { path: "team/api", issues: 3, mrs: 2 });
    await configureLore(
      home,
      gl,
      ["group/proj", "team/api"],
      ["--embedding-provider", "ollama", "--embedding-url", embedder.url],
    );
    const sync = await lore("sync");
    expect(sync.code, sync.stderr).toBe(0);
  });
  afterEach(async () => {
    await embedder.close();
  });

  /** Rows of the project in every table that names a project, and the search index and vectors left. */
  function footprint(projectId: number) {
    const db = new Database(home.dbPath, { readonly: true });
    sqliteVec.load(db);
    try {
      const tables = (
        db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%project_id%'")
          .all() as {
          name: string;
        }[]
      ).map((t) => t.name);
      const rows = Object.fromEntries(
        tables.map((t) => [
          t,
          (db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE project_id = ?`).get(projectId) as { n: number })
            .n,
        ]),
      );
      const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      return {
        rows,
        notes: one(`SELECT COUNT(*) AS n FROM notes WHERE discussion_id NOT IN (SELECT id FROM discussions)`),
        documents: one("SELECT COUNT(*) AS n FROM documents"),
        indexed: one("SELECT COUNT(*) AS n FROM documents_fts"),
        chunks: one("SELECT COUNT(*) AS n FROM embedding_chunks"),
        vectors: one("SELECT COUNT(*) AS n FROM embedding_vectors"),
        dirty: one("SELECT COUNT(*) AS n FROM dirty_sources"),
      };
    } finally {
      db.close();
    }
  }

  it("keeps the local data without --purge, says how much, and purges it later on request", async () => {
    const [api] = query<{ id: number }>(
      home.dbPath,
      "SELECT id FROM projects WHERE path_with_namespace = 'team/api'",
    );
    const before = footprint(api?.id as number);
    expect(before.chunks).toBeGreaterThan(0);
    const removed = await lore("project", "remove", "api");
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(
      /Removed team\/api from the config\. Its local data stays: 3 issues, 2 MRs, \d+ threads, \d+ notes, \d+ documents\./,
    );
    expect(removed.stdout).toContain("To delete it: lore project remove team/api --purge");
    expect(configJson().projects).toEqual([{ path: "group/proj" }]);
    expect(configJson().embedding.provider).toBe("ollama");
    expect(footprint(api?.id as number).rows.issues).toBe(3);
    const list = await robot("project", "list");
    expect(list.json().data.projects[1]).toMatchObject({ project: "team/api", configured: false, issues: 3 });

    const purged = await robot("project", "remove", "team/api", "--purge");
    expect(purged.code, purged.stdout).toBe(0);
    expect(purged.json().data).toMatchObject({
      project: "team/api",
      removed_from_config: false,
      purged: true,
    });
    expect(purged.json().data.local_data).toMatchObject({ issues: 3, mrs: 2 });
    const after = footprint(api?.id as number);
    expect(
      Object.values(after.rows).every((n) => n === 0),
      JSON.stringify(after.rows),
    ).toBe(true);
    expect(after).toMatchObject({ notes: 0, indexed: after.documents, vectors: after.chunks, dirty: 0 });
    expect(after.chunks).toBeLessThan(before.chunks);
    expect(after.documents).toBeLessThan(before.documents);
    const left = query<{ n: number }>(home.dbPath, "SELECT COUNT(*) AS n FROM issues")[0]?.n;
    expect(left).toBe(2);
    const search = await robot("search", "login");
    expect(search.json().data.results.every((r: { project: string }) => r.project === "group/proj")).toBe(
      true,
    );
  });

  it("removes and purges in one go; refuses while a sync holds the lock, changing nothing", async () => {
    const [proj] = query<{ id: number }>(
      home.dbPath,
      "SELECT id FROM projects WHERE path_with_namespace = 'group/proj'",
    );
    const db = new Database(home.dbPath);
    const stamp = new Date().toISOString();
    db.prepare(
      "INSERT INTO sync_lock (id, owner, pid, hostname, run_id, acquired_at, heartbeat_at) VALUES (1, 'sync', ?, ?, NULL, ?, ?)",
    ).run(process.pid, hostname(), stamp, stamp);
    db.close();
    const original = configText();
    const locked = await lore("project", "remove", "group/proj", "--purge");
    expect(locked.code).toBe(9);
    expect(configText()).toBe(original);
    expect(footprint(proj?.id as number).rows.issues).toBe(2);
    const unlock = new Database(home.dbPath);
    unlock.prepare("DELETE FROM sync_lock").run();
    unlock.close();

    const both = await lore("project", "remove", "group/proj", "--purge");
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout).toMatch(
      /Removed group\/proj from the config and deleted its local data \(2 issues, 1 MR,/,
    );
    expect(configJson().projects).toEqual([{ path: "team/api" }]);
    expect(Object.values(footprint(proj?.id as number).rows).every((n) => n === 0)).toBe(true);

    const last = await lore("project", "remove", "team/api");
    expect(last.code).toBe(2);
    expect(last.stderr).toMatch(/team\/api is the only configured project/);
  });
});
