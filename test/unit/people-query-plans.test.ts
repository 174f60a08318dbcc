// Every statement behind who, file-history, trace and me must reach its rows through an index: a
// full scan of a large table here is a lost index (on a big mirror, seconds instead of
// milliseconds). The plan is SQLite's own EXPLAIN QUERY PLAN on the migrated schema.

import type { Statement } from "better-sqlite3";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { statements as fileHistory } from "../../src/code/file-history.js";
import { LINK_SOURCES } from "../../src/code/linked-issues.js";
import { migrate } from "../../src/db/migrate.js";
import type { Db } from "../../src/db/open.js";
import { statements as active } from "../../src/people/active.js";
import { statements as bots } from "../../src/people/bots.js";
import { statements as expert } from "../../src/people/expert.js";
import { statements as inbox } from "../../src/people/inbox.js";
import { threadStatements } from "../../src/people/items.js";
import { statements as me } from "../../src/people/me.js";
import { statements as overlap } from "../../src/people/overlap.js";
import { statements as reviews } from "../../src/people/reviews.js";
import { statements as workload } from "../../src/people/workload.js";

const db: Db = new Database(":memory:");
migrate(db);
afterAll(() => db.close());

const LARGE_TABLES = [
  "notes",
  "discussions",
  "merge_request_files",
  "merge_requests",
  "issues",
  "merge_request_reviewers",
  "issue_assignees",
  "issue_merge_request_links",
  "merge_request_closes_issues",
  "arrivals",
];

// Partial indexes hold only the rows a question wants (unresolved notes, DiffNotes, renamed
// files): reading one whole is the plan, not a lost index.
const PARTIAL_INDEXES = [
  "notes_unresolved",
  "notes_author_unresolved",
  "notes_position_new_path",
  "notes_position_old_path",
  "merge_request_files_old_path",
];

function isFullScan(line: string): boolean {
  const scan = LARGE_TABLES.some((table) => new RegExp(`^SCAN ${table}\\b`).test(line));
  const partial = PARTIAL_INDEXES.some((index) => line.includes(` INDEX ${index}`));
  return scan && !partial;
}

const NAMED = {
  exact: "src/a.ts",
  lo: "src/a.ts/",
  hi: "src/a.ts0",
  projects: "[1]",
  since: "",
  user: "alice",
  mention: "@alice",
  ids: "[1]",
  files: '["src/a.ts"]',
  project: 1,
  until: "\uffff",
  merged_only: 0,
  after: 0,
  from: "",
};

function planOf(statement: Statement): string[] {
  const source = statement.source;
  const explain = db.prepare(`EXPLAIN QUERY PLAN ${source}`);
  const positional = /\?/.test(source) ? Array.from(source.matchAll(/\?/g), () => "x") : [];
  const rows = (/@\w/.test(source) ? explain.all(NAMED) : explain.all(...positional)) as { detail: string }[];
  return rows.map((r) => r.detail);
}

const groups: Record<string, Record<string, Statement>> = {
  expert: expert(db),
  workload: workload(db),
  reviews: reviews(db),
  active: active(db),
  overlap: overlap(db),
  bots: bots(db),
  threads: threadStatements(db),
  "file-history": fileHistory(db),
  "linked-issues": Object.fromEntries(LINK_SOURCES(db).map((s, i) => [`${s.via}-${i}`, s.statement])),
  inbox: inbox(db),
  me: me(db),
};

describe.each(Object.entries(groups))("%s", (_group, statements) => {
  it.each(Object.entries(statements))("%s reads through indexes", (_name, statement) => {
    const plan = planOf(statement);
    expect(plan.filter(isFullScan), plan.join("\n")).toEqual([]);
  });
});

it("uses the indexes made for the path and user questions", () => {
  const plans = Object.values(groups).flatMap((statements) => Object.values(statements).flatMap(planOf));
  const text = plans.join("\n");
  for (const index of [
    "notes_position_new_path",
    "notes_position_old_path",
    "notes_unresolved",
    "notes_author_unresolved",
    "notes_created",
    "merge_request_files_new_path",
    "merge_request_files_old_path",
    "issue_merge_request_links_merge_request",
    "merge_requests_author_state",
    "merge_request_reviewers_username",
    "issue_assignees_username",
  ]) {
    expect(text, index).toContain(index);
  }
});
