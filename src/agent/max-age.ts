// `--max-age DURATION` (and the config's `read.maxAge`): how old a local copy may be before a read
// refreshes it from GitLab first. `0` always refreshes; `off` turns a configured default off.

import { usageError } from "../core/errors.js";

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** `30s`, `5m`, `2h`, `1d`, `1w`, or bare seconds (`90`, `0`); undefined when it is none of these. */
export function durationSeconds(text: string): number | undefined {
  const match = /^(\d+)\s*([smhdw]?)$/i.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * (UNIT_SECONDS[(match[2] ?? "").toLowerCase()] ?? 1);
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

const OFF = new Set(["off", "none", "never"]);

/**
 * The max age in seconds a read applies: the flag when given (`off` disables the configured
 * default), else the config's `read.maxAge`; undefined means "answer from the local copy".
 */
export function resolveMaxAge(flag: unknown, configured: string | undefined): number | undefined {
  if (flag === undefined || flag === null) {
    return configured === undefined ? undefined : durationSeconds(configured);
  }
  const text = String(flag).trim();
  if (OFF.has(text.toLowerCase())) return undefined;
  const seconds = durationSeconds(text);
  if (seconds === undefined) {
    throw usageError(
      `--max-age ${text}: expected a duration such as 30s, 5m, 2h or 0 (always refresh), or off`,
    );
  }
  return seconds;
}

/** True when a copy synced at `syncedAt` is too old for `maxAgeSeconds` (0: always). */
export function needsRefresh(syncedAt: string | null, maxAgeSeconds: number, now: number): boolean {
  if (maxAgeSeconds === 0 || syncedAt === null) return true;
  const at = Date.parse(syncedAt);
  return Number.isNaN(at) || now - at > maxAgeSeconds * 1000;
}
