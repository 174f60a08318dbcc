import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { isLoreError } from "../../src/core/errors.js";
import { type Db, openDatabase } from "../../src/db/open.js";
import { acquireSyncLock } from "../../src/db/sync-lock.js";

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lore-lock-"));
  db = openDatabase(join(dir, "lore.db"));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

it("is exclusive while the holder is alive and fresh", () => {
  const lock = acquireSyncLock(db, { owner: "sync" });
  let caught: unknown;
  try {
    acquireSyncLock(db, { owner: "sync", pid: process.pid });
  } catch (error) {
    caught = error;
  }
  expect(isLoreError(caught, "SYNC_LOCKED")).toBe(true);
  expect((caught as { exitCode: number }).exitCode).toBe(9);
  lock.release();
  const again = acquireSyncLock(db, { owner: "sync" });
  expect(again.takenOver).toBe(false);
  again.release();
});

it("takes over a lock whose pid is dead", () => {
  db.prepare(
    "INSERT INTO sync_lock (id, owner, pid, hostname, acquired_at, heartbeat_at) VALUES (1, 'sync', 2147483646, ?, ?, ?)",
  ).run(hostname(), new Date().toISOString(), new Date().toISOString());
  const lock = acquireSyncLock(db, { owner: "sync" });
  expect(lock.takenOver).toBe(true);
  lock.release();
});

it("takes over a lock with a stale heartbeat even when the pid lives", () => {
  const old = new Date(Date.now() - 10 * 60_000).toISOString();
  db.prepare(
    "INSERT INTO sync_lock (id, owner, pid, hostname, acquired_at, heartbeat_at) VALUES (1, 'sync', ?, 'elsewhere', ?, ?)",
  ).run(process.pid, old, old);
  const lock = acquireSyncLock(db, { owner: "sync", staleAfterMs: 60_000 });
  expect(lock.takenOver).toBe(true);
  const row = db.prepare("SELECT pid FROM sync_lock").get() as { pid: number };
  expect(row.pid).toBe(process.pid);
  lock.release();
  expect(db.prepare("SELECT COUNT(*) AS n FROM sync_lock").get()).toEqual({ n: 0 });
});
