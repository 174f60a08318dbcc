// POSTs JSON to an embedding provider through the same parts as the GitLab client: a keep-alive
// transport, a per-attempt timeout merged with the caller's cancellation, and ky-style retry timing
// (Retry-After, then jittered backoff) for 429, 5xx and connection errors. Failures become
// EMBEDDING errors with a useful hint, and never carry the API key.

import { LoreError, throwIfCancelled } from "../core/errors.js";
import { createLimiter, type Limiter } from "../http/limiter.js";
import {
  backoffMs,
  cancellableSleep,
  defaultSleep,
  RETRYABLE_STATUSES,
  serverRequestedDelayMs,
} from "../http/retry-timing.js";
import { isTimeoutOrAbort, nodeTransport, type Transport, withTimeout } from "../http/transport.js";

export interface ProviderRequest {
  readonly url: string;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly signal?: AbortSignal | undefined;
  /** Describes the provider for messages: "Ollama at http://localhost:11434". */
  readonly describe: string;
  /** Turns a non-retryable status into the hint users need (model missing, bad key…). */
  readonly hint: (status: number, body: string) => string;
  /** Commands that fix a failure: for a status, or (undefined) for a server that did not answer. */
  readonly actions?: ((status: number | undefined) => string[]) | undefined;
  /** A credential that must never appear in an error, even if the server echoes it. */
  readonly secret?: string | undefined;
}

/** One provider's connection pool and its bound on requests in flight. */
export interface ProviderHttp {
  postJson(request: ProviderRequest): Promise<unknown>;
}

const BACKOFF_BASE_MS = 250;
const MAX_SERVER_WAIT_MS = 60_000;

export function createProviderHttp(
  concurrency: number,
  transport: Transport = nodeTransport(concurrency),
): ProviderHttp {
  const limiter: Limiter = createLimiter(Math.max(1, concurrency));
  return {
    async postJson(request) {
      let lastError: LoreError | undefined;
      let waitMs = 0;
      for (let attempt = 0; attempt <= request.maxRetries; attempt++) {
        if (attempt > 0) await cancellableSleep(defaultSleep, waitMs, request.signal);
        throwIfCancelled(request.signal);
        const release = await limiter.acquire(request.signal, attempt > 0);
        let exchange: Awaited<ReturnType<Transport>>;
        try {
          exchange = await withTimeout(request.signal, request.timeoutMs, (signal) =>
            transport(new URL(request.url), {
              method: "POST",
              headers: { "content-type": "application/json", ...request.headers },
              body: JSON.stringify(request.body),
              signal,
            }),
          );
        } catch (error) {
          throwIfCancelled(request.signal);
          const timedOut = isTimeoutOrAbort(error);
          lastError = new LoreError(
            "EMBEDDING",
            timedOut
              ? `${request.describe} did not answer within ${request.timeoutMs} ms.`
              : `Cannot reach ${request.describe}: ${causeMessage(error)}`,
            {
              suggestion: `Is the embedding server running at ${new URL(request.url).origin}? (For Ollama: \`ollama serve\`.)`,
              actions: request.actions?.(undefined) ?? [],
            },
          );
          waitMs = backoffMs(attempt, Math.random, BACKOFF_BASE_MS);
          continue;
        } finally {
          release();
        }
        const text = exchange.body.toString("utf8");
        if (exchange.status >= 200 && exchange.status < 300) {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            throw new LoreError("EMBEDDING", `${request.describe} answered with something that is not JSON.`);
          }
        }
        const excerpt = request.secret
          ? text.slice(0, 200).replaceAll(request.secret, "[redacted]")
          : text.slice(0, 200);
        lastError = new LoreError(
          "EMBEDDING",
          `${request.describe} answered ${exchange.status}: ${excerpt}`,
          {
            suggestion: request.hint(exchange.status, text),
            actions: request.actions?.(exchange.status) ?? [],
            details: { status: exchange.status },
          },
        );
        if (!RETRYABLE_STATUSES.has(exchange.status)) throw lastError;
        const requested = serverRequestedDelayMs(exchange.headers, Date.now());
        waitMs = Math.min(MAX_SERVER_WAIT_MS, requested ?? backoffMs(attempt, Math.random, BACKOFF_BASE_MS));
      }
      throw lastError ?? new LoreError("EMBEDDING", `${request.describe} failed.`);
    },
  };
}

function causeMessage(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as { code?: string }).code ?? (error as Error).message;
}

/** Checks a provider's vectors: one per input, all numeric and of one dimension. */
export function checkVectors(vectors: unknown, count: number, describe: string): number[][] {
  if (!Array.isArray(vectors) || vectors.length !== count) {
    throw new LoreError(
      "EMBEDDING",
      `${describe} returned ${Array.isArray(vectors) ? vectors.length : "no"} vectors for ${count} inputs.`,
    );
  }
  const dimension = (vectors[0] as unknown[] | undefined)?.length ?? 0;
  for (const v of vectors) {
    if (
      !Array.isArray(v) ||
      v.length !== dimension ||
      dimension === 0 ||
      v.some((x) => typeof x !== "number")
    ) {
      throw new LoreError("EMBEDDING", `${describe} returned a malformed vector.`);
    }
  }
  return vectors as number[][];
}
