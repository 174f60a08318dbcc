// Opens lore's SQLite database. Writers get WAL, a busy timeout, foreign keys and migrations
// applied; readers get a connection that writes nothing, so read commands work on a database whose
// file and directory are not writable. Any failure to open or migrate is a DATABASE error (exit 8).

import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { LoreError } from "../core/errors.js";
import { damagedError, refuseIfDamaged } from "./damage.js";
import { sqliteFailure } from "./errors.js";
import { type Migration, migrate, pendingMigrations } from "./migrate.js";
import { loadVectorExtension } from "./vector-extension.js";

export type Db = Database.Database;

export interface OpenOptions {
  readonly busyTimeoutMs?: number;
  /** Told before an existing database's schema is upgraded (it may take a while). */
  readonly onUpgrade?: (pending: readonly Migration[]) => void;
}

// better-sqlite3 reads this when its addon first loads; lore's own paths are always absolute, so
// only the read-only fallback below ever passes a `file:` URI.
process.env.SQLITE_USE_URI = "1";

/** Opens for writing: creates the file, sets WAL, applies migrations. Refuses a damaged database. */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  refuseIfDamaged(path);
  let db: Db | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    // Several lore processes may write at once (surgical beside incremental sync). The timeout
    // covers waiting for the write lock; every write transaction is BEGIN IMMEDIATE
    // (`.immediate()`), because a deferred one that reads first fails with SQLITE_BUSY_SNAPSHOT,
    // without waiting, when another process commits between its first read and its first write.
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    // Vectors live in a sqlite-vec table that deletes cascade into, so every connection loads it.
    loadVectorExtension(db);
    migrate(db, undefined, options.onUpgrade);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof LoreError) throw error;
    throw databaseError(error, path);
  }
}

/**
 * Opens for reading only: no journal-mode switch, no migration, no write of any kind (WAL mode was
 * set by the last writer). A database that does not exist yet is created as a writer would (reads
 * before the first sync); one whose schema is behind is migrated by a writable open when the file
 * allows it, and otherwise fails saying that a writer must open it first.
 */
export function openDatabaseForReading(path: string, options: OpenOptions = {}): Db {
  if (!existsSync(path)) return openDatabase(path, options);
  const db = connectReadOnly(path, options);
  let pending: number;
  try {
    pending = pendingMigrations(db).length;
  } catch (error) {
    db.close();
    if (error instanceof LoreError) throw error;
    throw databaseError(error, path);
  }
  if (pending === 0) return db;
  db.close();
  try {
    return openDatabase(path, options);
  } catch (error) {
    if (!isNotWritable(error)) throw error;
    throw new LoreError(
      "DATABASE",
      `The database at ${path} needs ${pending} schema migration(s) before this lore can read it, and it is not writable here.`,
      {
        suggestion:
          "Run `lore sync` once as a user who can write the database and its directory (it migrates the schema), then read again.",
        details: { db_path: path, pending_migrations: pending },
        cause: error,
      },
    );
  }
}

/**
 * A read-only connection, probed with a first read. A WAL database whose -wal/-shm files are gone
 * (its last writer closed cleanly) cannot be read in a directory lore may not write: SQLite wants
 * to create them. With no changes waiting in a -wal file the database file is complete, so it is
 * opened immutable.
 */
export function connectReadOnly(path: string, options: OpenOptions = {}): Db {
  const connect = (name: string): Db => {
    const db = new Database(name, { readonly: true, fileMustExist: true });
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
      loadVectorExtension(db);
      db.prepare("SELECT COUNT(*) FROM sqlite_master").get();
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  };
  try {
    return connect(path);
  } catch (error) {
    if (!isNotWritable(error)) throw databaseError(error, path);
    if (walHoldsChanges(path)) {
      throw new LoreError(
        "DATABASE",
        `The database at ${path} has changes in ${path}-wal that a writer has not yet folded into it, and lore cannot open them in a directory it may not write.`,
        {
          suggestion:
            "Run `lore sync` (or let the running one finish) as a user who can write the directory, then read again.",
          details: { db_path: path },
          cause: error,
        },
      );
    }
  }
  try {
    return connect(`${pathToFileURL(path).href}?immutable=1`);
  } catch (error) {
    throw databaseError(error, path);
  }
}

/** A -wal file with frames in it (a read-only connection may leave an empty one behind). */
function walHoldsChanges(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}

/** SQLite or the file system refusing a write, or the creation of a -wal/-shm file (or its cause). */
function isNotWritable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  if (error instanceof LoreError) return isNotWritable(error.cause);
  return (
    code.startsWith("SQLITE_READONLY") ||
    code.startsWith("SQLITE_CANTOPEN") ||
    code.startsWith("SQLITE_PERM") ||
    code === "SQLITE_AUTH" ||
    code === "EACCES" ||
    code === "EROFS" ||
    code === "EPERM"
  );
}

export function databaseError(error: unknown, path: string): LoreError {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code?.startsWith("SQLITE_BUSY") || code?.startsWith("SQLITE_LOCKED")) {
    return sqliteFailure(error) as LoreError;
  }
  const damaged = damagedError(path, error);
  if (damaged) return damaged;
  return new LoreError("DATABASE", `Cannot open the database at ${path}: ${message}`, {
    suggestion:
      "Check that the file and its directory exist and are readable (and writable, for commands that write), or set LORE_DB_PATH.",
    cause: error,
  });
}
