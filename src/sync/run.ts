// The life of one sync run, the same for every mode (incremental, full, surgical): the sync lock
// when the mode needs it, the run record (phase, counters, warnings), the hook that still closes
// the record on a forced exit, and how the run ends — succeeded, cancelled at a phase, or failed
// with an error that names the run and the phase.

import { cancelledError, isCancellation, LoreError, throwIfCancelled } from "../core/errors.js";
import { sqliteFailure } from "../db/errors.js";
import type { Db } from "../db/open.js";
import { acquireSyncLock, setSyncLockRun } from "../db/sync-lock.js";
import {
  type Counters,
  finishSyncRun,
  type RequestedIids,
  type RunMode,
  setSyncRunCounters,
  setSyncRunPhase,
  setSyncRunWarnings,
  startSyncRun,
} from "../db/sync-runs.js";

/** What a run reports to its caller and what a caller may inject; every member is optional but the signal. */
export interface RunHooks {
  readonly signal: AbortSignal;
  /** Registers a synchronous hook run on a forced exit (a second Ctrl-C); returns its removal. */
  readonly onCleanup?: ((hook: () => void) => () => void) | undefined;
  readonly warn?: ((message: string) => void) | undefined;
  readonly onPhase?: ((phase: string, detail?: string) => void) | undefined;
  /**
   * Awaited when a phase begins, after it is recorded and before its work: the seam tests use to
   * act inside a phase (e.g. cancel it). Production callers leave it unset.
   */
  readonly beforePhase?: ((phase: string) => Promise<void> | void) | undefined;
}

export interface RunStart {
  readonly mode: RunMode;
  readonly projects: readonly string[];
  readonly requested?: RequestedIids | undefined;
  /** Warnings known before the run starts (e.g. no token: anonymous access). */
  readonly warnings?: readonly string[] | undefined;
  /** Take the sync lock first (incremental and full sync); surgical sync runs without it. */
  readonly lock: boolean;
}

export interface SyncRun {
  readonly id: number;
  readonly signal: AbortSignal;
  readonly startedAt: string;
  readonly warnings: readonly string[];
  /** Records a warning in the run and passes it on to the caller. */
  warn(message: string): void;
  /** Records the phase, tells the caller, and throws CANCELLED when the run was stopped. */
  enter(phase: string, detail?: string): Promise<void>;
  /** Where the live counters are read from: stored at every phase change and when the run ends. */
  track(counters: () => Counters): void;
  /** Stores the counters now (e.g. after each page, so an interrupted run still tells its progress). */
  save(): void;
}

/**
 * Runs `body` as one recorded sync run. The record is closed whatever happens: succeeded when
 * `body` returns, cancelled (with the phase reached) when the signal stopped it, failed otherwise.
 */
export async function withSyncRun<T>(
  db: Db,
  start: RunStart,
  hooks: RunHooks,
  body: (run: SyncRun) => Promise<T>,
): Promise<T> {
  const signal = hooks.signal;
  // The lock comes before the record: a sync refused with SYNC_LOCKED leaves no run behind.
  const lock = start.lock ? acquireSyncLock(db, { owner: `lore sync (${start.mode})` }) : undefined;
  const startedAt = new Date().toISOString();
  let runId: number;
  try {
    runId = startSyncRun(db, start.mode, start.projects, {
      phase: "starting",
      ...(start.requested ? { requested: start.requested } : {}),
    });
    if (lock) setSyncLockRun(db, runId);
  } catch (error) {
    lock?.release();
    throw sqliteFailure(error) ?? error;
  }
  const id = runId;
  const warnings: string[] = [];
  let phase = "starting";
  // The project being worked on, for errors: the phase's detail, or the run's only project.
  let project = start.projects.length === 1 ? start.projects[0] : undefined;
  let counters: () => Counters = () => ({});
  const save = () => setSyncRunCounters(db, id, counters());
  const run: SyncRun = {
    id,
    signal,
    startedAt,
    warnings,
    warn(message) {
      warnings.push(message);
      setSyncRunWarnings(db, id, warnings);
      hooks.warn?.(message);
    },
    async enter(next, detail) {
      throwIfCancelled(signal);
      phase = next;
      if (detail !== undefined && start.projects.includes(detail)) project = detail;
      setSyncRunPhase(db, id, next);
      save();
      hooks.onPhase?.(next, detail);
      await hooks.beforePhase?.(next);
      throwIfCancelled(signal);
    },
    track(source) {
      counters = source;
    },
    save,
  };
  for (const warning of start.warnings ?? []) run.warn(warning);
  // A forced exit (second Ctrl-C) still leaves an honest record and a free lock.
  const removeHook = hooks.onCleanup?.(() => {
    finishSyncRun(db, id, "cancelled", `interrupted during ${phase}`);
    lock?.release();
  });
  try {
    const result = await body(run);
    save();
    setSyncRunPhase(db, id, "done");
    hooks.onPhase?.("done");
    finishSyncRun(db, id, "succeeded");
    return result;
  } catch (error) {
    return endWithError(db, id, { phase, project }, error, signal, save);
  } finally {
    lock?.release();
    removeHook?.();
  }
}

/** Closes the record as cancelled or failed and rethrows an error that names the run and phase. */
function endWithError(
  db: Db,
  runId: number,
  { phase, project }: { readonly phase: string; readonly project: string | undefined },
  error: unknown,
  signal: AbortSignal,
  save: () => void,
): never {
  const cancelled = isCancellation(error) || signal.aborted;
  try {
    save();
    finishSyncRun(db, runId, cancelled ? "cancelled" : "failed", cancelled ? null : errorText(error));
  } catch {
    // The database itself may be what failed (locked, full): the original error matters more.
  }
  if (cancelled) throw cancelledError({ run_id: runId, phase });
  const mapped = sqliteFailure(error) ?? error;
  if (mapped instanceof LoreError) {
    // An auth failure names the project whose sync it stopped (GitLab's route only has its id).
    const named = mapped.code === "GITLAB_AUTH" && project !== undefined && !mapped.message.includes(project);
    throw new LoreError(mapped.code, named ? `${mapped.message}, while syncing ${project}` : mapped.message, {
      ...(mapped.suggestion ? { suggestion: mapped.suggestion } : {}),
      actions: mapped.actions,
      details: { ...(mapped.details ?? {}), run_id: runId, phase, ...(project ? { project } : {}) },
      cause: mapped,
    });
  }
  throw mapped;
}

function errorText(error: unknown): string {
  if (error instanceof LoreError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
