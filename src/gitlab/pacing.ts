// Rate-limit pacing shared by every request of one client: below 10 % of the quota left, requests
// are spread evenly until the window resets; with none left (or after a 429) all of them wait.

import type { ResponseHeaders } from "../http/transport.js";

const PACING_THRESHOLD = 0.1;

export interface Pacing {
  /** Milliseconds the next request must wait before it starts (and reserves its slot in time). */
  nextDelay(): number;
  /** Reads RateLimit-* headers from an answer. */
  observe(headers: ResponseHeaders): void;
  /** Holds every request until `until` (a 429 asked all of them to wait). */
  holdUntil(until: number): void;
}

export function createPacing(now: () => number): Pacing {
  let nextStartAt = 0;
  let spacingMs = 0;
  let spacingUntil = 0;
  return {
    nextDelay() {
      const current = now();
      if (current >= spacingUntil) spacingMs = 0;
      const startAt = Math.max(current, nextStartAt);
      nextStartAt = startAt + spacingMs;
      return startAt - current;
    },
    observe(headers) {
      const limit = Number(headers.get("ratelimit-limit"));
      const remaining = Number(headers.get("ratelimit-remaining"));
      const reset = Number(headers.get("ratelimit-reset"));
      if (!headers.has("ratelimit-remaining") || !(limit > 0) || Number.isNaN(remaining)) return;
      if (remaining / limit > PACING_THRESHOLD) {
        spacingMs = 0;
        return;
      }
      const current = now();
      const resetAt = reset > 0 ? reset * 1000 : current + 60_000;
      const windowMs = Math.max(0, resetAt - current);
      if (remaining <= 0) {
        nextStartAt = Math.max(nextStartAt, resetAt);
        spacingMs = 0;
      } else {
        spacingMs = windowMs / remaining;
        spacingUntil = resetAt;
        nextStartAt = Math.max(nextStartAt, current + spacingMs);
      }
    },
    holdUntil(until) {
      nextStartAt = Math.max(nextStartAt, until);
    },
  };
}
