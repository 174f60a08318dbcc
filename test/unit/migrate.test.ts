import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { isLoreError } from "../../src/core/errors.js";
import { loadMigrations, migrate } from "../../src/db/migrate.js";

it("applies every migration once, in order, and re-running is a no-op", () => {
  const db = new Database(":memory:");
  const migrations = loadMigrations();
  expect(migrations.map((m) => m.version)).toEqual(
    [...migrations.map((m) => m.version)].sort((a, b) => a - b),
  );
  const first = migrate(db);
  expect(first.applied).toEqual(migrations.map((m) => m.name));
  const second = migrate(db);
  expect(second.applied).toEqual([]);
  expect(second.schemaVersion).toBe(migrations.at(-1)?.version);
  db.close();
});

it("rolls back a failing migration and records nothing for it", () => {
  const db = new Database(":memory:");
  const broken = [
    { version: 1, name: "001_ok", sql: "CREATE TABLE a (x);", checksum: "a" },
    { version: 2, name: "002_bad", sql: "CREATE TABLE b (y); INSERT INTO nope VALUES (1);", checksum: "b" },
  ];
  expect(() => migrate(db, broken)).toThrow();
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
  expect(tables).toEqual([{ name: "a" }, { name: "schema_migrations" }]);
  expect(db.prepare("SELECT version FROM schema_migrations").all()).toEqual([{ version: 1 }]);
  db.close();
});

it("refuses a migration whose text changed after it was applied", () => {
  const db = new Database(":memory:");
  migrate(db, [{ version: 1, name: "001_a", sql: "CREATE TABLE a (x);", checksum: "one" }]);
  let caught: unknown;
  try {
    migrate(db, [{ version: 1, name: "001_a", sql: "CREATE TABLE a (x, y);", checksum: "two" }]);
  } catch (error) {
    caught = error;
  }
  expect(isLoreError(caught, "DATABASE")).toBe(true);
  db.close();
});

it("announces an upgrade of an existing schema, not the creation of a new one", () => {
  const db = new Database(":memory:");
  const all = [
    { version: 1, name: "001_a", sql: "CREATE TABLE a (x);", checksum: "a" },
    { version: 2, name: "002_b", sql: "CREATE TABLE b (y);", checksum: "b" },
  ];
  const heard: string[][] = [];
  const listen = (pending: readonly { name: string }[]) => heard.push(pending.map((m) => m.name));
  migrate(db, all.slice(0, 1), listen);
  expect(heard).toEqual([]);
  migrate(db, all, listen);
  expect(heard).toEqual([["002_b"]]);
  migrate(db, all, listen);
  expect(heard).toEqual([["002_b"]]);
  db.close();
});
