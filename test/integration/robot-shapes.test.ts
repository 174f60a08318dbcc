// Pins the robot `data` keys of each command (as gh pins its JSON fields): renaming or removing a
// field breaks this test, not a user's script. Adding one is fine — add it here too.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore, seedProject } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;

beforeAll(async () => {
  gl = await startFakeGitLab({ token: "glpat-shapes" });
  seedProject(gl, { issues: 2, mrs: 1 });
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
    expect(keys(issue.discussions[0])).toEqual(["id", "individual_note", "notes"]);
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
    expect(keys(issues[0])).toEqual([
      "author",
      "iid",
      "labels",
      "project",
      "state",
      "title",
      "updated_at",
      "web_url",
    ]);
    const mrs = (await lore("mrs", "--no-draft")).mrs;
    expect(keys(mrs[0])).toEqual([
      "author",
      "draft",
      "iid",
      "labels",
      "project",
      "state",
      "title",
      "updated_at",
      "web_url",
    ]);
    expect(keys(await lore("issues", "1", "--web"))).toEqual(["opened", "web_url"]);
  });

  it("lore search", async () => {
    const data = await lore("search", "login");
    expect(keys(data)).toEqual(["mode", "mode_reason", "query", "results", "warnings"]);
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

  it("lore doctor", async () => {
    const data = await lore("doctor");
    expect(keys(data)).toEqual(["checks"]);
    expect(keys(data.checks[0])).toEqual(["detail", "name", "ok"]);
  });
});
