// --search: a case-insensitive substring of the title or description, whatever the alphabet, with
// LIKE's wildcards taken literally.

import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.js";
import type { GitLabIssue } from "../../src/gitlab/schemas.js";
import { upsertIssue } from "../../src/ingestion/issues.js";
import { countEntities, listEntities } from "../../src/read/list-entities.js";
import { upsertProject } from "../../src/sync/projects.js";

const db = new Database(":memory:");
migrate(db);
const now = "2024-06-01T00:00:00.000Z";
upsertProject(db, { id: 1, path_with_namespace: "group/proj", name: "proj" }, now);
const titles = [
  "Progress stuck at 100%",
  "snake_case names",
  "Crash in the ÉDITEUR",
  "Rate limit hit",
  "plain",
];
titles.forEach((title, i) => {
  upsertIssue(
    db,
    {
      id: i + 1,
      iid: i + 1,
      project_id: 1,
      title,
      description: i === 4 ? "Mentions the RATE LIMIT too" : null,
      state: "opened",
      created_at: now,
      updated_at: now,
      labels: [],
      web_url: `https://gitlab.example.com/group/proj/-/issues/${i + 1}`,
    } as unknown as GitLabIssue,
    1,
    { syncedAt: now, fetchedAt: now },
  );
});

describe("--search", () => {
  it.each([
    ["rate limit", [4, 5]],
    ["0%", [1]],
    ["%", [1]],
    ["e_c", [2]],
    ["_", [2]],
    ["éditeur", [3]],
    ["ÉDITEUR", [3]],
    ["nothing like it", []],
  ])("%j finds %j", (search, iids) => {
    const found = listEntities(db, "issue", { projectIds: [1], search }, 50, { by: "iid", ascending: true });
    expect(found.map((f) => f.iid)).toEqual(iids);
    expect(countEntities(db, "issue", { projectIds: [1], search })).toBe(iids.length);
  });
});
