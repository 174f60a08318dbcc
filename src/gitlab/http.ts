// One `request` function for the GitLab REST API, composed of small parts: URLs (url.ts), the
// transport (a keep-alive node:http pool), retry timing and the concurrency limiter (shared with the
// embedding client), rate-limit pacing (pacing.ts) and error mapping (http-errors.ts). The token
// goes only to the configured origin and never into an error.

import { isLoreError, throwIfCancelled } from "../core/errors.js";
import { createLimiter } from "../http/limiter.js";
import {
  backoffMs,
  cancellableSleep,
  defaultSleep,
  RETRYABLE_STATUSES,
  type Sleep,
  serverRequestedDelayMs,
} from "../http/retry-timing.js";
import {
  type Exchange,
  fetchTransport,
  isTimeoutOrAbort,
  nodeTransport,
  type ResponseHeaders,
  type Transport,
  withTimeout,
} from "../http/transport.js";
import { type FailureContext, invalidJsonError, networkError, statusError } from "./http-errors.js";
import { createPacing } from "./pacing.js";
import { normalizeApiBaseUrl, type Query, resolveApiUrl, sanitizeUrl } from "./url.js";

export type { Query, QueryValue } from "./url.js";

export interface HttpMetrics {
  requests: number;
  retries: number;
  bytes: number;
  rateLimitWaitMs: number;
}

/** A retry about to wait: what failed, how long lore waits, and which retry this is. */
export interface RetryNotice {
  /** The route template, e.g. "GET /projects/:id/issues". */
  readonly endpoint: string;
  /** The HTTP status ("503"), or the network failure ("ECONNRESET", "timeout"). */
  readonly reason: string;
  readonly delayMs: number;
  /** 1 for the first retry. */
  readonly retry: number;
  readonly maxRetries: number;
}

export interface HttpOptions {
  readonly baseUrl: string;
  readonly token?: string | undefined;
  /** The environment variable the token comes from, named in auth errors (default GITLAB_TOKEN). */
  readonly tokenEnvVar?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly maxRetries?: number | undefined;
  readonly concurrency?: number | undefined;
  /** lore's version, sent as `User-Agent: lore/<version>`; `userAgent` overrides the whole header. */
  readonly version?: string | undefined;
  readonly userAgent?: string | undefined;
  /** Answers requests instead of the network (tests); the default is a node:http keep-alive pool. */
  readonly fetch?: typeof fetch | undefined;
  readonly sleep?: Sleep | undefined;
  readonly now?: (() => number) | undefined;
  readonly random?: (() => number) | undefined;
  /** Longest server-requested wait lore accepts before giving up with GITLAB_RATE_LIMITED. */
  readonly maxRetryAfterMs?: number | undefined;
  /** Told before each retry's wait (lore prints it at -v). */
  readonly onRetry?: ((notice: RetryNotice) => void) | undefined;
}

