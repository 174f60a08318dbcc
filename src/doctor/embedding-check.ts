// Doctor's embedding check: the provider answers, the model exists, and its dimension matches what
// the database already holds. Provider `none` is not a failure.

import { existsSync } from "node:fs";
import type { Config } from "../config/schema.js";
import { LoreError } from "../core/errors.js";
import { type Env, resolveDbPath } from "../core/paths.js";
import { openDatabaseForReading } from "../db/open.js";
import { createEmbeddingProvider } from "../embedding/create-provider.js";
import { assertCompatible } from "../embedding/store.js";
import { type Check, failed, pass } from "./check.js";

export async function checkEmbedding(config: Config, env: Env, signal: AbortSignal): Promise<Check> {
  const provider = createEmbeddingProvider(
    { ...config.embedding, maxRetries: 0, timeoutMs: Math.min(config.embedding.timeoutMs, 15_000) },
    env,
  );
  if (!provider) return pass("embedding", "off (provider none): search is lexical only");
  try {
    const [vector] = await provider.embed(["lore doctor"], signal);
    const dimension = vector?.length ?? 0;
    const dbPath = resolveDbPath(env, config.storage.dbPath);
    if (existsSync(dbPath)) {
      const db = openDatabaseForReading(dbPath);
      try {
        assertCompatible(db, provider.model, dimension);
      } finally {
        db.close();
      }
    }
    return pass(
      "embedding",
      `${provider.name} ${provider.model} at ${provider.baseUrl}: ${dimension} dimensions`,
    );
  } catch (error) {
    const e = error instanceof LoreError ? error : new LoreError("EMBEDDING", String(error));
    return failed("embedding", e.code, e.message, e.suggestion);
  }
}
