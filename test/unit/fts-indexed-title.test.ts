import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { loadMigrations, migrate } from "../../src/db/migrate.js";

const insertDocument = (
  db: Database.Database,
  id: number,
  sourceType: string,
  title: string,
  content: string,
) =>
  db
    .prepare(
      `INSERT INTO documents (id, source_type, source_id, project_id, parent_type, parent_id, iid, title, updated_at,
         content, content_hash, generated_at)
       VALUES (?, ?, ?, 1, 'issue', 1, 1, ?, 'now', ?, 'h', 'now')`,
    )
    .run(id, sourceType, String(id), title, content);

const integrityCheck = (db: Database.Database) =>
  db.prepare("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)").run();

const titleMatches = (db: Database.Database, word: string) =>
  db.prepare("SELECT rowid FROM documents_fts WHERE indexed_title MATCH ? ORDER BY rowid").pluck().all(word);

it("upgrades an index built before 007 so FTS5's integrity-check passes, keeping thread titles out", () => {
  const db = new Database(":memory:");
  const migrations = loadMigrations();
  const before = migrations.filter((m) => m.name < "007");
  migrate(db, before);
  db.prepare(
    "INSERT INTO projects (id, path_with_namespace, raw_json, synced_at) VALUES (1, 'g/p', '{}', 'now')",
  ).run();
  insertDocument(db, 1, "issue", "Flamingo importer", "Issue body");
  insertDocument(db, 2, "discussion", "Flamingo importer", "Thread body");
  expect(() => integrityCheck(db)).toThrow(/malformed/);

  migrate(
    db,
    migrations.filter((m) => m.name < "008"),
  );
  expect(() => integrityCheck(db)).not.toThrow();
  expect(titleMatches(db, "flamingo")).toEqual([1]);

  // Writes after the upgrade keep the index equal to its content table.
  db.prepare("UPDATE documents SET title = 'Pelican importer', content = 'Edited' WHERE id = 2").run();
  insertDocument(db, 3, "merge_request", "Pelican fix", "MR body");
  db.prepare("DELETE FROM documents WHERE id = 1").run();
  expect(() => integrityCheck(db)).not.toThrow();
  expect(titleMatches(db, "pelican")).toEqual([3]);
  expect(
    db.prepare("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'pelican'").pluck().all(),
  ).toEqual([3]);
  db.close();
});
