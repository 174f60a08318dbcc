// Turns `lore doctor` flags into typed options. Every violation is USAGE, raised before any check.

import { usageError } from "../../../core/errors.js";
import { DEFAULT_DB_TIMEOUT_S } from "./command.js";

/**
 * `--db-timeout SECONDS`: how long the integrity check may take, in milliseconds (0: no limit).
 * Fractions count (`0.5`), down to the millisecond.
 */
export function parseDbTimeout(value: unknown): number {
  const text = String(value ?? DEFAULT_DB_TIMEOUT_S).trim();
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(seconds)) {
    throw usageError(`--db-timeout ${text}: expected a number of seconds, e.g. 60 or 0.5 (0: no limit)`);
  }
  const ms = Math.round(seconds * 1000);
  if (seconds > 0 && ms === 0) {
    throw usageError(`--db-timeout ${text}: the smallest budget is 0.001 s (0: no limit)`);
  }
  return ms;
}
