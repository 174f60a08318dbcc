// One `request` function for the GitLab REST API: URL building, auth header, timeouts merged with the
// caller's signal, retries with backoff, rate-limit pacing, a client-wide concurrency limit, and the
// mapping of every failure to a LoreError that never carries the token.

import { cancelledError, isLoreError, LoreError, throwIfCancelled } from "../core/errors.js";

export interface HttpMetrics {
  requests: number;
  retries: number;
  bytes: number;
  rateLimitWaitMs: number;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface HttpOptions {
  readonly baseUrl: string;
  readonly token?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly maxRetries?: number | undefined;
  readonly concurrency?: number | undefined;
  /** lore's version, sent as `User-Agent: lore/<version>`; `userAgent` overrides the whole header. */
  readonly version?: string | undefined;
  readonly userAgent?: string | undefined;
  readonly fetch?: typeof fetch | undefined;
  readonly sleep?: Sleep | undefined;
  readonly now?: (() => number) | undefined;
  readonly random?: (() => number) | undefined;
  /** Longest server-requested wait lore accepts before giving up with GITLAB_RATE_LIMITED. */
  readonly maxRetryAfterMs?: number | undefined;
}

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

export interface RequestOptions {
  readonly query?: Query | undefined;
  readonly signal?: AbortSignal | undefined;
  /** What the request is about, for 404 messages: "project group/x", "issue #42 in project 7". */
  readonly describe?: string | undefined;
  /** The route template for error messages, e.g. "GET /projects/:id/issues". */
  readonly endpoint?: string | undefined;
  /** Statuses handed back to the caller instead of raised (e.g. 405 for keyset detection). */
  readonly allowStatus?: readonly number[] | undefined;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly url: string;
}

/** `target` is a path under /api/v4 ("/projects/1") or an absolute URL from a `Link` header. */
export type RequestFn = (target: string, options?: RequestOptions) => Promise<HttpResponse>;

export interface HttpClient {
  readonly request: RequestFn;
  readonly metrics: HttpMetrics;
  readonly apiBaseUrl: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 4;
const DEFAULT_CONCURRENCY = 8;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const DEFAULT_MAX_RETRY_AFTER_MS = 15 * 60_000;
/** Below this share of the quota left, requests are spread evenly until the window resets. */
const PACING_THRESHOLD = 0.1;
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Accepts `https://gitlab.com`, a trailing slash, an `/api/v4` suffix or a relative root
 * (`https://h/gitlab`) and returns the API root without a trailing slash.
 */
export function normalizeApiBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new LoreError("CONFIG", `GitLab base URL is not a valid URL: ${sanitizeUrl(input)}`, {
      suggestion: "Set gitlab.baseUrl to something like https://gitlab.com",
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LoreError("CONFIG", `GitLab base URL must be http(s): ${sanitizeUrl(input)}`);
  }
  url.username = "";
  url.password = "";
  url.search = "";
  url.hash = "";
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api\/v4$/, "");
  return `${url.origin}${path}/api/v4`;
}

/** Drops credentials and token-like query parameters so a URL can go into an error. */
export function sanitizeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = "";
    url.password = "";
    for (const key of [...url.searchParams.keys()]) {
      if (/token|secret|password/i.test(key)) url.searchParams.set(key, "[REDACTED]");
    }
    return url.toString();
  } catch {
    return raw.replace(/\/\/[^/@\s]*@/, "//");
  }
}

export function buildQuery(query: Query | undefined): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(`${key}[]`, String(item));
    } else {
      params.append(key, String(value));
    }
  }
  return params.toString();
}

/** Parses `Link: <url>; rel="next", …` into a rel → url map. */
export function parseLinkHeader(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const part of header.split(",")) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (!match) continue;
    const rels = /rel="?([^";]+)"?/.exec(match[2] ?? "");
    for (const rel of (rels?.[1] ?? "").split(/\s+/)) if (rel) links[rel] = match[1] ?? "";
  }
  return links;
}

/** Milliseconds to wait as the server asked: Retry-After (seconds or HTTP date), then RateLimit-Reset. */
export function serverRequestedDelayMs(headers: Headers, now: number): number | undefined {
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

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Races an injected sleep with the signal so a wait is cancellable whatever the sleep does. */
async function cancellableSleep(sleep: Sleep, ms: number, signal: AbortSignal | undefined): Promise<void> {
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

/** A FIFO semaphore; a waiter whose signal aborts leaves the queue. */
function createLimiter(limit: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return {
    async acquire(signal: AbortSignal | undefined): Promise<() => void> {
      throwIfCancelled(signal);
      if (active >= limit) {
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            const index = queue.indexOf(grant);
            if (index >= 0) queue.splice(index, 1);
            reject(signal?.reason ?? cancelledError());
          };
          const grant = () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          };
          queue.push(grant);
          signal?.addEventListener("abort", onAbort, { once: true });
        }).catch(() => throwIfCancelled(signal));
      } else {
        active += 1;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const next = queue.shift();
        if (next) next();
        else active -= 1;
      };
    },
  };
}

