// Pins the robot `data` keys of each command (as gh pins its JSON fields): renaming or removing a
// field breaks this test, not a user's script. Adding one is fine — add it here too.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, type Json, startFakeGitLab } from "../support/fake-gitlab.js";
import { ISSUE_ROW_KEYS, MR_ROW_KEYS } from "../support/pinned-rows.js";
import { registryMismatches } from "../support/registry-shapes.js";
import { configureLore, seedProject } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;

beforeAll(async () => {
  gl = await startFakeGitLab({ token: "glpat-shapes" });
  const { project, issues, mrs } = seedProject(gl, { issues: 2, mrs: 1 });
  // References the mirror does not hold, so the timeline's unresolved list has both shapes.
  gl.updateIssue(project, issues[0]?.iid as number, { description: "Blocked by #99." });
  gl.addDiscussion(issues[0] as Json, [{ body: "mentioned in commit 0123abcd", system: true }]);
  // So that every list of the people and code answers has rows: alice has an assigned issue, her
  // MR !1 (which renamed a file) has an unresolved DiffNote thread she answered, and bob's MR !2
  // waits for her review.
  const [alice, bob] = [gl.user("alice"), gl.user("bob")];
  gl.updateIssue(project, 1, { assignees: [alice] });
  const file = (path: string, from = path) => ({
    old_path: from,
    new_path: path,
    new_file: false,
    renamed_file: from !== path,
    deleted_file: false,
  });
  const first = mrs[0] as Json;
  gl.setDiffs(first, [file("src/login.ts"), file("src/sso.ts", "src/old-sso.ts")]);
  const position = gl.diffPosition({ new_path: "src/login.ts", new_line: 10 });
  gl.addDiscussion(first, [
    {
      body: "Is this @alice's intent?",
      author: bob,
      type: "DiffNote",
      position,
      resolvable: true,
      resolved: false,
    },
    { body: "Yes.", author: alice, type: "DiffNote", position, resolvable: true, resolved: false },
  ]);
  const second = gl.addMergeRequest(project, { title: "Session cookies", author: bob, reviewers: [alice] });
  gl.setDiffs(second, [file("src/login.ts")]);
  home = makeTempHome();
  await configureLore(home, gl);
});
afterAll(async () => {
  await gl.close();
  home.cleanup();
});

const lore = async (...args: string[]) => {
  const result = await runLore(["--robot", ...args], { env: { ...home.env, GITLAB_TOKEN: "glpat-shapes" } });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return result.json().data;
};

/** The key names of one object (nested objects are pinned by their own assertions). */
const keys = (value: unknown) => Object.keys(value as object).sort();

