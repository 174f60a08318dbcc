// Pins the robot `data` keys of each command (as gh pins its JSON fields): renaming or removing a
// field breaks this test, not a user's script. Adding one is fine — add it here too.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FieldTypes } from "../../src/agent/fields.js";
import { ROBOT_COMMANDS, TYPES } from "../../src/agent/registry.js";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, type Json, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore, seedProject } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;

beforeAll(async () => {
  gl = await startFakeGitLab({ token: "glpat-shapes" });
  const { project, issues } = seedProject(gl, { issues: 2, mrs: 1 });
  // References the mirror does not hold, so the timeline's unresolved list has both shapes.
  gl.updateIssue(project, issues[0]?.iid as number, { description: "Blocked by #99." });
  gl.addDiscussion(issues[0] as Json, [{ body: "mentioned in commit 0123abcd", system: true }]);
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
    expect(keys(issues[0])).toEqual([
      "age_seconds",
      "author",
      "iid",
      "labels",
      "project",
      "state",
      "synced_at",
      "title",
      "updated_at",
      "web_url",
    ]);
    const mrs = (await lore("mrs", "--no-draft")).mrs;
    expect(keys(mrs[0])).toEqual([
      "age_seconds",
      "author",
      "draft",
      "iid",
      "labels",
      "project",
      "state",
      "synced_at",
      "title",
      "updated_at",
      "web_url",
    ]);
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
  });

  it("lore config, lore project list and lore completion", async () => {
    expect(keys(await lore("config", "path"))).toEqual(["config_path", "exists"]);
    expect(keys(await lore("config", "get", "gitlab.baseUrl"))).toEqual([
      "config_path",
      "key",
      "source",
      "value",
    ]);
    const all = await lore("config", "get");
    expect(keys(all)).toEqual(["config_path", "values"]);
    expect(keys(all.values[0])).toEqual(["key", "source", "value"]);
    expect(keys(await lore("config", "set", "gitlab.concurrency", "8"))).toEqual([
      "config_path",
      "key",
      "previous",
      "value",
    ]);
    const projects = await lore("project", "list");
    expect(keys(projects)).toEqual(["config_path", "projects"]);
    expect(keys(projects.projects[0])).toEqual([
      "configured",
      "documents",
      "embedded",
      "issues",
      "last_synced_at",
      "mrs",
      "project",
    ]);
    expect(keys(await lore("completion", "bash"))).toEqual(["script", "shell"]);
  });

  it("lore doctor", async () => {
    const data = await lore("doctor");
    expect(keys(data)).toEqual(["checks"]);
    expect(keys(data.checks[0])).toEqual(["detail", "name", "ok"]);
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
      "seeds",
      "unresolved_references",
      "warnings",
    ]);
    expect(keys(data.seeds[0])).toEqual(["entity_type", "iid", "project"]);
    expect(keys(data.entities[1])).toEqual([
      "depth",
      "entity_type",
      "iid",
      "project",
      "state",
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
      "system",
      "title",
      "type",
      "updated_at",
      "web_url",
    ]);
  });

  // The registry (what --fields, robot-docs and the MCP tools know) is exactly what the commands print.
  describe("the field registry matches the output", () => {
    const shape = (command: string, name: string) => {
      const found = ROBOT_COMMANDS[command]?.shapes[name];
      if (!found) throw new Error(`no shape ${command}/${name}`);
      return found;
    };
    const names = (types: FieldTypes | undefined) => Object.keys(types ?? {}).sort();

    it("issues and merge requests, listed and shown, with their nested types", async () => {
      await lore("sync");
      for (const [command, single] of [
        ["issues", "issue"],
        ["mrs", "mr"],
      ] as const) {
        const list = await lore(command, "--state", "all");
        expect(keys(list)).toEqual(names(shape(command, "list").data));
        for (const row of list[command])
          expect(keys(row)).toEqual(names(shape(command, "list").rows?.fields));
        const show = await lore(command, "1");
        expect(keys(show)).toEqual(names(shape(command, "show").data));
        const entity = show[single];
        expect(keys(entity)).toEqual(names(shape(command, "show").rows?.fields));
        expect(keys(entity.discussions[0])).toEqual(names(TYPES.discussion));
        expect(keys(entity.discussions[0].notes[0])).toEqual(names(TYPES.note));
        expect(keys(entity.events[0])).toEqual(names(TYPES.event));
        const links = command === "issues" ? entity.related_mrs : entity.closes_issues;
        expect(keys(links[0])).toEqual(names(TYPES.linked_item));
        if (command === "mrs") expect(keys(entity.changed_files[0])).toEqual(names(TYPES.changed_file));
      }
    });

    it("search, status, sync, doctor", async () => {
      const search = await lore("search", "login", "--explain");
      expect(keys(search)).toEqual(names(shape("search", "default").data));
      for (const row of search.results) {
        expect(keys(row)).toEqual(names(shape("search", "default").rows?.fields));
        expect(keys(row.explain)).toEqual(names(TYPES.explain));
      }
      const status = await lore("status");
      expect(keys(status)).toEqual(names(shape("status", "default").data));
      expect(keys(status.projects[0])).toEqual(names(shape("status", "default").rows?.fields));
      expect(keys(status.runs[0])).toEqual(names(TYPES.run));
      const incremental = await lore("sync");
      expect(keys({ ...incremental, recovery: null })).toEqual(names(shape("sync", "incremental").data));
      expect(keys(incremental.projects[0])).toEqual(names(TYPES.sync_project));
      const surgical = await lore("sync", "--issue", "1");
      expect(keys(surgical)).toEqual(names(shape("sync", "surgical").data));
      expect(keys(surgical.entities[0])).toEqual(names(TYPES.surgical_entity));
      const doctor = await lore("doctor");
      expect(keys(doctor)).toEqual(names(shape("doctor", "default").data));
      expect(keys(doctor.checks[0])).toEqual(names(TYPES.check));
      const embed = await lore("embed");
      expect(keys({ ...embed, elapsed_ms: 0 })).toEqual(names(shape("embed", "default").data));
    });
  });
});
