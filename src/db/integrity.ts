// Whether a database file is sound: SQLite's `PRAGMA quick_check` (every b-tree page well formed,
// without comparing indexes with their tables) and, when that passes, FTS5's integrity-check of
// the search index against the documents table. Synchronous and possibly long on a large file:
// `lore doctor` runs it in a worker to bound the wait.

import Database from "better-sqlite3";
import { damageCause } from "./damage.js";
import { connectReadOnly } from "./open.js";

/** At most this many problems are listed; the first few tell what kind of damage it is. */
const MAX_PROBLEMS = 20;

export interface QuickCheckResult {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly elapsed_ms: number;
}

export interface FtsCheckResult {
  /** `skipped`: not run (quick_check failed, or the check could not get write access). */
  readonly status: "ok" | "damaged" | "skipped";
  readonly detail: string | null;
  readonly elapsed_ms: number;
}

export interface IntegrityReport {
  readonly quick_check: QuickCheckResult;
  readonly fts: FtsCheckResult;
}

export function checkIntegrity(path: string): IntegrityReport {
  const quick = quickCheck(path);
  const fts: FtsCheckResult = quick.ok
    ? ftsCheck(path)
    : { status: "skipped", detail: "not run on a damaged file", elapsed_ms: 0 };
  return { quick_check: quick, fts };
}

function quickCheck(path: string): QuickCheckResult {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let db: Database.Database | undefined;
  try {
    db = connectReadOnly(path);
    const rows = db.prepare(`PRAGMA quick_check(${MAX_PROBLEMS})`).all() as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((text) => text !== "ok");
    return { ok: problems.length === 0, problems, elapsed_ms: elapsed() };
  } catch (error) {
    // Damage met while opening or checking is the finding; anything else (no permission) is not.
    const cause = damageCause(error);
    if (!cause) throw error;
    return { ok: false, problems: [`${cause.code}: ${cause.message}`], elapsed_ms: elapsed() };
  } finally {
    db?.close();
  }
}

/**
 * FTS5 runs its integrity-check as an INSERT, so it needs a writable connection, though it writes
 * nothing. With `rank = 1` it also compares the index with the content table.
 */
function ftsCheck(path: string): FtsCheckResult {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    db.pragma("busy_timeout = 10000");
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'documents_fts'").get())
      return { status: "skipped", detail: "no search index in this schema yet", elapsed_ms: elapsed() };
    db.prepare("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)").run();
    return { status: "ok", detail: null, elapsed_ms: elapsed() };
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? "");
    const message = error instanceof Error ? error.message : String(error);
    if (code.startsWith("SQLITE_CORRUPT"))
      return { status: "damaged", detail: message, elapsed_ms: elapsed() };
    if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
      return { status: "skipped", detail: "a writer held the database", elapsed_ms: elapsed() };
    if (/^SQLITE_(READONLY|CANTOPEN|PERM)/.test(code))
      return {
        status: "skipped",
        detail: "read-only here (the check needs write access)",
        elapsed_ms: elapsed(),
      };
    throw error;
  } finally {
    db?.close();
  }
}
