// Whether an embedding provider can serve lore, asked quickly (a couple of seconds at most) so that
// `lore init` can choose a provider that works and say how to fix one that does not. Ollama is asked
// for its model list (GET /api/tags answers at once, where a first embedding waits for the model to
// load); an OpenAI-compatible API is asked for one tiny embedding (it needs the key).

import type { EmbeddingConfig } from "../config/schema.js";
import { isLoreError } from "../core/errors.js";
import type { Env } from "../core/paths.js";
import { isTimeoutOrAbort, nodeTransport, withTimeout } from "../http/transport.js";
import { DEFAULTS } from "./create-provider.js";
import { createOpenAiProvider } from "./openai.js";

export type ProviderName = "ollama" | "openai";

export interface ProbeOutcome {
  readonly provider: ProviderName;
  readonly base_url: string;
  readonly model: string;
  /** It answers and has the model: semantic search can work. */
  readonly ok: boolean;
  readonly detail: string;
  /** Complete commands that make it work, most likely first (empty when ok). */
  readonly fix: readonly string[];
}

export const PROBE_TIMEOUT_MS = 2_000;

/**
 * Where Ollama listens according to `$OLLAMA_HOST` (the variable Ollama's own client reads:
 * `host`, `host:port` or a URL), else its default. Undefined means the default.
 */
export function ollamaUrlFromEnv(env: Env): string | undefined {
  const value = env.OLLAMA_HOST?.trim();
  if (!value) return undefined;
  const withScheme = /^https?:\/\//i.test(value) ? value : `http://${value}`;
  try {
    const url = new URL(withScheme);
    // Ollama's own default port, unless one is given (`new URL` drops an explicit :80).
    const explicitPort = /^https?:\/\/(\[[^\]]*\]|[^/:]*):\d+/i.test(withScheme);
    if (!explicitPort && url.protocol === "http:") url.port = "11434";
    return url.toString().replace(/\/+$/, "");
  } catch {
    return undefined;
  }
}

/** The command that starts Ollama where lore looks for it. */
export function ollamaServe(baseUrl: string): string {
  const url = baseUrl.replace(/\/+$/, "");
  return url === DEFAULTS.ollama.baseUrl ? "ollama serve" : `OLLAMA_HOST=${url} ollama serve`;
}

/** `nomic-embed-text` is served as `nomic-embed-text:latest`; a tagged name must match exactly. */
export function hasModel(names: readonly string[], model: string): boolean {
  return names.some((name) => name === model || name === `${model}:latest`);
}

export async function probeEmbeddingProvider(
  config: Pick<EmbeddingConfig, "provider" | "baseUrl" | "model" | "apiKeyEnvVar">,
  env: Env,
  signal: AbortSignal,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<ProbeOutcome | undefined> {
  if (config.provider === "none") return undefined;
  const defaults = DEFAULTS[config.provider];
  const base = {
    provider: config.provider,
    base_url: (config.baseUrl ?? defaults.baseUrl).replace(/\/+$/, ""),
    model: config.model ?? defaults.model,
  };
  return config.provider === "ollama"
    ? probeOllama(base, signal, timeoutMs)
    : probeOpenAi(base, config.apiKeyEnvVar, env, signal, timeoutMs);
}

type Target = Pick<ProbeOutcome, "provider" | "base_url" | "model">;

async function probeOllama(target: Target, signal: AbortSignal, timeoutMs: number): Promise<ProbeOutcome> {
  const serve = ollamaServe(target.base_url);
  const pull = `ollama pull ${target.model}`;
  let names: string[];
  try {
    const exchange = await withTimeout(signal, timeoutMs, (attempt) =>
      nodeTransport(1)(new URL(`${target.base_url}/api/tags`), { headers: {}, signal: attempt }),
    );
    if (exchange.status !== 200) {
      return {
        ...target,
        ok: false,
        detail: `${target.base_url} answered ${exchange.status}: is it Ollama?`,
        fix: [serve],
      };
    }
    const body = JSON.parse(exchange.body.toString("utf8")) as { models?: { name?: unknown }[] };
    names = (body.models ?? []).map((m) => String(m.name));
  } catch (error) {
    if (signal.aborted) throw error;
    const why = isTimeoutOrAbort(error) ? `no answer within ${timeoutMs} ms` : reasonOf(error);
    return { ...target, ok: false, detail: `no Ollama at ${target.base_url} (${why})`, fix: [serve, pull] };
  }
  if (!hasModel(names, target.model)) {
    return {
      ...target,
      ok: false,
      detail: `Ollama at ${target.base_url} does not have the model ${target.model}`,
      fix: [pull],
    };
  }
  return { ...target, ok: true, detail: `Ollama at ${target.base_url} has ${target.model}`, fix: [] };
}

async function probeOpenAi(
  target: Target,
  apiKeyEnvVar: string,
  env: Env,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  if (!env[apiKeyEnvVar]) {
    return {
      ...target,
      ok: false,
      detail: `$${apiKeyEnvVar} is not set`,
      fix: [`export ${apiKeyEnvVar}=sk-…`],
    };
  }
  const provider = createOpenAiProvider({
    baseUrl: target.base_url,
    model: target.model,
    batchSize: 1,
    concurrency: 1,
    timeoutMs,
    maxRetries: 0,
    apiKey: env[apiKeyEnvVar],
    apiKeyEnvVar,
  });
  try {
    await provider.embed(["lore"], signal);
    return { ...target, ok: true, detail: `${target.base_url} embeds with ${target.model}`, fix: [] };
  } catch (error) {
    if (!isLoreError(error, "EMBEDDING")) throw error;
    return { ...target, ok: false, detail: error.message, fix: [] };
  }
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code ?? (error as Error).message;
}
