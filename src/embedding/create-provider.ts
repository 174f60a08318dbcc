// Builds the configured embedding provider, or none when embedding is off.

import type { EmbeddingConfig } from "../config/schema.js";
import type { Env } from "../core/paths.js";
import { createOllamaProvider } from "./ollama.js";
import { createOpenAiProvider } from "./openai.js";
import type { EmbeddingProvider } from "./provider.js";

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
