// List benchmark: `lore issues` / `lore mrs` filters over a generated mirror (written through lore's
// own upserts), each timed with migration 014's indexes and — in the same run, inside a transaction
// that drops them and is rolled back — without them. Also the write cost of those indexes: the
// same ingest into a database with and without them.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Db, openDatabase } from "../src/db/open.js";
import type { GitLabIssue, GitLabMergeRequest } from "../src/gitlab/schemas.js";
import { upsertIssue } from "../src/ingestion/issues.js";
import { upsertMergeRequest } from "../src/ingestion/merge-requests.js";
import {
  countEntities,
  type EntityType,
  type ListFilters,
  type ListSort,
  listEntityRows,
} from "../src/read/list-entities.js";
import { upsertProject } from "../src/sync/projects.js";
import { prng } from "../test/support/generate.js";
import { percentile, QUICK, table, verdict } from "./harness.js";

const INDEXES_014 = [
  "issues_project_author",
  "merge_requests_project_author",
  "issues_project_milestone",
  "merge_requests_project_milestone",
  "merge_requests_project_target_branch",
  "merge_requests_project_source_branch",
  "issues_project_state_created",
  "merge_requests_project_state_created",
  "issues_project_state_due",
];

const PEOPLE_TABLES = ["issue_assignees", "merge_request_assignees", "merge_request_reviewers"];
const PEOPLE_TRIGGERS = [
  "issue_assignees_insert",
  "issue_assignees_update",
  "merge_request_people_insert",
  "merge_request_assignees_update",
  "merge_request_reviewers_update",
];

const user = (n: number) => ({ id: n + 10, username: `user${n}` });

function populate(db: Db, entities: number): number {
  const random = prng(16);
  const now = "2024-06-01T00:00:00.000Z";
  upsertProject(db, { id: 1, path_with_namespace: "group/proj", name: "proj" }, now);
  upsertProject(db, { id: 2, path_with_namespace: "group/other", name: "other" }, now);
  const started = performance.now();
  const batch = 1_000;
  for (let start = 0; start < entities; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(entities, start + batch); i++) {
        const isMr = i % 4 === 3;
        const project = i % 10 === 9 ? 2 : 1;
        const created = new Date(Date.parse("2020-01-01T00:00:00Z") + i * 600_000).toISOString();
        const updated = new Date(Date.parse(created) + Math.floor(random() * 400 * 86_400_000)).toISOString();
        const base = {
          id: i + 1,
          iid: i + 1,
          project_id: project,
          title: `Entity ${i} about ${random() < 0.01 ? "the Rate Limit" : "something"}`,
          description: `Body of ${i}`,
          state: random() < 0.8 ? (isMr && random() < 0.5 ? "merged" : "closed") : "opened",
          created_at: created,
          updated_at: updated,
          labels: [],
          author: user(Math.floor(random() * 200)),
          assignees: [user(Math.floor(random() * 200))],
          milestone:
            random() < 0.3
              ? { id: 1, iid: 1, title: `v${Math.floor(random() * 40)}.0`, state: "active" }
              : null,
          web_url: `https://gitlab.example.com/group/proj/-/${isMr ? "merge_requests" : "issues"}/${i + 1}`,
        };
        const times = { syncedAt: now, fetchedAt: now };
        if (isMr) {
          upsertMergeRequest(
            db,
            {
              ...base,
              draft: random() < 0.1,
              reviewers: [user(Math.floor(random() * 200))],
              source_branch: `feature-${i}`,
              target_branch: random() < 0.8 ? "main" : `release-${Math.floor(random() * 30)}`,
            } as unknown as GitLabMergeRequest,
            project,
            times,
          );
        } else {
          const due = random() < 0.2 ? updated.slice(0, 10) : null;
          upsertIssue(db, { ...base, due_date: due } as unknown as GitLabIssue, project, times);
        }
      }
    })();
  }
  return (performance.now() - started) / 1000;
}

