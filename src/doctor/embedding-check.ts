// Doctor's embedding check: the provider answers, the model exists, and its dimension matches what
// the database already holds. Provider `none` is not a failure, and neither is a provider that does
// not answer: search works lexically without it, so that is a warning with the exact fix. A model
// whose vectors do not fit the stored ones is a failure (semantic search would compare nonsense).

import { existsSync } from "node:fs";
import type { Config } from "../config/schema.js";
import { LoreError } from "../core/errors.js";
import { type Env, resolveDbPath } from "../core/paths.js";
import { openDatabaseForReading } from "../db/open.js";
import { createEmbeddingProvider } from "../embedding/create-provider.js";
import { ollamaServe } from "../embedding/probe.js";
import { assertCompatible } from "../embedding/store.js";
import { type VectorIndexStatus, vectorIndexStatus } from "../embedding/vector-index/status.js";
import { type Check, failed, pass } from "./check.js";

const asLoreError = (error: unknown) =>
  error instanceof LoreError ? error : new LoreError("EMBEDDING", String(error));

export async function checkEmbedding(config: Config, env: Env, signal: AbortSignal): Promise<Check> {
  const provider = createEmbeddingProvider(
    { ...config.embedding, maxRetries: 0, timeoutMs: Math.min(config.embedding.timeoutMs, 15_000) },
    env,
  );
  if (!provider) return pass("embedding", "off (provider none): search is lexical only");
  let dimension: number;
  try {
    const [vector] = await provider.embed(["lore doctor"], signal);
    dimension = vector?.length ?? 0;
  } catch (error) {
    const e = asLoreError(error);
    if (e.code !== "EMBEDDING") throw e;
    const off = "lore config set embedding.provider none";
    const actions = [
      ...(provider.name === "ollama" ? ollamaFixes(e, provider.baseUrl, provider.model) : []),
      off,
    ];
    const fix =
      provider.name === "ollama"
        ? `${actions.slice(0, -1).join(" and ")}, or turn semantic search off: ${off}`
        : `${e.suggestion ?? "check embedding.baseUrl"}, or turn semantic search off: ${off}`;
    return {
      name: "embedding",
      ok: true,
      detail: `${provider.name} ${provider.model} at ${provider.baseUrl} does not answer: search is lexical only until it does`,
      warnings: [`${e.message.replace(/\.?$/, ".")} Fix: ${fix}`],
      actions,
    };
  }
  const dbPath = resolveDbPath(env, config.storage.dbPath);
  let index: VectorIndexStatus | undefined;
  if (existsSync(dbPath)) {
    const db = openDatabaseForReading(dbPath);
    try {
      assertCompatible(db, provider.model, dimension);
      index = vectorIndexStatus(db);
    } catch (error) {
      const e = asLoreError(error);
      return failed("embedding", e.code, e.message, e.suggestion);
    } finally {
      db.close();
    }
  }
  const detail = `${provider.name} ${provider.model} at ${provider.baseUrl}: ${dimension} dimensions`;
  if (index?.state === "stale" || index?.state === "missing") {
    const warning = `The vector index file is ${index.state}: semantic search scans all ${index.chunks} chunks exactly (slower, same results) until it is rebuilt. Fix: lore embed`;
    return {
      ...pass("embedding", `${detail}; vector index file ${index.state}`, [warning]),
      actions: ["lore embed"],
    };
  }
  if (index?.state !== "current") return pass("embedding", detail);
  const changes =
    index.changes === 0
      ? ""
      : ` (${index.changes} ${index.changes === 1 ? "change" : "changes"} since it was built)`;
  return pass("embedding", `${detail}; vector index file current${changes}`);
}

/** What makes Ollama answer: a model it lacks is pulled; a server that is not there is started. */
function ollamaFixes(error: LoreError, baseUrl: string, model: string): string[] {
  const status = error.details?.status;
  if (status === 404) return [`ollama pull ${model}`];
  return [ollamaServe(baseUrl), `ollama pull ${model}`];
}
