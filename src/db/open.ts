// Opens lore's SQLite database: WAL, busy timeout, foreign keys, migrations applied.
// Any failure to open or migrate becomes a DATABASE error (exit 8), never a crash.

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { LoreError } from "../core/errors.js";
import { sqliteFailure } from "./errors.js";
import { migrate } from "./migrate.js";
import { loadVectorExtension } from "./vector-extension.js";

export type Db = Database.Database;

export interface OpenOptions {
  /** Open without creating or migrating (read commands before a first sync still migrate). */
  readonly readonly?: boolean;
  readonly busyTimeoutMs?: number;
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  let db: Db | undefined;
  try {
    if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    // Several lore processes may write at once (surgical beside incremental sync). The timeout
    // covers waiting for the write lock; every write transaction is BEGIN IMMEDIATE
    // (`.immediate()`), because a deferred one that reads first fails with SQLITE_BUSY_SNAPSHOT,
    // without waiting, when another process commits between its first read and its first write.
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    if (!options.readonly) {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
    }
    db.pragma("foreign_keys = ON");
    // Vectors live in a sqlite-vec table that deletes cascade into, so every connection loads it.
    loadVectorExtension(db);
    if (!options.readonly) migrate(db);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof LoreError) throw error;
    throw databaseError(error, path);
  }
}

export function databaseError(error: unknown, path: string): LoreError {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code?.startsWith("SQLITE_BUSY") || code?.startsWith("SQLITE_LOCKED")) {
    return sqliteFailure(error) as LoreError;
  }
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
    return new LoreError("DATABASE", `${path} is not a lore database (or is corrupt): ${message}`, {
      suggestion:
        "Move the file aside, or set LORE_DB_PATH to another path; `lore sync` will create a new one.",
      cause: error,
    });
  }
  return new LoreError("DATABASE", `Cannot open the database at ${path}: ${message}`, {
    suggestion: "Check that the directory exists and is writable, or set LORE_DB_PATH.",
    cause: error,
  });
}
