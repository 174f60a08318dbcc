// The sync lock: one incremental/full sync per database. Held by pid with a heartbeat; a lock whose
// pid is dead (same host) or whose heartbeat is stale is taken over. Surgical sync never takes it.

import { hostname } from "node:os";
import { LoreError } from "../core/errors.js";
import { isProcessAlive } from "../core/process.js";
import type { Db } from "./open.js";

export interface SyncLockOptions {
  readonly owner: string;
  readonly runId?: number;
  /** A heartbeat older than this is stale (default 60 s). */
  readonly staleAfterMs?: number;
  /** How often the holder refreshes its heartbeat (default 10 s). */
  readonly heartbeatMs?: number;
  readonly pid?: number;
  readonly now?: () => number;
}

export interface SyncLock {
  readonly takenOver: boolean;
  release(): void;
}

interface LockRow {
  readonly owner: string;
  readonly pid: number;
  readonly hostname: string;
  readonly heartbeat_at: string;
}

export function acquireSyncLock(db: Db, options: SyncLockOptions): SyncLock {
  const now = options.now ?? Date.now;
  const pid = options.pid ?? process.pid;
  const host = hostname();
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  let takenOver = false;

  db.transaction(() => {
    const row = db.prepare("SELECT owner, pid, hostname, heartbeat_at FROM sync_lock WHERE id = 1").get() as
      | LockRow
      | undefined;
    if (row) {
      const heartbeatAge = now() - Date.parse(row.heartbeat_at);
      const deadHere = row.hostname === host && !isProcessAlive(row.pid);
      const stale = !(heartbeatAge < staleAfterMs);
      if (!deadHere && !stale) {
        throw new LoreError("SYNC_LOCKED", `Another sync (pid ${row.pid} on ${row.hostname}) is running.`, {
          suggestion:
            "Wait for it to finish, or use surgical sync (`lore sync -p PROJECT --issue N`), which does not need the lock.",
          details: { pid: row.pid, hostname: row.hostname, heartbeat_at: row.heartbeat_at },
        });
      }
      takenOver = true;
      db.prepare("DELETE FROM sync_lock WHERE id = 1").run();
    }
    const stamp = new Date(now()).toISOString();
    db.prepare(
      "INSERT INTO sync_lock (id, owner, pid, hostname, run_id, acquired_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?, ?)",
    ).run(options.owner, pid, host, options.runId ?? null, stamp, stamp);
  }).immediate();

  const beat = db.prepare("UPDATE sync_lock SET heartbeat_at = ? WHERE id = 1 AND pid = ?");
  const timer = setInterval(() => {
    try {
      beat.run(new Date(now()).toISOString(), pid);
    } catch {
      // A busy database delays one heartbeat; the next one retries.
    }
  }, options.heartbeatMs ?? 10_000);
  timer.unref();

  let released = false;
  return {
    takenOver,
    release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      db.prepare("DELETE FROM sync_lock WHERE id = 1 AND pid = ?").run(pid);
    },
  };
}

export function setSyncLockRun(db: Db, runId: number, pid: number = process.pid): void {
  db.prepare("UPDATE sync_lock SET run_id = ? WHERE id = 1 AND pid = ?").run(runId, pid);
}
