// When to retry an HTTP request and how long to wait, shared by the GitLab client and the embedding
// providers (after ky's retry timing): the server's Retry-After (seconds or HTTP date), then its
// RateLimit-Reset, else jittered exponential backoff; every wait is cancellable and leaves no
// listener behind.

import { cancelledError, throwIfCancelled } from "../core/errors.js";
import type { ResponseHeaders } from "./transport.js";

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Milliseconds to wait as the server asked: Retry-After (seconds or HTTP date), then RateLimit-Reset. */
export function serverRequestedDelayMs(headers: ResponseHeaders, now: number): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get("ratelimit-reset")?.trim();
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now);
  const resetTime = headers.get("ratelimit-resettime");
  if (resetTime) {
    const date = Date.parse(resetTime);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return undefined;
}

/** Full-jitter-ish backoff: between half and all of base × 2^attempt, capped. */
export function backoffMs(
  attempt: number,
  random: () => number = Math.random,
  baseMs = BACKOFF_BASE_MS,
): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, baseMs * 2 ** attempt);
  return ceiling / 2 + (random() * ceiling) / 2;
}

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? cancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Races an injected sleep with the signal so a wait is cancellable whatever the sleep does. */
export async function cancellableSleep(
  sleep: Sleep,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  throwIfCancelled(signal);
  if (ms <= 0) return;
  if (signal === undefined) return sleep(ms);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([sleep(ms, signal), aborted]);
  } catch (error) {
    throwIfCancelled(signal);
    throw error;
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
  throwIfCancelled(signal);
}
