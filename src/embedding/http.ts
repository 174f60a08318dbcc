// POSTs JSON to an embedding provider with a timeout, the caller's cancellation, and retries with
// backoff for 429, 5xx and connection errors. Failures become EMBEDDING errors with a useful hint.

import { cancelledError, LoreError } from "../core/errors.js";

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
  /** A credential that must never appear in an error, even if the server echoes it. */
  readonly secret?: string | undefined;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(cancelledError());
      },
      { once: true },
    );
  });
}

export async function postJson(request: ProviderRequest): Promise<unknown> {
  let lastError: LoreError | undefined;
  for (let attempt = 0; attempt <= request.maxRetries; attempt++) {
    if (attempt > 0)
      await sleep(Math.min(10_000, 250 * 2 ** attempt * (0.5 + Math.random())), request.signal);
    if (request.signal?.aborted) throw cancelledError();
    const signals = [AbortSignal.timeout(request.timeoutMs), ...(request.signal ? [request.signal] : [])];
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...request.headers },
        body: JSON.stringify(request.body),
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      if (request.signal?.aborted) throw cancelledError();
      const timedOut = (error as Error).name === "TimeoutError";
      lastError = new LoreError(
        "EMBEDDING",
        timedOut
          ? `${request.describe} did not answer within ${request.timeoutMs} ms.`
          : `Cannot reach ${request.describe}: ${causeMessage(error)}`,
        {
          suggestion: `Is the embedding server running at ${new URL(request.url).origin}? (For Ollama: \`ollama serve\`.)`,
        },
      );
      continue;
    }
    const text = await response.text();
    if (response.ok) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new LoreError("EMBEDDING", `${request.describe} answered with something that is not JSON.`);
      }
    }
    const excerpt = request.secret
      ? text.slice(0, 200).replaceAll(request.secret, "[redacted]")
      : text.slice(0, 200);
    lastError = new LoreError("EMBEDDING", `${request.describe} answered ${response.status}: ${excerpt}`, {
      suggestion: request.hint(response.status, text),
      details: { status: response.status },
    });
    if (!RETRYABLE.has(response.status)) throw lastError;
  }
  throw lastError ?? new LoreError("EMBEDDING", `${request.describe} failed.`);
}

function causeMessage(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
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
