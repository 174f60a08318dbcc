// A database file that SQLite reports as damaged (SQLITE_CORRUPT, SQLITE_NOTADB) after lore opened
// it. The finding is remembered in a small file beside the database (`lore.db-damaged`), because
// the damaged file itself cannot be trusted to hold it: no later command writes into a database
// that has reported damage until `lore doctor` finds it sound again or `lore sync --recover` moves
// it aside. The mark names the file by device and inode, so it never applies to a new database
// created at the same path.

import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { LoreError } from "../core/errors.js";

export interface DamageRecord {
  readonly detected_at: string;
  /** The lore command that met the damage (`sync`, `search`, `doctor`…). */
  readonly command: string;
  readonly sqlite_code: string;
  readonly message: string;
  readonly dev: number;
  readonly ino: number;
}

/** Action that fixes a damaged database: it keeps the damaged file and builds a new mirror. */
export const RECOVER_ACTIONS = ["lore sync --recover", "lore doctor"] as const;

export const RECOVER_SUGGESTION =
  "Move it aside and build a new mirror with `lore sync --recover` (the damaged file is kept beside the new one, with its -wal and -shm); `lore doctor` checks it again.";

export function damageMarkPath(dbPath: string): string {
  return `${dbPath}-damaged`;
}

export interface SqliteLike {
  readonly code: string;
  readonly message: string;
}

/** The SQLite error behind `error` (following causes) when it says the file is damaged. */
export function damageCause(error: unknown): SqliteLike | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB")) {
      return { code, message: e.message };
    }
  }
  return undefined;
}

/**
 * The DATABASE error for a damaged file (what SQLite said, and how to recover), when `error` is
 * SQLite reporting damage; `details` are kept (a sync's run id and phase).
 */
export function damagedError(
  dbPath: string,
  error: unknown,
  details: Record<string, unknown> = {},
): LoreError | undefined {
  const cause = damageCause(error);
  if (!cause) return undefined;
  const notADatabase = cause.code === "SQLITE_NOTADB";
  const what = notADatabase
    ? `${dbPath} is not a SQLite database, or is damaged beyond recognition`
    : `The database at ${dbPath} is damaged`;
  return new LoreError("DATABASE", `${what} (${cause.code}: ${cause.message}).`, {
    suggestion: notADatabase
      ? `${RECOVER_SUGGESTION} If the file is not lore's, set LORE_DB_PATH to another path instead.`
      : RECOVER_SUGGESTION,
    actions: [...RECOVER_ACTIONS],
    details: { ...details, db_path: dbPath, sqlite_code: cause.code, damaged: true },
    cause: error,
  });
}

function identity(dbPath: string): { dev: number; ino: number } | undefined {
  try {
    const stat = statSync(dbPath);
    return { dev: stat.dev, ino: stat.ino };
  } catch {
    return undefined;
  }
}

/**
 * Remembers that the database at `dbPath` reported damage. Best effort: a directory lore cannot
 * write (a read-only copy) keeps no mark, and the command's own error still says what happened.
 */
export function recordDamage(dbPath: string, command: string, cause: SqliteLike): void {
  const id = identity(dbPath);
  // The first finding is kept: it tells when the damage was first met.
  if (!id || readDamage(dbPath)) return;
  const record: DamageRecord = {
    detected_at: new Date().toISOString(),
    command,
    sqlite_code: cause.code,
    message: cause.message,
    ...id,
  };
  const mark = damageMarkPath(dbPath);
  const temp = `${mark}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    renameSync(temp, mark);
  } catch {
    rmSync(temp, { force: true });
  }
}

/** The damage recorded for the file now at `dbPath`; a mark left by another file is removed. */
export function readDamage(dbPath: string): DamageRecord | undefined {
  const mark = damageMarkPath(dbPath);
  let record: DamageRecord;
  try {
    record = JSON.parse(readFileSync(mark, "utf8")) as DamageRecord;
  } catch {
    return undefined;
  }
  const id = identity(dbPath);
  if (id && id.dev === record.dev && id.ino === record.ino) return record;
  clearDamage(dbPath);
  return undefined;
}

export function clearDamage(dbPath: string): void {
  try {
    rmSync(damageMarkPath(dbPath), { force: true });
  } catch {
    // A read-only directory: the mark stays, and still names the file it was written for.
  }
}

/** When and by which command the damage was met: "found damaged by lore sync at … (…)". */
export function describeDamage(record: DamageRecord): string {
  return `found damaged by lore ${record.command} at ${record.detected_at} (${record.sqlite_code}: ${record.message})`;
}

/** Refuses to write into a database that reported damage and was not found sound since. */
export function refuseIfDamaged(dbPath: string): void {
  const record = readDamage(dbPath);
  if (!record) return;
  throw new LoreError(
    "DATABASE",
    `The database at ${dbPath} was ${describeDamage(record)}; lore will not write into it.`,
    {
      suggestion: RECOVER_SUGGESTION,
      actions: [...RECOVER_ACTIONS],
      details: {
        db_path: dbPath,
        sqlite_code: record.sqlite_code,
        damaged: true,
        detected_at: record.detected_at,
      },
    },
  );
}

/**
 * Moves a damaged database aside with its -wal and -shm (a WAL belongs to its database: left
 * behind, it would be replayed into the new file) and drops its mark. Returns the new path.
 */
export function moveAside(dbPath: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  let target = `${dbPath}.damaged-${stamp}`;
  for (let n = 2; existsSync(target); n += 1) target = `${dbPath}.damaged-${stamp}-${n}`;
  for (const suffix of ["-wal", "-shm"]) {
    if (existsSync(dbPath + suffix)) renameSync(dbPath + suffix, target + suffix);
  }
  renameSync(dbPath, target);
  clearDamage(dbPath);
  return target;
}
