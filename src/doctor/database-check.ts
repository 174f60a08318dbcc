// Doctor's database check: the file opens for reading, its schema is current, SQLite's quick_check
// finds every page sound and FTS5 finds the search index equal to the documents. The integrity
// check runs in a worker within a time budget, so doctor answers even on a very large file. Damage
// found is recorded (no command writes into the file afterwards); a sound file clears an old mark.

import { existsSync, statSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { Config } from "../config/schema.js";
import { LoreError } from "../core/errors.js";
import { type Env, resolveDbPath } from "../core/paths.js";
import {
  clearDamage,
  damageCause,
  describeDamage,
  RECOVER_ACTIONS,
  RECOVER_SUGGESTION,
  readDamage,
  recordDamage,
} from "../db/damage.js";
import type { IntegrityReport } from "../db/integrity.js";
import { schemaVersion } from "../db/migrate.js";
import { openDatabaseForReading } from "../db/open.js";
import { type Check, failed, pass } from "./check.js";

type Outcome = { readonly report: IntegrityReport } | { readonly timedOut: true };

// Set by the bundler: the worker's file relative to the bundled chunk this module lands in.
declare const __LORE_INTEGRITY_WORKER__: string | undefined;
const INTEGRITY_WORKER =
  typeof __LORE_INTEGRITY_WORKER__ === "string" ? __LORE_INTEGRITY_WORKER__ : "./integrity-worker.js";

/** Runs the integrity check in a worker; stops waiting after `budgetMs` (0: no limit). */
function runIntegrityCheck(path: string, budgetMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(INTEGRITY_WORKER, import.meta.url), { workerData: { path } });
    const timer =
      budgetMs > 0
        ? setTimeout(() => {
            // The worker is mid-way through a native call: it ends with the process.
            worker.unref();
            resolve({ timedOut: true });
          }, budgetMs)
        : undefined;
    worker.once("message", (report: IntegrityReport) => {
      clearTimeout(timer);
      resolve({ report });
      void worker.terminate();
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function damagedCheck(detail: string): Check {
  return failed("database", "DATABASE", detail, RECOVER_SUGGESTION, RECOVER_ACTIONS);
}

export async function checkDatabase(config: Config | undefined, env: Env, budgetMs: number): Promise<Check> {
  const path = resolveDbPath(env, config?.storage.dbPath);
  if (!existsSync(path)) return pass("database", `${path} not created yet (lore sync creates it)`);
  const damage = readDamage(path);
  let version: number;
  try {
    const db = openDatabaseForReading(path);
    try {
      version = schemaVersion(db);
    } finally {
      db.close();
    }
  } catch (error) {
    const cause = damageCause(error);
    if (cause) recordDamage(path, "doctor", cause);
    const e = error instanceof LoreError ? error : new LoreError("DATABASE", String(error));
    return failed("database", "DATABASE", e.message, e.suggestion, e.actions);
  }
  const head = `${path} (schema v${version}, ${size(statSync(path).size)})`;
  const started = performance.now();
  let outcome: Outcome;
  try {
    outcome = await runIntegrityCheck(path, budgetMs);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failed("database", "DATABASE", `${head}: the integrity check could not run: ${message}`);
  }
  if (!("report" in outcome)) {
    const unfinished = `the integrity check did not finish within ${budgetMs / 1000} s`;
    if (damage) return damagedCheck(`${head}: ${describeDamage(damage)}; ${unfinished}`);
    return pass("database", `${head}: integrity not verified`, [
      `${unfinished}; run lore doctor --db-timeout 0 to wait for it`,
    ]);
  }
  const { quick_check: quick, fts } = outcome.report;
  if (!quick.ok) {
    recordDamage(path, "doctor", {
      code: "SQLITE_CORRUPT",
      message: quick.problems[0] ?? "quick_check failed",
    });
    const shown = quick.problems.slice(0, 3).join("; ");
    return damagedCheck(
      `${head} is damaged: quick_check found ${quick.problems.length === 20 ? "20 or more" : quick.problems.length} problem(s) in ${seconds(quick.elapsed_ms)}: ${shown}`,
    );
  }
  if (fts.status === "damaged") {
    return failed(
      "database",
      "DATABASE",
      `${head}: the full-text search index does not match the documents (${fts.detail})`,
      "Every page is sound: `lore sync --recover` rebuilds the search index in place.",
      ["lore sync --recover"],
    );
  }
  const ftsText =
    fts.status === "ok"
      ? `full-text index ok in ${seconds(fts.elapsed_ms)}`
      : `full-text index not checked: ${fts.detail}`;
  const warnings: string[] = [];
  if (damage) {
    clearDamage(path);
    warnings.push(`it was ${describeDamage(damage)}; it is sound now, so lore writes to it again`);
  }
  return pass(
    "database",
    `${head}: quick_check ok in ${seconds(quick.elapsed_ms)}, ${ftsText} (${seconds(performance.now() - started)} in all)`,
    warnings,
  );
}
