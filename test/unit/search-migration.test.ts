// Migration 008 upgrades a database with documents in the old layout: on the schema of 002, and after
// a 007 that reworked the old index's triggers. Either way the new index passes FTS5's own
// integrity-check, the old documents stay searchable, and every source is queued for re-rendering.

import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { loadMigrations, type Migration, migrate } from "../../src/db/migrate.js";
import { lexicalSearch } from "../../src/search/lexical.js";

const all = loadMigrations();
const upTo = (version: number) => all.filter((m) => m.version <= version);
const search008 = all.find((m) => m.version === 8) as Migration;

// A 007 of the kind another change may bring: a column for what the title trigger indexes.
const reworked007: Migration = {
  version: 7,
  name: "007_fts_title",
  checksum: "test",
  sql: `
    ALTER TABLE documents ADD COLUMN fts_title TEXT NOT NULL DEFAULT '';
    UPDATE documents SET fts_title = CASE WHEN source_type = 'discussion' THEN '' ELSE title END;
    DROP TRIGGER documents_fts_insert;
    DROP TRIGGER documents_fts_delete;
    DROP TRIGGER documents_fts_update;
    DROP TABLE documents_fts;
    CREATE VIRTUAL TABLE documents_fts USING fts5(fts_title, content, content = 'documents', content_rowid = 'id');
    CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
      INSERT INTO documents_fts (rowid, fts_title, content) VALUES (new.id, new.fts_title, new.content);
    END;
    CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
      INSERT INTO documents_fts (documents_fts, rowid, fts_title, content) VALUES ('delete', old.id, old.fts_title, old.content);
    END;
    CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN
      INSERT INTO documents_fts (documents_fts, rowid, fts_title, content) VALUES ('delete', old.id, old.fts_title, old.content);
      INSERT INTO documents_fts (rowid, fts_title, content) VALUES (new.id, new.fts_title, new.content);
    END;
    INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');`,
};

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
  it.each([
    ["the schema of 002", [] as Migration[]],
    ["a reworked 007", [reworked007]],
  ])("upgrades %s to a consistent three-column index", (_label, between) => {
    const db = oldDatabase();
    migrate(db, [...upTo(6), ...between, search008]);
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
