// Every statement behind who, file-history, trace and me must reach its rows through an index: a
// full scan of a large table, or a walk over every MR of a project, is a lost index (on a big
// mirror, seconds instead of milliseconds). The plans are SQLite's own EXPLAIN QUERY PLAN on the
// migrated schema, taken twice: without statistics, as lore runs (it never runs ANALYZE), and with
// the statistics of a large mirror, in case someone does.

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
import { QUESTION_INDEXES } from "../support/question-indexes.js";

const ROWS: Record<string, number> = {
  notes: 1_000_000,
  discussions: 400_000,
  merge_request_files: 500_000,
  merge_requests: 100_000,
  issues: 100_000,
  merge_request_reviewers: 150_000,
  issue_assignees: 100_000,
  issue_merge_request_links: 100_000,
  merge_request_closes_issues: 50_000,
  entity_references: 600_000,
  arrivals: 1_000_000,
  projects: 10,
};

/** Statistics of a large mirror: a project or a state matches a large share, anything else a handful. */
function addLargeMirrorStatistics(db: Db): void {
  db.exec("ANALYZE");
  db.exec("DELETE FROM sqlite_stat1");
  const insert = db.prepare("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)");
  const indexes = db.prepare("SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index'").all() as {
    name: string;
    tbl_name: string;
  }[];
  for (const { name, tbl_name: table } of indexes) {
    const rows = ROWS[table];
    if (rows === undefined) continue;
    const columns = db.prepare(`PRAGMA index_info(${JSON.stringify(name)})`).all() as { name: string }[];
    const perValue = (column: string) =>
      column === "project_id" || column.endsWith("_project")
        ? rows / 10
        : column === "state" || column === "kind" || column.endsWith("_type")
          ? rows / 4
          : 5;
    let matching = rows;
    const stat = columns.map((column) => {
      matching = Math.max(1, Math.min(matching, perValue(column.name)));
      return matching;
    });
    insert.run(table, name, [rows, ...stat].join(" "));
  }
  for (const [table, rows] of Object.entries(ROWS)) insert.run(table, null, String(rows));
  db.exec("ANALYZE sqlite_schema");
}

const LARGE_TABLES = Object.keys(ROWS).filter((table) => table !== "projects");

// Partial indexes hold only the rows a question wants (unresolved notes, DiffNotes, renamed
// files): reading one whole is the plan, not a lost index.
const PARTIAL_INDEXES = [
  "notes_unresolved",
  "notes_author_unresolved",
  "notes_position_new_path",
  "notes_position_old_path",
  "merge_request_files_old_path",
];

// An index led by a column of two values (`lore notes` reads notes by (system, created_at)): a
// search on that column alone walks every user note of the mirror.
const WALKS = [/ INDEX notes_system_created \(system=\?\)/];

function isFullScan(line: string): boolean {
  if (WALKS.some((walk) => walk.test(line))) return true;
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

function planOf(db: Db, statement: Statement): string[] {
  const source = statement.source;
  const explain = db.prepare(`EXPLAIN QUERY PLAN ${source}`);
  const positional = /\?/.test(source) ? Array.from(source.matchAll(/\?/g), () => "x") : [];
  const rows = (/@\w/.test(source) ? explain.all(NAMED) : explain.all(...positional)) as { detail: string }[];
  return rows.map((r) => r.detail);
}

function statementsOf(db: Db): Record<string, Statement> {
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
  return Object.fromEntries(
    Object.entries(groups).flatMap(([group, statements]) =>
      Object.entries(statements).map(([name, statement]) => [`${group}.${name}`, statement]),
    ),
  );
}

const plain: Db = new Database(":memory:");
migrate(plain);
const analyzed: Db = new Database(":memory:");
migrate(analyzed);
addLargeMirrorStatistics(analyzed);
afterAll(() => {
  plain.close();
  analyzed.close();
});

describe.each([
  ["without statistics", plain],
  ["with a large mirror's statistics", analyzed],
])("%s", (_condition, db) => {
  const statements = Object.entries(statementsOf(db));

  it.each(statements)("%s reads through indexes", (_name, statement) => {
    const plan = planOf(db, statement);
    expect(plan.filter(isFullScan), plan.join("\n")).toEqual([]);
  });

  // A path question is led by the path: its ranges reach the path indexes, and no plan walks
  // every MR of a project to filter them by path.
  it.each(statements.filter(([, statement]) => statement.source.includes("new_path >= @lo")))(
    "%s looks paths up by range",
    (_name, statement) => {
      const plan = planOf(db, statement).join("\n");
      expect(plan).not.toMatch(/USING (COVERING )?INDEX \w+ \(project_id=\?\)/);
      if (statement.source.includes("FROM merge_request_files WHERE new_path >= @lo")) {
        expect(plan).toContain("merge_request_files_new_path (new_path>? AND new_path<?)");
        expect(plan).toContain("merge_request_files_old_path (old_path>? AND old_path<?)");
      }
      if (statement.source.includes("position_new_path >= @lo")) {
        expect(plan).toContain("notes_position_new_path (position_new_path>? AND position_new_path<?)");
      }
    },
  );

  // Trace's mentions: the MR's cross-references by their source, each named issue by its project.
  it("reads an MR's cross-references by their source", () => {
    const [mentions] = statements.filter(([, statement]) => statement.source.includes("entity_references"));
    expect(mentions).toBeDefined();
    const plan = planOf(db, (mentions as [string, Statement])[1]).join("\n");
    expect(plan).toContain(
      "USING INDEX entity_references_source (source_type=? AND source_project=? AND source_iid=?)",
    );
    expect(plan).toContain("projects_path_nocase");
  });

  it("uses every index made for the path and user questions", () => {
    const text = statements.flatMap(([, statement]) => planOf(db, statement)).join("\n");
    for (const index of QUESTION_INDEXES) {
      expect(text, index).toContain(index);
    }
  });
});
