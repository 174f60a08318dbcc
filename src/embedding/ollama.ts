// Ollama's batched embedding endpoint: POST /api/embed {model, input: [...]} → {embeddings}.

import { checkVectors, createProviderHttp } from "./http.js";
import type { EmbeddingProvider, ProviderSettings } from "./provider.js";

export function createOllamaProvider(settings: ProviderSettings): EmbeddingProvider {
  const describe = `Ollama at ${settings.baseUrl}`;
  const http = createProviderHttp(settings.concurrency);
  return {
    name: "ollama",
    model: settings.model,
    baseUrl: settings.baseUrl,
    batchSize: settings.batchSize,
    concurrency: settings.concurrency,
    async embed(texts, signal) {
      const body = await http.postJson({
        url: `${settings.baseUrl}/api/embed`,
        body: { model: settings.model, input: texts },
        timeoutMs: settings.timeoutMs,
        maxRetries: settings.maxRetries,
        signal,
        describe,
        hint: (status) =>
          status === 404
            ? `Pull the model first: ollama pull ${settings.model}`
            : `Check the Ollama server at ${settings.baseUrl}.`,
      });
      return checkVectors((body as { embeddings?: unknown }).embeddings, texts.length, describe);
    },
  };
}
