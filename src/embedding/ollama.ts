// Ollama's batched embedding endpoint: POST /api/embed {model, input: [...]} → {embeddings}.

import { checkVectors, createProviderHttp } from "./http.js";
import { EMBEDDING_OFF_ACTION, type EmbeddingProvider, type ProviderSettings } from "./provider.js";

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
        actions: (status) =>
          status === undefined
            ? ["ollama serve", EMBEDDING_OFF_ACTION]
            : status === 404
              ? [`ollama pull ${settings.model}`, EMBEDDING_OFF_ACTION]
              : [EMBEDDING_OFF_ACTION],
      });
      return checkVectors((body as { embeddings?: unknown }).embeddings, texts.length, describe);
    },
  };
}
