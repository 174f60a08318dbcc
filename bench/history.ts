// History benchmark: a mirror of 100,000 issues and MRs with 1,000,000 notes written through lore's
// own ingestion, with the references real projects have (descriptions, notes, GitLab's "mentioned
// in" notes, MRs closing issues) and resource events. It measures what reference extraction adds
// to ingest, `timeline --depth 2` and `notes --author -n 50` in-process and end to end, each beside
// a baseline read measured in the same run and beside the plan without the indexes made for it.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Db, openDatabase } from "../src/db/open.js";
import { entityByReference, type MirrorEntity } from "../src/history/mirror-entities.js";
import { listNotes } from "../src/history/notes.js";
import { backfillReferences } from "../src/history/reference-backfill.js";
import { replaceReferences, storedProject, storedReferenceData } from "../src/history/reference-store.js";
import { buildTimeline } from "../src/history/timeline.js";
import { showEntity } from "../src/read/show-entity.js";
import { prng } from "../test/support/generate.js";
import { initLore, lore, must, percentile, QUICK, table, tempHome, verdict } from "./harness.js";
import { populate } from "./search.js";

/** p50 in ms of `work` over `inputs`, after one untimed warm-up run of the first. */
function p50<T>(inputs: readonly T[], work: (input: T) => unknown): number {
  if (inputs[0] !== undefined) work(inputs[0]);
  const times = inputs.map((input) => {
    const started = performance.now();
    work(input);
    return performance.now() - started;
  });
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

async function cliP50(args: readonly (readonly string[])[], env: Record<string, string>): Promise<number> {
  const times: number[] = [];
  for (const a of args) times.push((await must(lore(a, env), a.join(" "))).ms);
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

const timelineOf = (db: Db) => (seed: MirrorEntity) =>
  buildTimeline(db, { seeds: [seed], depth: 2, mentions: true, limit: 200 });
const notesBy = (db: Db) => (author: string) =>
  listNotes(db, { author, sort: "created", ascending: false, limit: 50 });

/** CPU seconds of this process (user + system) since `from`. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

/**
 * Wall and CPU seconds the reference step (derive and write, with the project lookup) takes for
 * every entity as on a first sync (no rows to replace yet), in batches whose data is read from the
 * rows first, untimed.
 */
function timeReferenceStep(db: Db): { wallS: number; cpuS: number } {
  let wallS = 0;
  let cpuS = 0;
  db.exec("DELETE FROM entity_references");
  for (const type of ["issue", "merge_request"] as const) {
    const ids = db
      .prepare(`SELECT id FROM ${type === "issue" ? "issues" : "merge_requests"} ORDER BY id`)
      .pluck()
      .all() as number[];
    for (let start = 0; start < ids.length; start += 500) {
      const batch = ids.slice(start, start + 500).flatMap((id) => {
        const data = storedReferenceData(db, { type, id });
        return data ? [{ id, data }] : [];
      });
      const wall = performance.now();
      const cpu = process.cpuUsage();
      db.transaction(() => {
        for (const { id, data } of batch) {
          storedProject(db, 1);
          replaceReferences(db, { type, id }, data);
        }
      }).immediate();
      cpuS += cpuSince(cpu);
      wallS += (performance.now() - wall) / 1000;
    }
  }
  return { wallS, cpuS };
}

/** Runs `work` with an index replaced by another (or none), then restores the original. */
function without<T>(db: Db, drop: string, create: string, replacement: string | undefined, work: () => T): T {
  db.exec(`DROP INDEX ${drop}`);
  if (replacement) db.exec(replacement);
  try {
    return work();
  } finally {
    if (replacement) db.exec(`DROP INDEX ${/INDEX (\w+)/.exec(replacement)?.[1]}`);
    db.exec(create);
  }
}

export async function benchHistory(): Promise<void> {
  const entities = QUICK ? 10_000 : 100_000;
  const notes = QUICK ? 100_000 : 1_000_000;
  const seedsCount = QUICK ? 20 : 40;
  console.log(`\n## History: references, timeline, notes (${entities} issues and MRs, ${notes} notes)\n`);
  console.log(
    "Planted: 30% of descriptions and 10% of notes reference another entity (#N, !N, a web URL, another project's issue, or inside code), every MR closes an issue, a third of the issues carry GitLab's 'mentioned in merge request' note, every entity a label event, 30% a close or merge.\n",
  );
  const dir = mkdtempSync(join(tmpdir(), "lore-bench-history-"));
  const dbPath = join(dir, "lore.db");
  const home = tempHome();
  const db = openDatabase(dbPath);
  try {
    let started = performance.now();
    const ingestCpu = process.cpuUsage();
    populate(db, entities, notes, { history: true });
    const ingestS = (performance.now() - started) / 1000;
    const ingestCpuS = cpuSince(ingestCpu);
    const references = db.prepare("SELECT COUNT(*) FROM entity_references").pluck().get() as number;

    // The step sync adds per entity, timed alone over the same entities: derive the references
    // from the entity's data and replace its rows (the data is read from the rows, untimed).
    // CPU time decides: the machine is shared, and other processes' load inflates wall time unevenly.
    const step = timeReferenceStep(db);
    const overhead = step.cpuS / (ingestCpuS - step.cpuS);

    // What an older mirror pays once, on its first sync after the upgrade.
    db.exec(
      "UPDATE entity_references_backfill SET next_issue_id = 0, next_merge_request_id = 0, finished_at = NULL",
    );
    started = performance.now();
    await backfillReferences(db, { signal: new AbortController().signal });
    const backfillS = (performance.now() - started) / 1000;

    const random = prng(5);
    const seeds: MirrorEntity[] = [];
    while (seeds.length < seedsCount) {
      const iid = 1 + Math.floor(random() * entities);
      const seed = iid % 5 === 0 ? undefined : entityByReference(db, "issue", "group/proj", iid);
      if (seed) seeds.push(seed);
    }
    const sizes = seeds.map((seed) => timelineOf(db)(seed));
    const meanEntities = sizes.reduce((sum, t) => sum + t.entities.length, 0) / sizes.length;
    const meanEvents = sizes.reduce((sum, t) => sum + t.events.length, 0) / sizes.length;
    const timelineMs = p50(seeds, timelineOf(db));
    const showMs = p50(seeds, (seed) => showEntity(db, "issue", seed.id));
    const unindexedSeeds = seeds.slice(0, 3);
    const timelineUnindexedMs = without(
      db,
      "entity_references_target",
      "CREATE INDEX entity_references_target ON entity_references (target_type, target_project, target_iid)",
      undefined,
      () => p50(unindexedSeeds, timelineOf(db)),
    );

    const authors = Array.from({ length: 20 }, (_, k) => `user${(k * 7) % 50}`);
    const notesMs = p50(authors, notesBy(db));
    const notesOldIndexMs = without(
      db,
      "notes_author_system_created",
      "CREATE INDEX notes_author_system_created ON notes (author_username, system, created_at)",
      "CREATE INDEX notes_author ON notes (author_username)",
      () => p50(authors.slice(0, 5), notesBy(db)),
    );
    const perAuthor = listNotes(db, { author: authors[0], sort: "created", ascending: false, limit: 50 });
    db.close();

    // End to end: the built CLI on the same database, beside `lore issues` reading one issue.
    await initLore("https://gitlab.example.com", home);
    const env = { ...home.env, LORE_DB_PATH: dbPath };
    const cliSeeds = seeds.slice(0, 10);
    const cliTimelineMs = await cliP50(
      cliSeeds.map((s) => ["--robot", "timeline", `issue:${s.iid}`, "--depth", "2"]),
      env,
    );
    const cliIssueMs = await cliP50(
      cliSeeds.map((s) => ["--robot", "issues", String(s.iid)]),
      env,
    );
    const cliNotesMs = await cliP50(
      authors.slice(0, 10).map((a) => ["--robot", "notes", "--author", a, "-n", "50"]),
      env,
    );
    const cliListMs = await cliP50(
      authors.slice(0, 10).map((a) => ["--robot", "issues", "--author", a, "-n", "50"]),
      env,
    );

    console.log(
      table(
        ["step", "figure"],
        [
          [
            "ingest with references (lore's upserts)",
            `${ingestS.toFixed(1)} s wall, ${ingestCpuS.toFixed(1)} s CPU, ${references} references`,
          ],
          [
            "  of which the reference step (timed alone)",
            `${step.wallS.toFixed(1)} s wall, ${step.cpuS.toFixed(1)} s CPU`,
          ],
          ["one-off backfill of the same mirror (as after an upgrade)", `${backfillS.toFixed(1)} s`],
          ["timeline issue:N --depth 2, in-process p50", `${timelineMs.toFixed(1)} ms`],
          [
            "  entities / events per timeline (mean)",
            `${meanEntities.toFixed(1)} / ${meanEvents.toFixed(0)}`,
          ],
          ["  baseline: showEntity (lore issues N) p50", `${showMs.toFixed(1)} ms`],
          ["  without the target index p50", `${timelineUnindexedMs.toFixed(1)} ms`],
          [
            "notes --author U -n 50, in-process p50",
            `${notesMs.toFixed(1)} ms (${perAuthor.omitted_notes + 50} notes by that author)`,
          ],
          ["  with the index before 011 (author only) p50", `${notesOldIndexMs.toFixed(1)} ms`],
          ["lore --robot timeline issue:N --depth 2 p50", `${cliTimelineMs.toFixed(0)} ms`],
          ["  baseline: lore --robot issues N p50", `${cliIssueMs.toFixed(0)} ms`],
          ["lore --robot notes --author U -n 50 p50", `${cliNotesMs.toFixed(0)} ms`],
          ["  baseline: lore --robot issues --author U -n 50 p50", `${cliListMs.toFixed(0)} ms`],
        ],
      ),
    );
    console.log("");
    console.log(
      `${verdict(overhead <= 0.1)}  reference extraction adds ${(overhead * 100).toFixed(1)}% to ingest CPU time, ${((step.wallS / (ingestS - step.wallS)) * 100).toFixed(1)}% by wall time (target ≤ 10%)`,
    );
    console.log(
      `${verdict(timelineMs <= 100)}  timeline --depth 2 p50 ${timelineMs.toFixed(1)} ms in-process, ${cliTimelineMs.toFixed(0)} ms end to end beside ${cliIssueMs.toFixed(0)} ms for lore issues N (target ≤ 100 ms)`,
    );
    console.log(
      `${verdict(notesMs <= 50)}  notes --author -n 50 p50 ${notesMs.toFixed(1)} ms in-process, ${cliNotesMs.toFixed(0)} ms end to end beside ${cliListMs.toFixed(0)} ms for a 50-issue list (target ≤ 50 ms)`,
    );
  } finally {
    if (db.open) db.close();
    home.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
