// People and code benchmark: a mirror of 100,000 issues and 25,000 MRs written through lore's own
// ingestion — changed files from a tree of 30,000 paths (hot files and a long tail, renames),
// reviewers, assignees, DiffNotes on the MRs' files, unresolved threads — then `who PATH`,
// `who @user`, `file-history` and `trace` latency. The baseline is the same queries in the same
// run with migration 009's indexes dropped (inside a transaction that is rolled back), which is
// what reading GitLab's JSON per row costs.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileHistory } from "../src/code/file-history.js";
import { parsePathQuery } from "../src/code/path-query.js";
import { parseTraceTarget, trace } from "../src/code/trace.js";
import { type Db, openDatabase } from "../src/db/open.js";
import type {
  GitLabClosesIssue,
  GitLabDiffFile,
  GitLabDiscussion,
  GitLabIssue,
  GitLabMergeRequest,
  GitLabNote,
} from "../src/gitlab/schemas.js";
import { upsertIssue } from "../src/ingestion/issues.js";
import { upsertMergeRequest } from "../src/ingestion/merge-requests.js";
import { findExperts } from "../src/people/expert.js";
import { userWorkload } from "../src/people/workload.js";
import { storeDependents } from "../src/sync/dependents.js";
import { upsertProject } from "../src/sync/projects.js";
import { codePaths, prng, skewedIndex } from "../test/support/generate.js";
import { QUESTION_INDEXES } from "../test/support/question-indexes.js";
import { initLore, lore, percentile, QUICK, table, tempHome, verdict } from "./harness.js";

export interface Scale {
  readonly issues: number;
  readonly mrs: number;
  readonly paths: number;
  readonly people: number;
}

const START = Date.parse("2021-01-01T00:00:00Z");
const SPAN = Date.parse("2025-01-01T00:00:00Z") - START;
const NOW = START + SPAN;
const WEB = "https://gitlab.example.com/group/proj/-";

export interface Mirror {
  readonly people: string[];
  readonly touched: Map<string, number>;
  readonly renamed: string[];
  readonly diffNotes: number;
  readonly notes: number;
}

