// Applies the numbered .sql migrations in order, each in its own transaction, recording a checksum.
// Refuses databases written by a newer lore and migrations edited after they were applied.

import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import { LoreError } from "../core/errors.js";

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The SQL, read from its file when first asked for (only pending migrations need it). */
  readonly sql: string;
  readonly checksum: string;
}

// The bundled build (scripts/build.mjs) defines where the .sql files are relative to its chunks,
// and their file names and SHA-256 checksums, computed when it copied them: every open of the
// database checks the applied migrations against these without reading or hashing the files
// (node:crypto alone costs ~15 ms to load).
declare const __LORE_MIGRATIONS_DIR__: string | undefined;
declare const __LORE_MIGRATIONS__:
  | readonly { readonly file: string; readonly checksum: string }[]
  | undefined;
const MIGRATIONS_DIR = fileURLToPath(
  new URL(
    typeof __LORE_MIGRATIONS_DIR__ === "string" ? __LORE_MIGRATIONS_DIR__ : "./migrations/",
    import.meta.url,
  ),
);
const BUILT_MIGRATIONS = typeof __LORE_MIGRATIONS__ === "undefined" ? undefined : __LORE_MIGRATIONS__;

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  if (dir === MIGRATIONS_DIR && BUILT_MIGRATIONS) {
    return BUILT_MIGRATIONS.map(({ file, checksum }) => migrationIn(dir, file, checksum));
  }
  return readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => migrationIn(dir, file));
}

function migrationIn(dir: string, file: string, checksum?: string): Migration {
  let sql: string | undefined;
  const read = () => {
    sql ??= readFileSync(join(dir, file), "utf8");
    return sql;
  };
  return {
    version: Number.parseInt(file.slice(0, 3), 10),
    name: file.replace(/\.sql$/, ""),
    get sql() {
      return read();
    },
    checksum: checksum ?? sha256(read()),
  };
}

function sha256(text: string): string {
  const { createHash } = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return createHash("sha256").update(text).digest("hex");
}

export interface MigrationResult {
  readonly applied: readonly string[];
  readonly schemaVersion: number;
}

interface AppliedRow {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
}

/** Fails on a migration this lore does not know (a newer lore wrote it) or one edited since. */
function verifyApplied(rows: readonly AppliedRow[], migrations: readonly Migration[]): void {
  const known = new Map(migrations.map((m) => [m.version, m]));
  const latestKnown = migrations.at(-1)?.version ?? 0;
  for (const row of rows) {
    const migration = known.get(row.version);
    if (!migration) {
      throw new LoreError(
        "DATABASE",
        `The database has schema version ${row.version} (${row.name}), newer than this lore understands (${latestKnown}).`,
        { suggestion: "Upgrade lore, or point LORE_DB_PATH at another database." },
      );
    }
    if (migration.checksum !== row.checksum) {
      throw new LoreError(
        "DATABASE",
        `Migration ${row.name} differs from the one applied to this database.`,
        {
          suggestion:
            "The database was written by a different build of lore; use a matching build or a new database.",
        },
      );
    }
  }
}

const APPLIED_SQL = "SELECT version, name, checksum FROM schema_migrations ORDER BY version";

/**
 * The migrations this database still needs, read without writing anything (for read-only opens).
 * Throws like `migrate` for a database written by a newer or different lore.
 */
export function pendingMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = loadMigrations(),
): Migration[] {
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  const rows = hasTable ? (db.prepare(APPLIED_SQL).all() as AppliedRow[]) : [];
  verifyApplied(rows, migrations);
  const applied = new Set(rows.map((r) => r.version));
  return migrations.filter((m) => !applied.has(m.version));
}

/**
 * Applies the pending migrations. `onUpgrade` hears about them first when the database already
 * had a schema (an upgrade, which may rebuild large tables), not when a new one is created.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = loadMigrations(),
  onUpgrade?: (pending: readonly Migration[]) => void,
): MigrationResult {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const rows = db.prepare(APPLIED_SQL).all() as AppliedRow[];
  const latestKnown = migrations.at(-1)?.version ?? 0;
  verifyApplied(rows, migrations);
  const appliedVersions = new Set(rows.map((r) => r.version));
  const pending = migrations.filter((m) => !appliedVersions.has(m.version));
  if (rows.length > 0 && pending.length > 0) onUpgrade?.(pending);
  const isApplied = db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
  const record = db.prepare(
    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
  );
  const applied: string[] = [];
  for (const migration of pending) {
    // Checked again under the write lock: another lore process may have applied it meanwhile.
    const ran = db
      .transaction(() => {
        if (isApplied.get(migration.version)) return false;
        db.exec(migration.sql);
        record.run(migration.version, migration.name, migration.checksum, new Date().toISOString());
        return true;
      })
      .immediate();
    if (ran) applied.push(migration.name);
  }
  return { applied, schemaVersion: latestKnown };
}

export function schemaVersion(db: Database.Database): number {
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as
    | { v: number | null }
    | undefined;
  return row?.v ?? 0;
}
