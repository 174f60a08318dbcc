// OpenAI-compatible embeddings: POST {base}/v1/embeddings {model, input} → {data: [{index, embedding}]}.

import { checkVectors, createProviderHttp } from "./http.js";
import { EMBEDDING_OFF_ACTION, type EmbeddingProvider, type ProviderSettings } from "./provider.js";

export function createOpenAiProvider(
  settings: ProviderSettings & { readonly apiKey: string | undefined; readonly apiKeyEnvVar: string },
): EmbeddingProvider {
  const root = settings.baseUrl.replace(/\/v1$/, "");
  const describe = `the embedding API at ${root}`;
  const http = createProviderHttp(settings.concurrency);
  return {
    name: "openai",
    model: settings.model,
    baseUrl: root,
    batchSize: settings.batchSize,
    concurrency: settings.concurrency,
    async embed(texts, signal) {
      const body = await http.postJson({
        url: `${root}/v1/embeddings`,
        body: { model: settings.model, input: texts },
        headers: settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {},
        timeoutMs: settings.timeoutMs,
        maxRetries: settings.maxRetries,
        signal,
        describe,
        secret: settings.apiKey,
        hint: (status) =>
          status === 401 || status === 403
            ? `Check the API key in $${settings.apiKeyEnvVar}.`
            : status === 404
              ? `Check the model name (${settings.model}) and the base URL.`
              : `Check ${describe}.`,
        actions: (status) =>
          status === 401 || status === 403
            ? [`export ${settings.apiKeyEnvVar}=…`, EMBEDDING_OFF_ACTION]
            : [EMBEDDING_OFF_ACTION],
      });
      const data = (body as { data?: { index?: number; embedding?: unknown }[] }).data;
      const ordered = Array.isArray(data)
        ? [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding)
        : data;
      return checkVectors(ordered, texts.length, describe);
    },
  };
}
