// Search benchmark: a generated database of issues and MRs with their notes (written through lore's
// own ingestion code), full document regeneration speed, then lexical search latency over a fixed
// query set (documents with every term first, then most terms). The baseline is a plain LIKE scan of
// the same documents.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Db, openDatabase } from "../src/db/open.js";
import { regenerateDirtyDocuments } from "../src/documents/regenerate.js";
import type {
  GitLabDiscussion,
  GitLabIssue,
  GitLabMergeRequest,
  GitLabResourceEvent,
} from "../src/gitlab/schemas.js";
import { upsertIssue } from "../src/ingestion/issues.js";
import { upsertMergeRequest } from "../src/ingestion/merge-requests.js";
import { lexicalSearch } from "../src/search/lexical.js";
import { storeDependents } from "../src/sync/dependents.js";
import { upsertProject } from "../src/sync/projects.js";
import { prng } from "../test/support/generate.js";
import { percentile, QUICK, table, verdict } from "./harness.js";

const WORDS =
  "login pipeline cache database migration index webhook limiter export dark mode token runner notification dashboard upload backup timezone pagination audit proxy timeout memory leak crash upgrade serializer retry backoff regression flaky test deploy staging production cluster replica shard queue worker scheduler latency throughput".split(
    " ",
  );
const QUERIES = [
  "login timeout",
  "database migration",
  "memory leak",
  '"retry backoff"',
  "flaky test",
  "pagin*",
  "proxy -timeout",
  "webhook staging",
  "crash upgrade",
  "audit log",
  "dark mode",
  "queue worker latency",
  // Questions and long queries: few documents have every word, so the most-terms ranking runs.
  "why does the export time out behind the proxy",
  "webhook retry backoff regression flaky deploy",
];

// Text is drawn like real prose: most words from a large Zipf-distributed vocabulary, and a few
// percent from the technical terms the queries use, so a query term matches a few percent of the
// documents (as "login" would in a real project), not nearly all of them.
const VOCABULARY = 20_000;
const TECH_SHARE = 0.03;
const zipfWeights = Array.from({ length: VOCABULARY }, (_, i) => 1 / (i + 1));
const zipfTotal = zipfWeights.reduce((a, b) => a + b, 0);
const zipfCumulative = (() => {
  let sum = 0;
  return zipfWeights.map((w) => (sum += w / zipfTotal));
})();

