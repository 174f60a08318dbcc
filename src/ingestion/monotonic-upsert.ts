// The one write rule every sync path shares: a row is never replaced by a copy with an older
// updated_at. Issues and merge requests both go through here; their modules only map columns.

import type { Statement } from "better-sqlite3";
import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";

export type UpsertOutcome =
  | { readonly status: "inserted" }
  | { readonly status: "updated" }
  | { readonly status: "unchanged" }
  | {
      readonly status: "skipped_stale";
      readonly localUpdatedAt: string;
      /** Set when updated_at ties and the stored copy came from a fetch that began later. */
      readonly localFetchedAt?: string;
    };

/** When a copy is written, and when the fetch that produced it and its dependents began. */
export interface CopyTimes {
  readonly syncedAt: string;
  readonly fetchedAt: string;
}

export type EntityTable = "issues" | "merge_requests";
export type Row = Readonly<Record<string, string | number | null>>;

// Built once per connection and per column set (issues and merge requests map different columns).
const upsertStatements = perConnection(() => new Map<string, { upsert: Statement; touch: Statement }>());

function statements(db: Db, table: EntityTable, columns: readonly string[]) {
  const perDb = upsertStatements(db);
  const key = `${table}:${columns.join(",")}`;
  let stmts = perDb.get(key);
  if (!stmts) {
    const updates = columns.filter((c) => c !== "id").map((c) => `${c} = excluded.${c}`);
    stmts = {
      upsert: db.prepare(
        `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})
         ON CONFLICT (id) DO UPDATE SET ${updates.join(", ")}
         WHERE excluded.updated_at >= ${table}.updated_at`,
      ),
      touch: db.prepare(`UPDATE ${table} SET synced_at = ?, fetched_at = ? WHERE id = ?`),
    };
    perDb.set(key, stmts);
  }
  return stmts;
}

/**
 * Inserts or updates one entity row unless the stored copy is newer: a later updated_at, or the
 * same updated_at from a fetch that began later (its dependents are the fresher snapshot). The
 * row carries synced_at and fetched_at. Call inside a transaction, with the dependents' writes.
 */
export function upsertMonotonic(db: Db, table: EntityTable, row: Row): UpsertOutcome {
  const columns = Object.keys(row);
  const stmts = statements(db, table, columns);
  const id = row.id as number;
  const existing = storedRow(db, table, id);
  if (existing) {
    if (existing.updated_at > (row.updated_at as string)) {
      return { status: "skipped_stale", localUpdatedAt: existing.updated_at };
    }
    if (
      existing.updated_at === row.updated_at &&
      existing.fetched_at !== null &&
      existing.fetched_at > (row.fetched_at as string)
    ) {
      return {
        status: "skipped_stale",
        localUpdatedAt: existing.updated_at,
        localFetchedAt: existing.fetched_at,
      };
    }
    if (existing.raw_json === row.raw_json) {
      stmts.touch.run(row.synced_at, row.fetched_at, id);
      return { status: "unchanged" };
    }
  }
  stmts.upsert.run(row);
  return existing ? { status: "updated" } : { status: "inserted" };
}

/** How a fetched copy compares with the stored one, and when the stored one's dependents were fetched. */
export type Freshness =
  | { readonly status: "new" }
  | {
      readonly status: "changed" | "same" | "stale";
      readonly updatedAt: string;
      readonly fetchedAt: string | null;
    };

interface StoredCopy {
  readonly updated_at: string;
  readonly raw_json: string;
  readonly fetched_at: string | null;
}

const storedRows = perConnection((db) => ({
  issues: db.prepare<[number], StoredCopy>(
    "SELECT updated_at, raw_json, fetched_at FROM issues WHERE id = ?",
  ),
  merge_requests: db.prepare<[number], StoredCopy>(
    "SELECT updated_at, raw_json, fetched_at FROM merge_requests WHERE id = ?",
  ),
}));

/**
 * How a fetched copy compares with the stored one: lets sync skip the dependent requests of an
 * entity that has not changed, and skip writing one that is older than what we hold.
 */
export function freshness(
  db: Db,
  table: EntityTable,
  id: number,
  updatedAt: string,
  rawJson: string,
): Freshness {
  const row = storedRow(db, table, id);
  if (!row) return { status: "new" };
  const status =
    row.updated_at > updatedAt
      ? "stale"
      : row.updated_at === updatedAt && row.raw_json === rawJson
        ? "same"
        : "changed";
  return { status, updatedAt: row.updated_at, fetchedAt: row.fetched_at };
}

/** The stored updated_at of an entity, or undefined when it is not stored. */
export function storedUpdatedAt(db: Db, table: EntityTable, id: number): string | undefined {
  return storedRow(db, table, id)?.updated_at;
}

function storedRow(db: Db, table: EntityTable, id: number): StoredCopy | undefined {
  return storedRows(db)[table].get(id);
}