function time(run: () => unknown): number {
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    run();
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return percentile(runs.slice(1), 50);
}

const CASES: [string, EntityType, ListFilters, ListSort?][] = [
  ["issues (default: open, by update)", "issue", { state: "opened" }],
  ["issues --sort created --asc", "issue", { state: "opened" }, { by: "created", ascending: true }],
  ["issues --author user7", "issue", { state: "opened", author: "user7" }],
  ["issues --milestone v3.0", "issue", { state: "opened", milestone: "v3.0" }],
  ["issues --due-before 2020-06-01", "issue", { state: "opened", dueBefore: "2020-06-01" }],
  ["issues --assignee user7", "issue", { state: "opened", assignee: "user7" }],
  ["issues --search 'rate limit'", "issue", { state: "all", search: "rate limit" }],
  ["mrs --target-branch release-3", "merge_request", { state: "opened", targetBranch: "release-3" }],
  ["mrs --source-branch feature-1003", "merge_request", { state: "all", sourceBranch: "feature-1003" }],
  ["mrs --reviewer user7 --no-draft", "merge_request", { state: "opened", reviewer: "user7", draft: false }],
];

export async function benchLists(): Promise<void> {
  const entities = QUICK ? 20_000 : 200_000;
  console.log(`\n## Lists and their filters (${entities} issues and MRs in 2 projects)\n`);
  const dir = mkdtempSync(join(tmpdir(), "lore-bench-lists-"));
  const db = openDatabase(join(dir, "lore.db"));
  const bare = openDatabase(join(dir, "bare.db"));
  try {
    // The baseline has neither the indexes nor the assignee/reviewer tables 014 adds.
    for (const index of INDEXES_014) bare.exec(`DROP INDEX ${index}`);
    for (const trigger of PEOPLE_TRIGGERS) bare.exec(`DROP TRIGGER ${trigger}`);
    for (const table of PEOPLE_TABLES) bare.exec(`DROP TABLE ${table}`);
    const ingestS = populate(db, entities);
    const bareS = populate(bare, entities);
    const jsonScan = time(() =>
      bare
        .prepare(
          `SELECT COUNT(*) FROM issues e WHERE project_id = 1 AND state = 'opened'
             AND EXISTS (SELECT 1 FROM json_each(e.assignees_json) WHERE lower(value) = lower('user7'))`,
        )
        .get(),
    );
    bare.close();
    const rows: (string | number)[][] = [];
    let worst = 0;
    for (const [name, type, filters, sort] of CASES) {
      const scoped = { ...filters, projectIds: [1] };
      const list = () => {
        const found = listEntityRows(db, type, scoped, 50, sort);
        if (found.length === 50) countEntities(db, type, scoped);
        return found;
      };
      const indexed = time(list);
      db.exec("BEGIN");
      for (const index of INDEXES_014) db.exec(`DROP INDEX ${index}`);
      const without = time(list);
      db.exec("ROLLBACK");
      worst = Math.max(worst, indexed);
      rows.push([name, list().length, indexed.toFixed(1), without.toFixed(1)]);
    }
    console.log(
      table(["list (-p group/proj, -n 50, with its count)", "rows", "ms", "ms without 014's indexes"], rows),
    );
    console.log(
      `baseline for --assignee before 014 (json_each over every open issue): ${jsonScan.toFixed(1)} ms`,
    );
    console.log("");
    console.log(
      table(
        ["ingest through lore's upserts", "figure"],
        [
          [
            "with migration 014 (indexes, people tables)",
            `${ingestS.toFixed(1)} s (${Math.round(entities / ingestS)}/s)`,
          ],
          ["without (baseline)", `${bareS.toFixed(1)} s (${Math.round(entities / bareS)}/s)`],
        ],
      ),
    );
    console.log("");
    console.log(`${verdict(worst < 100)}  slowest list ${worst.toFixed(1)} ms (target < 100 ms)`);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