function zipfWord(random: () => number): string {
  const x = random();
  let lo = 0;
  let hi = VOCABULARY - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((zipfCumulative[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return `w${lo.toString(36)}`;
}

function sentence(random: () => number, words: number): string {
  return Array.from({ length: words }, () =>
    random() < TECH_SHARE ? (WORDS[Math.floor(random() * WORDS.length)] as string) : zipfWord(random),
  ).join(" ");
}

/**
 * History the way a real project has it, for the timeline and notes benchmarks: references in
 * descriptions and notes (some to entities of another project, some inside code that must not
 * count), MRs closing issues, GitLab's "mentioned in" system notes, state and label events.
 */
export interface Planting {
  readonly history: boolean;
}

/** Text that references other entities of the mirror (iids 1…entities; every 5th is an MR). */
function referenceText(random: () => number, entities: number): string {
  const iid = 1 + Math.floor(random() * entities);
  const ref = iid % 5 === 0 ? `!${iid}` : `#${iid}`;
  const roll = random();
  if (roll < 0.6) return `See ${ref}.`;
  if (roll < 0.75)
    return `Same as https://gitlab.example.com/group/proj/-/${iid % 5 === 0 ? "merge_requests" : "issues"}/${iid}`;
  if (roll < 0.85) return `Upstream: other/lib#${1 + Math.floor(random() * 500)}`;
  return `Run \`make test #${iid}\` first.`;
}

export function populate(db: Db, entities: number, notes: number, planting?: Planting): void {
  const random = prng(11);
  // A stream of its own, so the search benchmark's text is the same with or without history.
  const plant = prng(23);
  const history = planting?.history === true;
  const now = "2024-06-01T00:00:00.000Z";
  upsertProject(
    db,
    {
      id: 1,
      path_with_namespace: "group/proj",
      name: "proj",
      web_url: "https://gitlab.example.com/group/proj",
    },
    now,
  );
  const perEntity = Math.max(1, Math.round(notes / entities));
  let noteId = 1;
  const batch = 1_000;
  for (let start = 0; start < entities; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(entities, start + batch); i++) {
        const isMr = i % 5 === 4;
        const at = new Date(Date.parse("2023-01-01T00:00:00Z") + i * 60_000).toISOString();
        const base = {
          id: i + 1,
          iid: i + 1,
          project_id: 1,
          title: sentence(random, 6),
          description: `${sentence(random, 40)}\n\n${sentence(random, 30)}${
            history && isMr
              ? ` Closes #${closedIssue(i)}.`
              : history && plant() < 0.3
                ? ` ${referenceText(plant, entities)}`
                : ""
          }`,
          state: random() < 0.3 ? "closed" : "opened",
          created_at: at,
          updated_at: at,
          labels: [WORDS[Math.floor(random() * 10)] as string],
          author: { id: 1, username: `user${i % 50}` },
          web_url: `https://gitlab.example.com/group/proj/-/${isMr ? "merge_requests" : "issues"}/${i + 1}`,
        };
        const times = { syncedAt: now, fetchedAt: now };
        if (isMr) upsertMergeRequest(db, base as GitLabMergeRequest, 1, times);
        else upsertIssue(db, base as GitLabIssue, 1, times);
        const discussions: GitLabDiscussion[] = [];
        for (let left = perEntity, t = 0; left > 0; t++) {
          const size = Math.min(left, 1 + Math.floor(random() * 5));
          left -= size;
          discussions.push({
            id: `d${i}-${t}`,
            individual_note: size === 1,
            notes: Array.from({ length: size }, () => ({
              id: noteId++,
              body: `${sentence(random, 25)}${history && plant() < 0.1 ? ` ${referenceText(plant, entities)}` : ""}`,
              author: { id: 2, username: `user${Math.floor(random() * 50)}` },
              created_at: at,
              updated_at: at,
              system: false,
            })),
          });
        }
        const events = history ? historyOf(plant, i, at, base.state, discussions, noteId++) : undefined;
        const empty = { stateEvents: [], labelEvents: [], milestoneEvents: [], ...events };
        const closes = history && isMr ? [{ id: closedIssue(i), iid: closedIssue(i), project_id: 1 }] : [];
        storeDependents(
          db,
          { type: isMr ? "merge_request" : "issue", id: i + 1, projectId: 1 },
          isMr
            ? { type: "merge_request", discussions, ...empty, closesIssues: closes, changedFiles: [] }
            : { type: "issue", discussions, ...empty, relatedMergeRequests: [], closedBy: [] },
          now,
          base,
        );
      }
    })();
  }
}

/** The issue MR number i closes: an earlier one (issue ids and iids are equal here). */
function closedIssue(i: number): number {
  const j = Math.max(0, i - 1 - ((i * 7919) % 50));
  return (j % 5 === 4 ? j - 1 : j) + 1;
}

let eventId = 1;

/**
 * An entity's resource events — a label added, closed or merged for some — and, on a third of the
 * issues, GitLab's "mentioned in merge request !k" system note (an earlier MR) with id `noteId`.
 */