export function populate(db: Db, scale: Scale): Mirror {
  const random = prng(14);
  // Cross-references (trace's mentions) draw from their own sequence: the rest stays as it was.
  const mentions = prng(15);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const people = Array.from({ length: scale.people }, (_, i) => `user${i}`);
  const bots = ["renovate-bot", "project_12_bot_4f2a", "ghost"];
  /** A person by activity: a few do most of the work. */
  const someone = () =>
    random() < 0.02 ? pick(bots) : (people[skewedIndex(random, people.length)] as string);
  const user = (username: string) => ({ id: 1, username, name: username });
  const paths = codePaths(random, scale.paths);
  const touched = new Map<string, number>();
  const renamed: string[] = [];
  const now = new Date(NOW).toISOString();
  const times = { syncedAt: now, fetchedAt: now };
  const empty = { stateEvents: [], labelEvents: [], milestoneEvents: [] };
  upsertProject(db, { id: 1, path_with_namespace: "group/proj", name: "proj" }, now);
  let noteId = 1;
  let diffNotes = 0;
  const issueTitles: GitLabClosesIssue[] = [];

  const note = (author: string, at: string, body: string, extra: Partial<GitLabNote> = {}): GitLabNote => ({
    id: noteId++,
    body,
    author: user(author),
    created_at: at,
    updated_at: at,
    system: false,
    ...extra,
  });
  const body = () => (random() < 0.15 ? `@${someone()} could you look at this?` : "Looks reasonable to me.");

  const total = scale.issues + scale.mrs;
  const batch = 1_000;
  for (let start = 0; start < total; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(total, start + batch); i++) {
        const at = (offset = 0) => new Date(START + (SPAN * i) / total + offset).toISOString();
        // Issues and MRs interleave over the four years: one MR after every four issues.
        const isMr = i % 5 === 4 && Math.floor(i / 5) < scale.mrs;
        if (!isMr) {
          const iid = i + 1;
          const state = random() < 0.7 ? "closed" : "opened";
          const issue = {
            id: iid,
            iid,
            project_id: 1,
            title: `Issue ${iid}`,
            description: random() < 0.1 ? `Reported for @${someone()}` : "Steps to reproduce.",
            state,
            created_at: at(),
            updated_at: at(3_600_000),
            author: user(someone()),
            assignees: random() < 0.6 ? [user(someone()), ...(random() < 0.15 ? [user(someone())] : [])] : [],
            web_url: `${WEB}/issues/${iid}`,
          } as GitLabIssue;
          upsertIssue(db, issue, 1, times);
          issueTitles.push({
            id: iid,
            iid,
            project_id: 1,
            title: issue.title,
            state,
            web_url: issue.web_url,
          });
          const discussions: GitLabDiscussion[] = Array.from(
            { length: Math.floor(random() * 3) },
            (_, t) => ({
              id: `i${iid}-${t}`,
              individual_note: true,
              notes: [note(someone(), at(60_000 * (t + 1)), body())],
            }),
          );
          // GitLab's notes on an issue that an MR mentions it, or was created from it.
          const said = mentions();
          if (said < 0.2) {
            const mrIid = 1 + Math.floor(mentions() * scale.mrs);
            const text =
              said < 0.02
                ? `created merge request !${mrIid} to address this issue`
                : `mentioned in merge request !${mrIid}`;
            discussions.push({
              id: `i${iid}-x`,
              individual_note: true,
              notes: [
                note(people[Math.floor(mentions() * people.length)] as string, at(120_000), text, {
                  system: true,
                }),
              ],
            });
          }
          storeDependents(
            db,
            { type: "issue", id: iid, projectId: 1 },
            { type: "issue", discussions, ...empty, relatedMergeRequests: [], closedBy: [] },
            now,
            issue,
          );
          continue;
        }
        const iid = Math.floor(i / 5) + 1;
        const id = 1_000_000 + iid;
        const roll = random();
        const state = roll < 0.7 ? "merged" : roll < 0.9 ? "opened" : "closed";
        const author = someone();
        const reviewers = Array.from({ length: Math.floor(random() * 3) }, () => user(someone())).filter(
          (r) => r.username !== author,
        );
        // Files: most picked across the whole tree, some from the hot few; a few renamed.
        const files: GitLabDiffFile[] = [];
        const count = 1 + Math.floor(random() ** 2 * 12);
        for (let f = 0; f < count; f++) {
          const index =
            random() < 0.6 ? Math.floor(random() * paths.length) : skewedIndex(random, paths.length);
          const path = paths[index] as string;
          if (files.some((x) => x.new_path === path)) continue;
          if (state === "merged" && random() < 0.02) {
            const slash = path.lastIndexOf("/");
            const next = `${path.slice(0, slash)}/renamed_${iid}_${path.slice(slash + 1)}`;
            paths[index] = next;
            renamed.push(next);
            files.push({
              old_path: path,
              new_path: next,
              new_file: false,
              renamed_file: true,
              deleted_file: false,
            });
            touched.set(next, (touched.get(next) ?? 0) + 1);
          } else {
            files.push({
              old_path: path,
              new_path: path,
              new_file: false,
              renamed_file: false,
              deleted_file: false,
            });
          }
          touched.set(path, (touched.get(path) ?? 0) + 1);
        }
        const mr = {
          id,
          iid,
          project_id: 1,
          title: `MR ${iid}`,
          description:
            mentions() < 0.4 && issueTitles.length > 0
              ? `Fixes the thing; see #${(issueTitles[Math.floor(mentions() * issueTitles.length)] as GitLabClosesIssue).iid} and group/other#${iid}.`
              : "Fixes the thing.",
          state,
          draft: state === "opened" && random() < 0.1,
          created_at: at(),
          updated_at: at(86_400_000),
          merged_at: state === "merged" ? at(86_400_000) : null,
          author: user(author),
          reviewers,
          web_url: `${WEB}/merge_requests/${iid}`,
        } as GitLabMergeRequest;
        upsertMergeRequest(db, mr, 1, times);
        const discussions: GitLabDiscussion[] = Array.from({ length: Math.floor(random() * 8) }, (_, t) => {
          const file = random() < 0.4 ? pick(files) : undefined;
          const unresolved = state === "opened" && random() < 0.3;
          const size = 1 + Math.floor(random() * 4);
          const line = 1 + Math.floor(random() * 400);
          if (file) diffNotes += size;
          return {
            id: `m${iid}-${t}`,
            individual_note: false,
            notes: Array.from({ length: size }, (_, n) =>
              note(
                n === 0 && reviewers[0] ? reviewers[0].username : someone(),
                at(3_600_000 * (t + n + 1)),
                body(),
                {
                  resolvable: true,
                  resolved: !unresolved,
                  ...(file
                    ? {
                        type: "DiffNote",
                        position: {
                          base_sha: "a",
                          start_sha: "b",
                          head_sha: "c",
                          old_path: file.old_path,
                          new_path: file.new_path,
                          position_type: "text",
                          new_line: line,
                          old_line: null,
                        },
                      }
                    : { type: "DiscussionNote" }),
                },
              ),
            ),
          };
        });
        const closes = random() < 0.5 && issueTitles.length > 0 ? [pick(issueTitles)] : [];
        storeDependents(
          db,
          { type: "merge_request", id, projectId: 1 },
          { type: "merge_request", discussions, ...empty, closesIssues: closes, changedFiles: files },
          now,
          mr,
        );
      }
    })();
  }
  return { people, touched, renamed, diffNotes, notes: noteId - 1 };
}

