// What every embedding provider offers, and the settings each is built from. Types only: the
// factory (create-provider.ts) and the providers import this, never the other way round.

export interface EmbeddingProvider {
  readonly name: "ollama" | "openai";
  readonly model: string;
  readonly baseUrl: string;
  /** Largest number of texts sent in one request. */
  readonly batchSize: number;
  /** Requests in flight at once: calls beyond it wait, and are sent in the order they were made. */
  readonly concurrency: number;
  /** One vector per text, in order; raises EMBEDDING on failure. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

export interface ProviderSettings {
  readonly baseUrl: string;
  readonly model: string;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

/** Turns semantic search off: the last resort of every embedding failure's recovery actions. */
export const EMBEDDING_OFF_ACTION = "lore config set embedding.provider none";