function historyOf(
  random: () => number,
  i: number,
  at: string,
  state: string,
  discussions: GitLabDiscussion[],
  noteId: number,
): Record<"labelEvents" | "stateEvents", GitLabResourceEvent[]> {
  const later = (minutes: number) => new Date(Date.parse(at) + minutes * 60_000).toISOString();
  const user = { id: 3, username: `user${Math.floor(random() * 50)}` };
  if (i % 5 !== 4 && i >= 5 && random() < 0.33) {
    const mr = 5 * Math.floor(random() * Math.floor(i / 5)) + 5;
    const when = later(5);
    discussions.push({
      id: `s${i}`,
      individual_note: true,
      notes: [
        {
          id: noteId,
          body: `mentioned in merge request !${mr}`,
          author: user,
          created_at: when,
          updated_at: when,
          system: true,
        },
      ],
    });
  }
  return {
    labelEvents: [
      {
        id: eventId++,
        user,
        created_at: later(1),
        action: "add",
        label: { id: 1, name: WORDS[i % 10] as string },
      },
    ],
    stateEvents:
      state === "closed"
        ? [{ id: eventId++, user, created_at: later(30), state: i % 5 === 4 ? "merged" : "closed" }]
        : [],
  };
}

export async function benchSearch(): Promise<void> {
  const entities = QUICK ? 10_000 : 100_000;
  const notes = QUICK ? 100_000 : 1_000_000;
  console.log(`\n## Documents and lexical search (${entities} issues and MRs, ${notes} notes)\n`);
  console.log(
    `Text: a ${VOCABULARY}-word Zipf vocabulary with ${TECH_SHARE * 100}% technical terms, which the queries use.\n`,
  );
  const dir = mkdtempSync(join(tmpdir(), "lore-bench-search-"));
  const db = openDatabase(join(dir, "lore.db"));
  try {
    let started = performance.now();
    populate(db, entities, notes);
    const ingestS = (performance.now() - started) / 1000;
    started = performance.now();
    const regen = await regenerateDirtyDocuments(db);
    const regenS = (performance.now() - started) / 1000;
    const docsPerS = Math.round(regen.docs_regenerated / regenS);

    const timings: number[] = [];
    const perQuery: (string | number)[][] = [];
    for (const q of QUERIES) {
      const runs: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        lexicalSearch(db, q, {}, 20);
        runs.push(performance.now() - t);
      }
      runs.sort((a, b) => a - b);
      timings.push(...runs.slice(1)); // the first run warms the page cache
      perQuery.push([q, percentile(runs, 50).toFixed(1), lexicalSearch(db, q, {}, 20).results.length]);
    }
    const filtered: number[] = [];
    for (const q of QUERIES) {
      const t = performance.now();
      lexicalSearch(
        db,
        q,
        { type: "issue", state: "opened", labels: ["login"], since: "2023-06-01T00:00:00.000Z" },
        20,
      );
      filtered.push(performance.now() - t);
    }
    timings.sort((a, b) => a - b);
    filtered.sort((a, b) => a - b);
    const likeStart = performance.now();
    db.prepare("SELECT id FROM documents WHERE content LIKE '%memory leak%' LIMIT 20").all();
    const likeMs = performance.now() - likeStart;

    console.log(
      table(
        ["step", "figure"],
        [
          [
            "ingest through lore's upserts",
            `${ingestS.toFixed(1)} s (${Math.round(entities / ingestS)} entities/s)`,
          ],
          ["documents regenerated", `${regen.docs_regenerated} in ${regenS.toFixed(1)} s = ${docsPerS}/s`],
          [
            "lexical search p50 / p95",
            `${percentile(timings, 50).toFixed(1)} / ${percentile(timings, 95).toFixed(1)} ms`,
          ],
          ["  with type+state+label+since filters p50", `${percentile(filtered, 50).toFixed(1)} ms`],
          ["baseline: LIKE scan for one phrase", `${likeMs.toFixed(1)} ms`],
        ],
      ),
    );
    console.log("");
    console.log(table(["query", "p50 ms", "results"], perQuery));
    console.log("");
    console.log(
      `${verdict(percentile(timings, 50) < 20)}  lexical search p50 ${percentile(timings, 50).toFixed(1)} ms (target < 20 ms)`,
    );
    console.log(
      `${verdict(percentile(timings, 95) < 60)}  lexical search p95 ${percentile(timings, 95).toFixed(1)} ms (target < 60 ms)`,
    );
    console.log(`${verdict(docsPerS >= 5_000)}  document regeneration ${docsPerS}/s (target ≥ 5,000/s)`);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