interface Timing {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/** Each query `runs` times (the first run, warming the cache, not counted when runs > 1). */
function time(queries: readonly (() => unknown)[], runs: number): Timing {
  const timings: number[] = [];
  for (const query of queries) {
    for (let r = 0; r < runs; r++) {
      const started = performance.now();
      query();
      if (runs === 1 || r > 0) timings.push(performance.now() - started);
    }
  }
  timings.sort((a, b) => a - b);
  return { p50: percentile(timings, 50), p95: percentile(timings, 95), max: timings.at(-1) ?? 0 };
}

/** Runs `work` with migration 009's indexes gone, then puts them back. */
function withoutIndexes<T>(db: Db, work: () => T): T {
  db.exec("BEGIN");
  try {
    for (const index of QUESTION_INDEXES) db.exec(`DROP INDEX ${index}`);
    return work();
  } finally {
    db.exec("ROLLBACK");
  }
}

export async function benchPeople(): Promise<void> {
  const scale: Scale = QUICK
    ? { issues: 10_000, mrs: 2_500, paths: 3_000, people: 60 }
    : { issues: 100_000, mrs: 25_000, paths: 30_000, people: 300 };
  console.log(
    `\n## People and code (${scale.issues} issues, ${scale.mrs} MRs, a tree of ${scale.paths} paths, ${scale.people} people)\n`,
  );
  const dir = mkdtempSync(join(tmpdir(), "lore-bench-people-"));
  const dbPath = join(dir, "lore.db");
  const db = openDatabase(dbPath);
  const home = tempHome();
  try {
    const started = performance.now();
    const mirror = populate(db, scale);
    const ingestS = (performance.now() - started) / 1000;
    const random = prng(99);
    const byUse = [...mirror.touched].sort((a, b) => b[1] - a[1]).map(([path]) => path);
    const hot = byUse.slice(0, 4);
    const tail = Array.from(
      { length: 6 },
      () => byUse[Math.floor(byUse.length / 2 + random() * (byUse.length / 2))] as string,
    );
    const dirs = [...new Set(byUse.slice(0, 200).map((p) => p.slice(0, p.lastIndexOf("/") + 1)))].slice(0, 4);
    const roots = ["src/", "app/"];
    const files = [...hot, ...tail, ...mirror.renamed.slice(0, 4)];
    const active = mirror.people.slice(0, 5);
    const typical = mirror.people.slice(
      Math.floor(mirror.people.length / 2),
      Math.floor(mirror.people.length / 2) + 5,
    );
    const scope = { projectIds: [1], limit: 50 };

    const questions = {
      "who PATH": {
        target: 100,
        queries: [...files, ...dirs, ...roots].map(
          (p) => () =>
            findExperts(db, {
              ...scope,
              path: parsePathQuery(p),
              halfLifeDays: 180,
              includeBots: false,
              explain: false,
              now: NOW,
            }),
        ),
      },
      "who @user": {
        target: 50,
        queries: [...active, ...typical].map(
          (u) => () => userWorkload(db, { ...scope, username: u, now: NOW }),
        ),
      },
      "file-history": {
        target: 50,
        queries: files.map(
          (p) => () =>
            fileHistory(db, {
              ...scope,
              path: parsePathQuery(p),
              followRenames: true,
              mergedOnly: false,
              discussions: false,
              now: NOW,
            }),
        ),
      },
      trace: {
        target: 150,
        queries: files.map(
          (p) => () =>
            trace(db, {
              ...scope,
              target: parseTraceTarget(`${p}:120`),
              fullThreads: false,
              limit: 20,
              now: NOW,
            }),
        ),
      },
    };
    const rows: (string | number)[][] = [];
    const verdicts: string[] = [];
    for (const [name, q] of Object.entries(questions)) {
      const indexed = time(q.queries, 7);
      const unindexed = withoutIndexes(db, () => time(q.queries, 1));
      rows.push([
        name,
        q.queries.length,
        indexed.p50.toFixed(1),
        indexed.p95.toFixed(1),
        indexed.max.toFixed(1),
        unindexed.p50.toFixed(1),
        `${Math.round(unindexed.p50 / Math.max(indexed.p50, 0.01))}×`,
      ]);
      verdicts.push(
        `${verdict(indexed.p50 <= q.target)}  ${name} p50 ${indexed.p50.toFixed(1)} ms (target ≤ ${q.target} ms; unindexed ${unindexed.p50.toFixed(0)} ms)`,
      );
    }

    // The same question end to end: process start, config, database open and the answer.
    await initLore("http://127.0.0.1:9", home);
    const cli: number[] = [];
    for (const path of [hot[0], dirs[0], files.at(-1)].filter((p): p is string => p !== undefined)) {
      for (let r = 0; r < 3; r++) {
        const run = await lore(["--robot", "who", path], { ...home.env, LORE_DB_PATH: dbPath });
        if (run.code !== 0) throw new Error(`lore who failed: ${run.stdout}${run.stderr}`);
        if (r > 0) cli.push(run.ms);
      }
    }
    cli.sort((a, b) => a - b);
    const fileRows = db
      .prepare("SELECT COUNT(*) AS n, COUNT(DISTINCT new_path) AS d FROM merge_request_files")
      .get() as {
      n: number;
      d: number;
    };

    console.log(
      table(
        ["mirror", "figure"],
        [
          ["ingest through lore's upserts", `${ingestS.toFixed(1)} s`],
          ["changed-file rows / distinct paths", `${fileRows.n} / ${fileRows.d}`],
          ["notes / DiffNotes", `${mirror.notes} / ${mirror.diffNotes}`],
          ["renamed files", String(mirror.renamed.length)],
          ["cross-references", String(db.prepare("SELECT COUNT(*) FROM entity_references").pluck().get())],
        ],
      ),
    );
    console.log("");
    console.log(
      "Queries: who PATH over 4 hot files, 6 long-tail files, 4 renamed files, 4 directories and 2 roots;\n" +
        "who @user over the 5 most active and 5 typical people; file-history and trace over the 14 files.\n",
    );
    console.log(
      table(["question", "queries", "p50 ms", "p95 ms", "max ms", "unindexed p50 ms", "speed-up"], rows),
    );
    console.log("");
    console.log(
      `lore --robot who PATH end to end (process start included): p50 ${percentile(cli, 50).toFixed(0)} ms`,
    );
    console.log("");
    for (const line of verdicts) console.log(line);
  } finally {
    db.close();
    home.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
