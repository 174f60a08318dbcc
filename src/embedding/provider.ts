// One interface for embedding providers, and the factory that builds one from config.

import type { EmbeddingConfig } from "../config/schema.js";
import type { Env } from "../core/paths.js";
import { createOllamaProvider } from "./ollama.js";
import { createOpenAiProvider } from "./openai.js";

export interface EmbeddingProvider {
  readonly name: "ollama" | "openai";
  readonly model: string;
  readonly baseUrl: string;
  /** Largest number of texts sent in one request. */
  readonly batchSize: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** One vector per text, in order; raises EMBEDDING on failure. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

export const DEFAULTS = {
  ollama: { baseUrl: "http://localhost:11434", model: "nomic-embed-text" },
  openai: { baseUrl: "https://api.openai.com", model: "text-embedding-3-small" },
} as const;

/** The configured provider, or undefined when embedding is off (`none`). */
export function createEmbeddingProvider(config: EmbeddingConfig, env: Env): EmbeddingProvider | undefined {
  if (config.provider === "none") return undefined;
  const defaults = DEFAULTS[config.provider];
  const common = {
    baseUrl: (config.baseUrl ?? defaults.baseUrl).replace(/\/+$/, ""),
    model: config.model ?? defaults.model,
    batchSize: config.batchSize,
    concurrency: config.concurrency,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
  };
  if (config.provider === "ollama") return createOllamaProvider(common);
  return createOpenAiProvider({
    ...common,
    apiKey: env[config.apiKeyEnvVar] || undefined,
    apiKeyEnvVar: config.apiKeyEnvVar,
  });
}