export interface RequestOptions {
  readonly query?: Query | undefined;
  readonly signal?: AbortSignal | undefined;
  /** What the request is about, for 404 messages: "project group/x", "issue #42 in project 7". */
  readonly describe?: string | undefined;
  /** The route template for error messages, e.g. "GET /projects/:id/issues". */
  readonly endpoint?: string | undefined;
  /** Statuses handed back to the caller instead of raised (e.g. 405 for keyset detection). */
  readonly allowStatus?: readonly number[] | undefined;
  /** Continues work under way (a next page): goes before fresh requests waiting for a slot. */
  readonly priority?: boolean | undefined;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
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
const DEFAULT_MAX_RETRY_AFTER_MS = 15 * 60_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

type Attempt =
  | { readonly ok: true; readonly exchange: Exchange; readonly text: string; readonly url: URL }
  | { readonly ok: false; readonly failure: unknown; readonly url: URL };

export function createHttpClient(options: HttpOptions): HttpClient {
  const apiBaseUrl = normalizeApiBaseUrl(options.baseUrl);
  const apiOrigin = new URL(apiBaseUrl).origin;
  const apiPath = new URL(apiBaseUrl).pathname;
  const token = options.token === "" ? undefined : options.token;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const userAgent = options.userAgent ?? `lore/${options.version ?? "0.0.0"}`;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const transport: Transport = options.fetch ? fetchTransport(options.fetch) : nodeTransport(concurrency);
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const limiter = createLimiter(concurrency);
  const pacing = createPacing(now);
  const metrics: HttpMetrics = { requests: 0, retries: 0, bytes: 0, rateLimitWaitMs: 0 };

  const notifyRetry = (endpoint: string, reason: string, delayMs: number, attempt: number) =>
    options.onRetry?.({ endpoint, reason, delayMs, retry: attempt + 1, maxRetries });

  /** Scrubs the token from any text that may end up in an error. */
  const scrub = (text: string): string => (token ? text.split(token).join("[REDACTED]") : text);

  /** One HTTP exchange, following at most one redirect, with the body read under the same timeout. */
  const attemptOnce = (url: URL, signal: AbortSignal | undefined): Promise<Attempt> =>
    withTimeout(signal, timeoutMs, async (attemptSignal) => {
      let current = url;
      try {
        for (let hop = 0; ; hop += 1) {
          const headers: Record<string, string> = { Accept: "application/json", "User-Agent": userAgent };
          // The token only goes to the configured GitLab origin, never to a redirect target elsewhere.
          if (token && current.origin === apiOrigin) headers["PRIVATE-TOKEN"] = token;
          metrics.requests += 1;
          const exchange = await transport(current, { headers, signal: attemptSignal });
          const location = exchange.headers.get("location");
          if (REDIRECT_STATUSES.has(exchange.status) && location && hop === 0) {
            current = new URL(location, current);
            continue;
          }
          metrics.bytes += exchange.body.byteLength;
          return { ok: true, exchange, text: exchange.body.toString("utf8"), url: current };
        }
      } catch (failure) {
        return { ok: false, failure, url: current };
      }
    });

  const request: RequestFn = async (target, requestOptions = {}) => {
    const { signal } = requestOptions;
    const url = resolveApiUrl(apiBaseUrl, target, requestOptions.query);
    const endpoint = requestOptions.endpoint ?? `GET ${url.pathname.slice(apiPath.length)}`;
    const context = (attempts: number): FailureContext => ({
      endpoint,
      url: scrub(sanitizeUrl(url.toString())),
      attempts,
      describe: requestOptions.describe,
      scrub,
      tokenSent: token !== undefined,
      tokenEnvVar: options.tokenEnvVar ?? "GITLAB_TOKEN",
      webUrl: apiBaseUrl.replace(/\/api\/v4\/?$/, ""),
    });

    for (let attempt = 0; ; attempt += 1) {
      throwIfCancelled(signal);
      const wait = pacing.nextDelay();
      if (wait > 0) {
        metrics.rateLimitWaitMs += wait;
        await cancellableSleep(sleep, wait, signal);
      }
      const release = await limiter.acquire(signal, requestOptions.priority === true || attempt > 0);
      let result: Attempt;
      try {
        result = await attemptOnce(url, signal);
      } finally {
        release();
      }
      throwIfCancelled(signal);
      const canRetry = attempt < maxRetries;

      if (!result.ok) {
        if (isLoreError(result.failure)) throw result.failure;
        if (canRetry) {
          metrics.retries += 1;
          const delay = backoffMs(attempt, random);
          notifyRetry(endpoint, failureReason(result.failure), delay, attempt);
          await cancellableSleep(sleep, delay, signal);
          continue;
        }
        const timedOut = isTimeoutOrAbort(result.failure);
        throw networkError(result.failure, timedOut ? timeoutMs : undefined, context(attempt + 1));
      }

      const { exchange, text } = result;
      pacing.observe(exchange.headers);
      const status = exchange.status;
      if (status >= 200 && status < 300) {
        let body: unknown = null;
        if (text.trim() !== "") {
          try {
            body = JSON.parse(text);
          } catch {
            throw invalidJsonError(status, text, context(attempt + 1));
          }
        }
        return { status, headers: exchange.headers, body, url: result.url.toString() };
      }

      let errorBody: unknown;
      try {
        errorBody = text ? JSON.parse(text) : undefined;
      } catch {
        errorBody = undefined;
      }
      if (requestOptions.allowStatus?.includes(status)) {
        return { status, headers: exchange.headers, body: errorBody ?? null, url: result.url.toString() };
      }
      const requested = RETRYABLE_STATUSES.has(status)
        ? serverRequestedDelayMs(exchange.headers, now())
        : undefined;
      if (
        RETRYABLE_STATUSES.has(status) &&
        canRetry &&
        !(requested !== undefined && requested > maxRetryAfterMs)
      ) {
        const delay = requested ?? backoffMs(attempt, random);
        metrics.retries += 1;
        notifyRetry(endpoint, String(status), delay, attempt);
        // Every request shares the quota: after a 429, hold them all until the server's wait is over.
        if (status === 429) pacing.holdUntil(now() + delay);
        else await cancellableSleep(sleep, delay, signal);
        continue;
      }
      throw statusError(status, errorBody, text, requested, context(attempt + 1));
    }
  };

  return { request, metrics, apiBaseUrl };
}

/** A network failure in a word or two: its code (ECONNRESET), or "timeout". */
function failureReason(failure: unknown): string {
  if (isTimeoutOrAbort(failure)) return "timeout";
  const code = (failure as { code?: unknown; cause?: { code?: unknown } } | undefined)?.code;
  const causeCode = (failure as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  if (typeof code === "string") return code;
  if (typeof causeCode === "string") return causeCode;
  return failure instanceof Error ? failure.message : "network error";
}
