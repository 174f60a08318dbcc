// Every list filter that narrows by a column has an index made for it: the plans name them.

import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.js";
import {
  type EntityType,
  type ListFilters,
  type ListSort,
  listEntitiesSql,
  listFilterSql,
} from "../../src/read/list-entities.js";

const db = new Database(":memory:");
migrate(db);

interface PlanRow {
  readonly parent: number;
  readonly detail: string;
}

function planRows(type: EntityType, filters: ListFilters, sort?: ListSort): PlanRow[] {
  const { sql, params } = listEntitiesSql(type, filters, 50, sort);
  return db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as PlanRow[];
}

function plan(type: EntityType, filters: ListFilters, sort?: ListSort): string {
  return planRows(type, filters, sort)
    .map((row) => row.detail)
    .join("\n");
}

/** The plan of the count a cut list's count line needs. */
function countPlan(type: EntityType, filters: ListFilters): string {
  const { where, params } = listFilterSql(type, filters);
  const table = type === "issue" ? "issues" : "merge_requests";
  return (
    db
      .prepare(`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM ${table} e WHERE ${where}`)
      .all(...params) as PlanRow[]
  )
    .map((row) => row.detail)
    .join("\n");
}

/** The outer query's steps (not the label subquery's). */
function outer(type: EntityType, filters: ListFilters, sort?: ListSort): string {
  return planRows(type, filters, sort)
    .filter((row) => row.parent === 0)
    .map((row) => row.detail)
    .join("\n");
}

describe("list query plans", () => {
  it.each([
    ["issue", { projectIds: [1], state: "opened" }, undefined, "issues_project_state_updated"],
    [
      "issue",
      { projectIds: [1], state: "opened" },
      { by: "created", ascending: false },
      "issues_project_state_created",
    ],
    [
      "merge_request",
      { projectIds: [1], state: "opened" },
      { by: "created", ascending: true },
      "merge_requests_project_state_created",
    ],
    ["issue", { projectIds: [1], state: "opened", milestone: "v1" }, undefined, "issues_project_milestone"],
    [
      "merge_request",
      { projectIds: [1], state: "opened", milestone: "v1" },
      undefined,
      "merge_requests_project_milestone",
    ],
    [
      "merge_request",
      { projectIds: [1], state: "opened", targetBranch: "main" },
      undefined,
      "merge_requests_project_target_branch",
    ],
    [
      "merge_request",
      { projectIds: [1], state: "opened", sourceBranch: "fix" },
      undefined,
      "merge_requests_project_source_branch",
    ],
    [
      "issue",
      { projectIds: [1], state: "opened", dueBefore: "2024-06-01" },
      undefined,
      "issues_project_state_due",
    ],
    ["issue", { projectIds: [1], state: "opened", author: "alice" }, undefined, "issues_project_author"],
    ["merge_request", { projectIds: [1, 2], author: "alice" }, undefined, "merge_requests_project_author"],
    ["issue", { projectIds: [1, 2], milestone: "v1" }, undefined, "issues_project_milestone"],
    [
      "merge_request",
      { projectIds: [1], targetBranch: "main", draft: true },
      undefined,
      "merge_requests_project_target_branch",
    ],
    ["issue", { projectIds: [1], state: "opened", assignee: "alice" }, undefined, "issue_assignees"],
    ["merge_request", { projectIds: [1], assignee: "alice" }, undefined, "merge_request_assignees"],
    [
      "merge_request",
      { projectIds: [1], state: "opened", reviewer: "bob" },
      undefined,
      "merge_request_reviewers",
    ],
  ] as const)("%s %o %o uses %s", (type, filters, sort, index) => {
    const text = plan(type, filters, sort);
    expect(text).toMatch(new RegExp(`(INDEX|SEARCH) ${index}\\b`));
    // Never a walk over the whole table.
    expect(text).not.toMatch(/^SCAN e\b/m);
  });

  it.each([
    ["issue", { projectIds: [1], state: "opened", author: "alice" }, "issues_project_author"],
    ["issue", { projectIds: [1], state: "opened", milestone: "v1" }, "issues_project_milestone"],
    [
      "merge_request",
      { projectIds: [1], state: "opened", targetBranch: "main" },
      "merge_requests_project_target_branch",
    ],
    [
      "merge_request",
      { projectIds: [1], state: "merged", sourceBranch: "fix" },
      "merge_requests_project_source_branch",
    ],
  ] as const)("counts %s %o with %s", (type, filters, index) => {
    expect(countPlan(type, filters)).toMatch(new RegExp(`INDEX ${index} \\(project_id=\\? AND \\w+=\\?\\)`));
  });

  it("reads a single project's default list in order, without sorting", () => {
    expect(outer("issue", { projectIds: [1], state: "opened" })).not.toContain("TEMP B-TREE");
    expect(outer("merge_request", { projectIds: [1], state: "opened", targetBranch: "main" })).not.toContain(
      "TEMP B-TREE",
    );
    expect(outer("merge_request", { projectIds: [1], author: "alice" })).not.toContain("TEMP B-TREE");
  });
});
