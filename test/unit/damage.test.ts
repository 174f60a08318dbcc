import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { isLoreError } from "../../src/core/errors.js";
import {
  damageCause,
  damagedError,
  damageMarkPath,
  moveAside,
  readDamage,
  recordDamage,
  refuseIfDamaged,
} from "../../src/db/damage.js";

let dir: string;
let db: string;
const corrupt = { code: "SQLITE_CORRUPT", message: "database disk image is malformed" };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lore-damage-"));
  db = join(dir, "lore.db");
  writeFileSync(db, "pages");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("finds SQLite's damage codes through an error's causes, and nothing else", () => {
  const sqlite = Object.assign(new Error("file is not a database"), { code: "SQLITE_NOTADB" });
  const wrapped = new Error("sync failed", { cause: new Error("ingest failed", { cause: sqlite }) });
  expect(damageCause(wrapped)).toEqual({ code: "SQLITE_NOTADB", message: "file is not a database" });
  expect(damageCause(Object.assign(new Error("x"), { code: "SQLITE_CORRUPT_VTAB" }))?.code).toBe(
    "SQLITE_CORRUPT_VTAB",
  );
  expect(damageCause(Object.assign(new Error("full"), { code: "SQLITE_FULL" }))).toBeUndefined();
  expect(damagedError(db, new Error("plain"))).toBeUndefined();
  const error = damagedError(db, wrapped, { run_id: 3 });
  expect(error?.message).toContain("is not a SQLite database");
  expect(error?.details).toMatchObject({
    run_id: 3,
    db_path: db,
    damaged: true,
    sqlite_code: "SQLITE_NOTADB",
  });
});

it("refuses writes into a recorded file, keeping the first finding", () => {
  recordDamage(db, "search", corrupt);
  recordDamage(db, "sync", { code: "SQLITE_CORRUPT", message: "later" });
  expect(readDamage(db)).toMatchObject({ command: "search", message: corrupt.message });
  let caught: unknown;
  try {
    refuseIfDamaged(db);
  } catch (error) {
    caught = error;
  }
  expect(isLoreError(caught, "DATABASE") && caught.actions).toEqual(["lore sync --recover", "lore doctor"]);
});

it("ignores and removes a mark left by another file at the same path", () => {
  recordDamage(db, "sync", corrupt);
  rmSync(db);
  writeFileSync(`${db}.new`, "fresh");
  writeFileSync(db, "fresh"); // a new file: another inode
  rmSync(`${db}.new`);
  expect(readDamage(db)).toBeUndefined();
  expect(existsSync(damageMarkPath(db))).toBe(false);
  expect(() => refuseIfDamaged(db)).not.toThrow();
});

it("moves a damaged file aside with its -wal and -shm, and drops the mark", () => {
  writeFileSync(`${db}-wal`, "frames");
  writeFileSync(`${db}-shm`, "index");
  recordDamage(db, "sync", corrupt);
  const moved = moveAside(db, new Date("2024-05-01T10:20:30.456Z"));
  expect(moved).toBe(`${db}.damaged-2024-05-01T10-20-30-456Z`);
  for (const suffix of ["", "-wal", "-shm"]) {
    expect(existsSync(moved + suffix)).toBe(true);
    expect(existsSync(db + suffix)).toBe(false);
  }
  expect(existsSync(damageMarkPath(db))).toBe(false);
  writeFileSync(db, "again");
  expect(moveAside(db, new Date("2024-05-01T10:20:30.456Z"))).toBe(`${moved}-2`);
});
