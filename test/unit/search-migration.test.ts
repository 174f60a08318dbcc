// Migration 008 upgrades a database with documents in the old layout (written before 007 and 008):
// the new index passes FTS5's own integrity-check, the old documents stay searchable, and every
// source is queued for re-rendering.

import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { loadMigrations, migrate } from "../../src/db/migrate.js";
import { lexicalSearch } from "../../src/search/lexical.js";

const all = loadMigrations();
const upTo = (version: number) => all.filter((m) => m.version <= version);
const through008 = all.filter((m) => m.version >= 7 && m.version <= 8);

function oldDatabase(): Database.Database {
  const db = new Database(":memory:");
  migrate(db, upTo(6));
  db.prepare(
    "INSERT INTO projects (id, path_with_namespace, raw_json, synced_at) VALUES (1, 'g/p', '{}', 'x')",
  ).run();
  const insert = db.prepare(
    `INSERT INTO documents (source_type, source_id, project_id, parent_type, parent_id, iid, title, updated_at, content, content_hash, generated_at)
     VALUES (?, ?, 1, 'issue', 1, 1, 'Proxy timeout', '2024-01-01T00:00:00.000Z', ?, 'old', 'x')`,
  );
  insert.run(
    "issue",
    "1",
    "Issue g/p#1: Proxy timeout\nState: opened\n\nThe export stalls behind the proxy.",
  );
  insert.run(
    "discussion",
    "abc",
    "Discussion on issue g/p#1: Proxy timeout\n\n@bob at 2024:\nSeen on staging.",
  );
  return db;
}

function integrityCheck(db: Database.Database): void {
  db.prepare("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)").run();
}

describe("migration 008", () => {
  it("upgrades documents written before 007 to a consistent three-column index", () => {
    const db = oldDatabase();
    migrate(db, [...upTo(6), ...through008]);
    expect(() => integrityCheck(db)).not.toThrow();
    // Old documents count as all body until they are re-rendered, and are all queued for it.
    expect(lexicalSearch(db, "staging", {}, 10).results.map((r) => r.source_type)).toEqual(["discussion"]);
    expect(lexicalSearch(db, "stalls", {}, 10).results[0]?.snippet).toContain("stalls");
    expect(db.prepare("SELECT COUNT(*) AS n FROM dirty_sources").get()).toEqual({ n: 2 });
    expect(db.prepare("SELECT DISTINCT content_hash FROM documents").all()).toEqual([{ content_hash: "" }]);
    // Writes through the new triggers keep it consistent.
    db.prepare(
      "UPDATE documents SET content = 'Issue g/p#1: Proxy timeout\n\nNew text.', header_chars = 27 WHERE source_type = 'issue'",
    ).run();
    db.prepare("DELETE FROM documents WHERE source_type = 'discussion'").run();
    expect(() => integrityCheck(db)).not.toThrow();
    expect(lexicalSearch(db, "new text", {}, 10).results).toHaveLength(1);
    expect(lexicalSearch(db, "staging", {}, 10).results).toHaveLength(0);
    db.close();
  });
});