function describeBody(body: unknown, text: string): string {
  const pick = (value: unknown): string | undefined => {
    if (typeof value === "string") return value;
    if (value !== null && value !== undefined) return JSON.stringify(value);
    return undefined;
  };
  if (body !== null && typeof body === "object") {
    const record = body as Record<string, unknown>;
    const parts = [pick(record.message), pick(record.error), pick(record.error_description)].filter(
      (part): part is string => part !== undefined,
    );
    if (parts.length > 0) return parts.join(": ").slice(0, 300);
  }
  return text.replace(/\s+/g, " ").trim().slice(0, 200);
}

function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = current.cause;
  }
  return undefined;
}

function errorMessageOf(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    messages.push(current.message);
    current = current.cause;
  }
  return messages.join(": ");
}

export function createHttpClient(options: HttpOptions): HttpClient {
  const apiBaseUrl = normalizeApiBaseUrl(options.baseUrl);
  const apiOrigin = new URL(apiBaseUrl).origin;
  const token = options.token === "" ? undefined : options.token;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const userAgent = options.userAgent ?? `lore/${options.version ?? "0.0.0"}`;
  const doFetch = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const limiter = createLimiter(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  const metrics: HttpMetrics = { requests: 0, retries: 0, bytes: 0, rateLimitWaitMs: 0 };

  // Pacing state: the earliest time the next request may start, and the spacing while quota is low.
  let nextStartAt = 0;
  let spacingMs = 0;
  let spacingUntil = 0;

  /** Scrubs the token from any text that may end up in an error. */
  const scrub = (text: string): string => (token ? text.split(token).join("[REDACTED]") : text);

  const resolveUrl = (target: string, query: Query | undefined): URL => {
    let url: URL;
    if (/^https?:\/\//i.test(target)) {
      url = new URL(target);
      // Link headers may name the host GitLab sees behind a proxy; keep the configured one.
      const marker = url.pathname.indexOf("/api/v4/");
      if (url.origin !== apiOrigin && marker >= 0) {
        url = new URL(`${apiBaseUrl}${url.pathname.slice(marker + "/api/v4".length)}${url.search}`);
      }
    } else {
      url = new URL(`${apiBaseUrl}${target.startsWith("/") ? target : `/${target}`}`);
    }
    const extra = buildQuery(query);
    if (extra) url.search = url.search ? `${url.search}&${extra}` : `?${extra}`;
    return url;
  };

  const waitForPacing = async (signal: AbortSignal | undefined): Promise<void> => {
    const current = now();
    if (current >= spacingUntil) spacingMs = 0;
    const startAt = Math.max(current, nextStartAt);
    nextStartAt = startAt + spacingMs;
    const wait = startAt - current;
    if (wait > 0) {
      metrics.rateLimitWaitMs += wait;
      await cancellableSleep(sleep, wait, signal);
    }
  };

  const observeRateLimit = (headers: Headers): void => {
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
  };

  const backoffMs = (attempt: number): number => {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
    return ceiling / 2 + (random() * ceiling) / 2;
  };

  interface Attempt {
    readonly response?: Response;
    readonly text?: string;
    readonly url: URL;
    readonly failure?: unknown;
  }

  /** One HTTP exchange, following at most one redirect, with the body read under the same timeout. */
  const attemptOnce = async (url: URL, signal: AbortSignal | undefined): Promise<Attempt> => {
    // A per-attempt controller whose timer and listener are removed when the attempt ends:
    // AbortSignal.timeout()/any() keep every signal alive until its timer fires, which at
    // thousands of requests per second held tens of megabytes for the whole timeout.
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError")),
      timeoutMs,
    );
    const forward = () => controller.abort(signal?.reason);
    if (signal?.aborted) forward();
    else signal?.addEventListener("abort", forward, { once: true });
    const combined = controller.signal;
    let current = url;
    try {
      for (let hop = 0; ; hop += 1) {
        const headers: Record<string, string> = { Accept: "application/json", "User-Agent": userAgent };
        // The token only goes to the configured GitLab origin, never to a redirect target elsewhere.
        if (token && current.origin === apiOrigin) headers["PRIVATE-TOKEN"] = token;
        metrics.requests += 1;
        const response = await doFetch(current, { headers, signal: combined, redirect: "manual" });
        const location = response.headers.get("location");
        if (REDIRECT_STATUSES.has(response.status) && location && hop === 0) {
          await response.body?.cancel().catch(() => {});
          current = new URL(location, current);
          continue;
        }
        const buffer = new Uint8Array(await response.arrayBuffer());
        metrics.bytes += buffer.byteLength;
        return { response, text: new TextDecoder().decode(buffer), url: current };
      }
    } catch (failure) {
      return { failure, url: current };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", forward);
    }
  };

  const request: RequestFn = async (target, requestOptions = {}) => {
    const { signal, describe } = requestOptions;
    const url = resolveUrl(target, requestOptions.query);
    const endpoint =
      requestOptions.endpoint ?? `GET ${url.pathname.slice(new URL(apiBaseUrl).pathname.length)}`;
    const safeUrl = () => scrub(sanitizeUrl(url.toString()));

    for (let attempt = 0; ; attempt += 1) {
      throwIfCancelled(signal);
      await waitForPacing(signal);
      const release = await limiter.acquire(signal);
      let result: Attempt;
      try {
        result = await attemptOnce(url, signal);
      } finally {
        release();
      }
      throwIfCancelled(signal);
      const canRetry = attempt < maxRetries;

      if (result.failure !== undefined) {
        if (isLoreError(result.failure)) throw result.failure;
        const code = errorCodeOf(result.failure);
        const isTimeout =
          result.failure instanceof Error &&
          (result.failure.name === "TimeoutError" || result.failure.name === "AbortError");
        if (canRetry) {
          metrics.retries += 1;
          await cancellableSleep(sleep, backoffMs(attempt), signal);
          continue;
        }
        const reason = isTimeout ? `timed out after ${timeoutMs} ms` : scrub(errorMessageOf(result.failure));
        throw new LoreError("GITLAB_NETWORK", `Cannot reach GitLab (${endpoint}): ${reason}`, {
          suggestion: `Check the network and gitlab.baseUrl (lore tried ${attempt + 1} time(s)).`,
          details: { endpoint, url: safeUrl(), attempts: attempt + 1, ...(code ? { error_code: code } : {}) },
        });
      }

      const response = result.response as Response;
      const text = result.text ?? "";
      observeRateLimit(response.headers);
      const status = response.status;

      if (status >= 200 && status < 300) {
        let body: unknown = null;
        if (text.trim() !== "") {
          try {
            body = JSON.parse(text);
          } catch {
            throw new LoreError(
              "GITLAB_NETWORK",
              `GitLab answered ${endpoint} with a body that is not valid JSON (HTTP ${status}, ${text.length} bytes)`,
              {
                suggestion: "A proxy may be rewriting responses; check gitlab.baseUrl.",
                details: { endpoint, url: safeUrl(), status, body_start: scrub(text.slice(0, 120)) },
              },
            );
          }
        }
        return { status, headers: response.headers, body, url: result.url.toString() };
      }

      let errorBody: unknown;
      try {
        errorBody = text ? JSON.parse(text) : undefined;
      } catch {
        errorBody = undefined;
      }
      if (requestOptions.allowStatus?.includes(status)) {
        return { status, headers: response.headers, body: errorBody ?? null, url: result.url.toString() };
      }
      const gitlabMessage = scrub(describeBody(errorBody, text));
      const details = {
        endpoint,
        url: safeUrl(),
        status,
        gitlab_message: gitlabMessage,
        attempts: attempt + 1,
      };

      if (RETRYABLE_STATUSES.has(status)) {
        const requested = serverRequestedDelayMs(response.headers, now());
        const tooLong = requested !== undefined && requested > maxRetryAfterMs;
        if (canRetry && !tooLong) {
          const delay = requested ?? backoffMs(attempt);
          if (status === 429) {
            // Every request shares the quota: hold them all until the server's wait is over.
            nextStartAt = Math.max(nextStartAt, now() + delay);
            metrics.retries += 1;
            continue;
          }
          metrics.retries += 1;
          await cancellableSleep(sleep, delay, signal);
          continue;
        }
        if (status === 429) {
          throw new LoreError("GITLAB_RATE_LIMITED", `GitLab rate limit hit on ${endpoint} (HTTP 429)`, {
            suggestion:
              "Wait a few minutes, or lower gitlab.concurrency (gitlab.surgicalConcurrency for surgical syncs).",
            details: { ...details, ...(requested !== undefined ? { retry_after_ms: requested } : {}) },
          });
        }
        throw new LoreError(
          "GITLAB_NETWORK",
          `GitLab failed on ${endpoint} (HTTP ${status}): ${gitlabMessage}`,
          {
            suggestion: "GitLab or a proxy in front of it is having trouble; try again later.",
            details,
          },
        );
      }
      if (status === 401 || status === 403) {
        throw new LoreError(
          "GITLAB_AUTH",
          `GitLab refused the token on ${endpoint} (HTTP ${status}${gitlabMessage ? `: ${gitlabMessage}` : ""})`,
          {
            suggestion:
              "Check that the environment variable named by gitlab.tokenEnvVar holds a valid token with the read_api scope.",
            details,
          },
        );
      }
      if (status === 404) {
        const what = describe ?? endpoint;
        throw new LoreError("GITLAB_NOT_FOUND", `GitLab has no ${what} (or the token cannot see it)`, {
          suggestion: "Check the name and that the token's user can see it.",
          details,
        });
      }
      throw new LoreError(
        "GITLAB_NETWORK",
        `GitLab rejected ${endpoint} (HTTP ${status}): ${gitlabMessage}`,
        {
          details,
        },
      );
    }
  };

  return { request, metrics, apiBaseUrl };
}