describe("robot data shapes", () => {
  it("lore sync (incremental and full)", async () => {
    for (const mode of [[], ["--full"]]) {
      const data = await lore("sync", ...mode);
      expect(keys(data)).toEqual([
        "docs_embedded",
        "docs_regenerated",
        "mode",
        "projects",
        "requests",
        "retries",
        "run_id",
        "status",
        "warnings",
      ]);
      expect(keys(data.projects[0])).toEqual([
        "discussions_fetched",
        "events_fetched",
        "ingest_ms",
        "issues_deleted",
        "issues_fetched",
        "issues_ingested",
        "mrs_deleted",
        "mrs_fetched",
        "mrs_ingested",
        "notes_upserted",
        "project",
        "skipped_stale",
      ]);
    }
  });

  it("lore sync (surgical)", async () => {
    const data = await lore("sync", "--issue", "1");
    expect(keys(data)).toEqual([
      "counters",
      "dry_run",
      "entities",
      "mode",
      "project",
      "requested",
      "requests",
      "run_id",
      "stages",
      "status",
      "warnings",
    ]);
    expect(keys(data.counters)).toEqual([
      "discussions_fetched",
      "docs_embedded",
      "docs_regenerated",
      "events_fetched",
      "issues_fetched",
      "issues_ingested",
      "mrs_fetched",
      "mrs_ingested",
      "notes_upserted",
      "skipped_stale",
    ]);
    expect(keys(data.entities[0])).toEqual([
      "changed",
      "entity_type",
      "iid",
      "local_updated_at",
      "status",
      "title",
      "updated_at",
      "web_url",
    ]);
    expect(keys(data.stages[0])).toEqual(["elapsed_ms", "name"]);
    expect(keys(data.requested)).toEqual(["issues", "mrs"]);
  });

  it("lore status", async () => {
    const data = await lore("status");
    expect(keys(data)).toEqual([
      "config_path",
      "config_present",
      "db_exists",
      "db_path",
      "projects",
      "runs",
      "schema_version",
    ]);
    expect(keys(data.projects[0])).toEqual([
      "cursors",
      "dirty",
      "discussions",
      "documents",
      "embedded",
      "issues",
      "last_synced_at",
      "mrs",
      "notes",
      "project",
      "project_id",
    ]);
    expect(keys(data.runs[0])).toEqual([
      "cancelled_at",
      "counters",
      "error",
      "finished_at",
      "mode",
      "phase",
      "projects",
      "requested",
      "run_id",
      "started_at",
      "status",
      "warnings",
    ]);
  });

  it("lore issues IID and lore mrs IID", async () => {
    const issue = (await lore("issues", "1")).issue;
    for (const key of ["iid", "title", "state", "author", "labels", "description", "web_url", "project"]) {
      expect(issue).toHaveProperty(key);
    }
    expect(keys(issue.discussions[0])).toEqual([
      "age_seconds",
      "id",
      "individual_note",
      "notes",
      "synced_at",
    ]);
    expect(keys(issue.discussions[0].notes[0])).toEqual([
      "author",
      "body",
      "created_at",
      "id",
      "position",
      "resolvable",
      "resolved",
      "system",
      "type",
      "updated_at",
    ]);
    expect(keys(issue.events[0])).toEqual([
      "action",
      "created_at",
      "id",
      "kind",
      "label",
      "milestone",
      "state",
      "user",
    ]);
    expect(keys(issue.related_mrs[0])).toEqual(["iid", "project", "state", "title", "web_url"]);
    expect(keys(issue.closed_by[0])).toEqual(["iid", "project", "state", "title", "web_url"]);
    const mr = (await lore("mrs", "1")).mr;
    expect(keys(mr.closes_issues[0])).toEqual(["iid", "project", "state", "title", "web_url"]);
    expect(keys(mr.changed_files[0])).toEqual([
      "deleted_file",
      "new_file",
      "new_path",
      "old_path",
      "renamed_file",
    ]);
  });

  it("lore issues and lore mrs lists (unchanged by the list filters), and --web", async () => {
    const issues = (await lore("issues", "--state", "all", "--sort", "iid")).issues;
    expect(keys(issues[0])).toEqual(ISSUE_ROW_KEYS);
    const mrs = (await lore("mrs", "--no-draft")).mrs;
    expect(keys(mrs[0])).toEqual(MR_ROW_KEYS);
    expect(keys(await lore("issues", "1", "--web"))).toEqual(["opened", "web_url"]);
  });

  it("lore search", async () => {
    const data = await lore("search", "login");
    expect(keys(data)).toEqual([
      "matched_all_terms",
      "mode",
      "mode_reason",
      "pending",
      "query",
      "query_terms",
      "results",
      "warnings",
    ]);
    expect(keys(data.pending)).toEqual(["actions", "documents_pending", "synced"]);
    for (const key of [
      "document_id",
      "source_type",
      "project",
      "iid",
      "title",
      "web_url",
      "score",
      "snippet",
      "state",
      "updated_at",
    ]) {
      expect(data.results[0]).toHaveProperty(key);
    }
  });

  it("lore init", async () => {
    const data = await lore(
      "init",
      "--gitlab-url",
      gl.url,
      "--project",
      "group/proj",
      "--embedding-provider",
      "none",
      "--force",
    );
    expect(keys(data)).toEqual([
      "config_path",
      "db_path",
      "embedding_actions",
      "embedding_probe",
      "embedding_provider",
      "gitlab_url",
      "projects",
      "token_env",
      "token_present",
      "username",
      "warnings",
    ]);
    expect(registryMismatches("init", "default", data)).toEqual([]);
  });

  it("lore timeline", async () => {
    const data = await lore("timeline", "issue:1");
    expect(keys(data)).toEqual([
      "entities",
      "events",
      "omitted_entities",
      "omitted_events",
      "omitted_unresolved_references",
      "query",
      "refreshed",
      "seeds",
      "stale",
      "unresolved_references",
      "warnings",
    ]);
    expect(keys(data.seeds[0])).toEqual(["entity_type", "iid", "project"]);
    expect(keys(data.entities[1])).toEqual([
      "age_seconds",
      "depth",
      "entity_type",
      "iid",
      "project",
      "state",
      "synced_at",
      "title",
      "via",
      "web_url",
    ]);
    expect(keys(data.events[0])).toEqual([
      "actor",
      "at",
      "entity_type",
      "iid",
      "kind",
      "project",
      "summary",
      "url",
    ]);
    expect(data.unresolved_references.map(keys)).toEqual([
      ["entity_type", "iid", "project", "sha"],
      ["entity_type", "iid", "project"],
    ]);
  });

  it("lore notes", async () => {
    const data = await lore("notes");
    expect(keys(data)).toEqual(["notes", "omitted_notes"]);
    expect(keys(data.notes[0])).toEqual([
      "age_seconds",
      "author",
      "body",
      "created_at",
      "discussion_id",
      "entity_type",
      "id",
      "iid",
      "position",
      "project",
      "resolvable",
      "resolved",
      "synced_at",
      "system",
      "title",
      "type",
      "updated_at",
      "web_url",
    ]);
  });

  // The registry (what --fields, robot-docs and the MCP tools know) is exactly what the commands print:
  // every key, no other, each value of the type written, nested types and --fields rows included.
  describe("the field registry matches the output", () => {
    const matches = async (command: string, shape: string, ...args: string[]) => {
      const data = await lore(command, ...args);
      expect(registryMismatches(command, shape, data), `${command} ${args.join(" ")}`).toEqual([]);
      return data;
    };

    it("issues and merge requests, listed, shown and --web", async () => {
      for (const [command, single] of [
        ["issues", "issue"],
        ["mrs", "mr"],
      ] as const) {
        expect((await matches(command, "list", "--state", "all"))[command].length).toBeGreaterThan(0);
        const entity = (await matches(command, "show", "1"))[single];
        expect(entity.discussions.length).toBeGreaterThan(0);
        expect(entity.events.length).toBeGreaterThan(0);
        expect((command === "issues" ? entity.related_mrs : entity.closes_issues).length).toBeGreaterThan(0);
        await matches(command, "web", "1", "--web");
      }
      expect((await lore("mrs", "1")).mr.changed_files.length).toBeGreaterThan(0);
    });

    it("search, status, sync, doctor, embed", async () => {
      const explained = await matches("search", "default", "login", "--explain");
      expect(explained.results[0].explain).toBeDefined();
      await matches("search", "default", "login");
      expect((await matches("status", "default")).runs.length).toBeGreaterThan(0);
      await matches("sync", "incremental");
      expect((await matches("sync", "surgical", "--issue", "1")).entities.length).toBe(1);
      await matches("doctor", "default");
      await matches("embed", "default");
    });

    it("timeline and notes (lore related: retrieval.test.ts)", async () => {
      const timeline = await matches("timeline", "default", "issue:1", "--depth", "2");
      for (const list of ["entities", "events", "unresolved_references"])
        expect(timeline[list].length, list).toBeGreaterThan(1);
      const notes = await matches("notes", "default", "--type", "all");
      expect(notes.notes.some((n: { position: unknown }) => n.position !== null)).toBe(true);
    });

    it("who in each mode, file-history, trace and me", async () => {
      const experts = await matches("who", "expert", "src/", "--explain");
      expect(experts.experts[0].contributions.length).toBeGreaterThan(0);
      const workload = await matches("who", "workload", "@alice");
      for (const list of ["assigned_issues", "authored_mrs", "review_requests", "unresolved_discussions"])
        expect(workload[list].length, list).toBeGreaterThan(0);
      const reviews = await matches("who", "reviews", "@alice", "--reviews");
      expect(reviews.recent_mrs.length).toBeGreaterThan(0);
      expect(reviews.top_paths.length).toBeGreaterThan(0);
      expect((await matches("who", "active", "--active")).discussions.length).toBeGreaterThan(0);
      expect((await matches("who", "overlap", "--overlap", "src/login.ts")).users.length).toBeGreaterThan(0);

      const history = await matches("file-history", "default", "src/sso.ts", "--discussions");
      expect(history.renames.length).toBeGreaterThan(0);
      const login = await matches("file-history", "default", "src/login.ts", "--discussions");
      expect(login.merge_requests.some((m: { discussions: unknown[] }) => m.discussions.length > 0)).toBe(
        true,
      );
      await matches("file-history", "default", "src/login.ts");

      const trace = await matches("trace", "default", "src/login.ts:10", "--discussions");
      const chain = trace.chains.find((c: { discussions: unknown[] }) => c.discussions.length > 0);
      expect(chain.issues.length).toBeGreaterThan(0);
      expect(chain.discussions[0].notes.length).toBe(2);
      await matches("trace", "default", "src/login.ts");

      const me = await matches("me", "default", "--user", "alice", "--since", "2000-01-01");
      for (const list of ["assigned_issues", "authored_mrs", "review_requests", "inbox"])
        expect(me[list].length, list).toBeGreaterThan(0);
    });

    it("robot-docs, config, project and completion", async () => {
      await matches("robot-docs", "default");
      await matches("config", "get", "get", "gitlab.baseUrl");
      await matches("config", "get_all", "get");
      await matches("config", "set", "set", "gitlab.concurrency", "8");
      await matches("config", "set", "unset", "gitlab.concurrency");
      await matches("config", "path", "path");
      await matches("project", "list", "list");
      await matches("project", "add", "add", "group/other", "--no-verify");
      await matches("project", "remove", "remove", "group/other");
      await matches("completion", "script", "bash");
      await matches("completion", "projects", "--list-projects");
    });
  });
});
