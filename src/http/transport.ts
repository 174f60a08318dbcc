// One HTTP exchange over node:http/https with a keep-alive pool: ready on the first request (the
// global fetch loads its implementation on first use, which cost 70–120 ms of every sync's
// start-up), a per-attempt timeout merged with the caller's signal, and the body read whole.

import type { Agent as HttpAgent, IncomingHttpHeaders } from "node:http";
import type { Agent as HttpsAgent } from "node:https";
import { createRequire } from "node:module";

// Loaded with require, not import: an ES import of node:http builds its ES facade by reading every
// export, and its lazy WebSocket/EventSource getters then load undici (~15 ms of start-up). TLS
// (node:https) is loaded only for an https URL.
const require = createRequire(import.meta.url);
const http = require("node:http") as typeof import("node:http");

export interface ResponseHeaders {
  get(name: string): string | null;
  has(name: string): boolean;
}

export interface Exchange {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly body: Buffer;
}

export interface ExchangeRequest {
  readonly method?: "GET" | "POST";
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  /** Aborts the exchange (the caller's cancellation merged with the attempt's timeout). */
  readonly signal: AbortSignal;
}

/** Sends one request and reads the whole answer; redirects are returned, never followed. */
export type Transport = (url: URL, request: ExchangeRequest) => Promise<Exchange>;

function headersOf(raw: IncomingHttpHeaders): ResponseHeaders {
  const value = (name: string): string | null => {
    const v = raw[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(", ") : v;
  };
  return { get: value, has: (name) => raw[name.toLowerCase()] !== undefined };
}

/** The node:http transport; one pool per client so connections are reused across requests. */
export function nodeTransport(maxSockets: number): Transport {
  const agents: { http?: HttpAgent; https?: HttpsAgent } = {};
  const agentFor = (url: URL) => {
    if (url.protocol === "https:") {
      const https = require("node:https") as typeof import("node:https");
      agents.https ??= new https.Agent({ keepAlive: true, maxSockets });
      return { send: https.request, agent: agents.https };
    }
    agents.http ??= new http.Agent({ keepAlive: true, maxSockets });
    return { send: http.request, agent: agents.http };
  };
  return (url, request) =>
    new Promise<Exchange>((resolve, reject) => {
      const { send, agent } = agentFor(url);
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        request.signal.removeEventListener("abort", onAbort);
        outcome();
      };
      const fail = (error: unknown) => settle(() => reject(error));
      const req = send(url, { method: request.method ?? "GET", headers: request.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", fail);
        res.on("end", () =>
          settle(() =>
            resolve({
              status: res.statusCode ?? 0,
              headers: headersOf(res.headers),
              body: Buffer.concat(chunks),
            }),
          ),
        );
        res.on("close", () => {
          if (!res.complete)
            fail(abortReason(request.signal) ?? new Error("the connection closed mid-response"));
        });
      });
      const onAbort = () => req.destroy(abortReason(request.signal));
      if (request.signal.aborted) onAbort();
      else request.signal.addEventListener("abort", onAbort, { once: true });
      req.on("error", (error) => fail(abortReason(request.signal) ?? error));
      req.end(request.body);
    });
}

function abortReason(signal: AbortSignal): Error | undefined {
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException("aborted", "AbortError");
}

/** A transport over a fetch implementation (tests inject one that answers without a network). */
export function fetchTransport(doFetch: typeof fetch): Transport {
  return async (url, request) => {
    const response = await doFetch(url, {
      method: request.method ?? "GET",
      headers: request.headers,
      body: request.body,
      signal: request.signal,
      redirect: "manual",
    });
    return {
      status: response.status,
      headers: response.headers,
      body: Buffer.from(await response.arrayBuffer()),
    };
  };
}

/**
 * Runs `work` under a per-attempt timeout merged with the caller's signal. The timer and the
 * listener are removed when the attempt ends: AbortSignal.timeout()/any() keep every signal alive
 * until its timer fires, which at thousands of requests per second held tens of megabytes.
 */
export async function withTimeout<T>(
  signal: AbortSignal | undefined,
  timeoutMs: number,
  work: (attemptSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError")),
    timeoutMs,
  );
  const forward = () => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener("abort", forward, { once: true });
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", forward);
  }
}

/** True for the failure a timed-out or aborted attempt ends with. */
export function isTimeoutOrAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}
