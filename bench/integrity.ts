// Derived data and integrity benchmark, on the search benchmark's generated database: what keeping
// thread documents true costs when issues are renamed (their threads re-rendered, beside renaming
// with only the issue's own document re-queued) or edited otherwise (threads re-rendered for nothing), what migration 007's index rebuild and doctor's
// integrity checks take, and what opening read-only costs beside opening for writing.

import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkIntegrity } from "../src/db/integrity.js";
import { type Db, openDatabase, openDatabaseForReading } from "../src/db/open.js";
import { regenerateDirtyDocuments } from "../src/documents/regenerate.js";
import { markDirty, markEntityDirty } from "../src/ingestion/dirty-queue.js";
import { percentile, QUICK, table } from "./harness.js";
import { populate } from "./search.js";

const RENAME = "UPDATE issues SET title = title || ' (renamed)' WHERE id = ?";
const EDIT = "UPDATE issues SET description = description || ' (edited)' WHERE id = ?";

/** Changes `ids` with `sql`, queues their documents with `queue`, and times the documents stage. */
async function changeAndRegenerate(db: Db, sql: string, ids: readonly number[], queue: (id: number) => void) {
  db.transaction(() => {
    for (const id of ids) {
      db.prepare(sql).run(id);
      queue(id);
    }
  }).immediate();
  const started = performance.now();
  const result = await regenerateDirtyDocuments(db);
  return { ms: performance.now() - started, regenerated: result.docs_regenerated };
}

function medianMs(work: () => void, runs = 15): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

export async function benchIntegrity(): Promise<void> {
  const entities = QUICK ? 10_000 : 100_000;
  const notes = QUICK ? 100_000 : 1_000_000;
  const renamed = QUICK ? 500 : 2_000;
  console.log(`\n## Derived data and integrity (${entities} issues and MRs, ${notes} notes)\n`);
  const dir = mkdtempSync(join(tmpdir(), "lore-bench-integrity-"));
  const path = join(dir, "lore.db");
  const db = openDatabase(path);
  try {
    populate(db, entities, notes);
    let started = performance.now();
    const initial = await regenerateDirtyDocuments(db);
    const initialS = (performance.now() - started) / 1000;

    const issueIds = (db.prepare("SELECT id FROM issues ORDER BY id").pluck().all() as number[]).slice(
      0,
      renamed * 3,
    );
    const threads = (ids: readonly number[]) =>
      (db
        .prepare(`SELECT COUNT(*) FROM discussions WHERE issue_id IN (${ids.map(() => "?").join(",")})`)
        .pluck()
        .get(...ids) as number) / ids.length;
    const [ownOnly, withThreads, edited] = [0, 1, 2].map((n) =>
      issueIds.slice(n * renamed, (n + 1) * renamed),
    ) as [number[], number[], number[]];
    const before = await changeAndRegenerate(db, RENAME, ownOnly, (id) => markDirty(db, "issue", id));
    const after = await changeAndRegenerate(db, RENAME, withThreads, (id) =>
      markEntityDirty(db, "issue", id),
    );
    const edit = await changeAndRegenerate(db, EDIT, edited, (id) => markEntityDirty(db, "issue", id));

    started = performance.now();
    db.prepare("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')").run();
    const rebuildS = (performance.now() - started) / 1000;
    db.pragma("wal_checkpoint(TRUNCATE)");
    const sizeMb = statSync(path).size / 1024 ** 2;

    started = performance.now();
    readFileSync(path);
    const readS = (performance.now() - started) / 1000;
    const report = checkIntegrity(path);

    const writeOpenMs = medianMs(() => openDatabase(path).close());
    const readOpenMs = medianMs(() => openDatabaseForReading(path).close());

    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      table(
        ["step", "figure"],
        [
          [
            "baseline: all documents generated and indexed",
            `${initial.docs_regenerated} in ${initialS.toFixed(1)} s`,
          ],
          [
            `baseline: rename ${renamed} issues, own documents re-queued`,
            `${before.regenerated} written in ${s(before.ms)} (${(before.ms / renamed).toFixed(2)} ms/issue)`,
          ],
          [
            `rename ${renamed} issues, threads re-queued too (${threads(withThreads).toFixed(1)} threads/issue)`,
            `${after.regenerated} written in ${s(after.ms)} (${(after.ms / renamed).toFixed(2)} ms/issue)`,
          ],
          [
            `edit ${renamed} descriptions, threads re-queued too (re-rendered, unchanged)`,
            `${edit.regenerated} written in ${s(edit.ms)} (${(edit.ms / renamed).toFixed(2)} ms/issue)`,
          ],
          ["migration 007: rebuild of the full-text index", `${rebuildS.toFixed(1)} s`],
          [`baseline: read the ${sizeMb.toFixed(0)} MB file once`, `${readS.toFixed(2)} s`],
          ["doctor: PRAGMA quick_check", s(report.quick_check.elapsed_ms)],
          [`doctor: FTS5 integrity-check (${report.fts.status})`, s(report.fts.elapsed_ms)],
          ["baseline: open for writing (migrations checked), p50", `${writeOpenMs.toFixed(1)} ms`],
          ["open for reading (read-only, nothing written), p50", `${readOpenMs.toFixed(1)} ms`],
        ],
      ),
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
