// How every sync run ends when it does not succeed: the run record says cancelled (with the phase
// reached) or failed (with the error), and the error that reaches the user names the run and phase.

import { cancelledError, isCancellation, LoreError } from "../core/errors.js";
import { sqliteFailure } from "../db/errors.js";
import type { Db } from "../db/open.js";
import { finishSyncRun } from "../db/sync-runs.js";

export function endRunWithError(
  db: Db,
  runId: number,
  phase: string,
  error: unknown,
  signal: AbortSignal,
): never {
  const cancelled = isCancellation(error) || signal.aborted;
  try {
    finishSyncRun(db, runId, cancelled ? "cancelled" : "failed", cancelled ? null : errorText(error));
  } catch {
    // The database itself may be what failed (locked, full): the original error matters more.
  }
  if (cancelled) throw cancelledError({ run_id: runId, phase });
  error = sqliteFailure(error) ?? error;
  if (error instanceof LoreError) {
    throw new LoreError(error.code, error.message, {
      ...(error.suggestion ? { suggestion: error.suggestion } : {}),
      actions: error.actions,
      details: { ...(error.details ?? {}), run_id: runId, phase },
      cause: error,
    });
  }
  throw error;
}

function errorText(error: unknown): string {
  if (error instanceof LoreError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
