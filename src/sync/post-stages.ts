// The stages after ingest, with one signature for every sync mode: a stage takes a scope (every
// queued document, or exactly these sources) and returns what it did, the ids of the documents it
// touched, and a warning instead of failing when its failure must not fail the sync.

import { isLoreError } from "../core/errors.js";
import type { Db } from "../db/open.js";
import type { DocumentScope } from "../documents/sources.js";
import type { EmbeddingProvider } from "../embedding/provider.js";

export interface StageResult {
  readonly count: number;
  readonly documentIds: readonly number[];
  readonly warning?: string | undefined;
}

/** How far a stage is: `done` of `total` items looked at, `written` documents or embeddings made. */
export interface StageProgress {
  readonly done: number;
  readonly total: number;
  readonly written: number;
}

export type PostIngestStage = (
  db: Db,
  scope: DocumentScope,
  signal: AbortSignal,
  onProgress?: (progress: StageProgress) => void,
) => Promise<StageResult>;

export interface PostIngestStages {
  /** Regenerates search documents (skipped with --no-docs). */
  readonly docs?: PostIngestStage | undefined;
  /** Embeds documents (skipped with --no-embed or provider `none`). */
  readonly embed?: PostIngestStage | undefined;
}

export interface StageChoice {
  readonly docs: boolean;
  readonly embed: boolean;
  /** The configured provider; undefined when embedding is off. */
  readonly provider?: EmbeddingProvider | undefined;
  readonly chunking: { readonly chunkChars: number; readonly chunkOverlapChars: number };
}

/** The post-ingest stages a sync runs, for both modes. */
export function postIngestStages(choice: StageChoice): PostIngestStages {
  return {
    docs: choice.docs ? documentsStage : undefined,
    embed: choice.embed && choice.provider ? embeddingStage(choice.provider, choice.chunking) : undefined,
  };
}

const documentsStage: PostIngestStage = async (db, scope, signal, onProgress) => {
  const { regenerateDocuments } = await import("../documents/regenerate.js");
  const total = onProgress
    ? scope === "queued"
      ? (db.prepare("SELECT COUNT(*) AS n FROM dirty_sources").get() as { n: number }).n
      : scope.length
    : 0;
  onProgress?.({ done: 0, total, written: 0 });
  const result = await regenerateDocuments(db, scope, {
    signal,
    onProgress: onProgress
      ? (c) =>
          onProgress({
            done: c.docs_regenerated + c.docs_unchanged + c.docs_deleted,
            total,
            written: c.docs_regenerated,
          })
      : undefined,
  });
  return { count: result.docs_regenerated, documentIds: result.documentIds };
};

/**
 * In sync, embedding is not the job: a failing provider is a warning (documents stay searchable
 * lexically), never a failed sync.
 */
function embeddingStage(provider: EmbeddingProvider, chunking: StageChoice["chunking"]): PostIngestStage {
  return async (db, scope, signal, onProgress) => {
    const pipeline = await import("../embedding/pipeline.js");
    const options = {
      signal,
      ...chunking,
      onProgress: onProgress
        ? (c: { docs_embedded: number; failed: number }, total: number) =>
            onProgress({ done: c.docs_embedded + c.failed, total, written: c.docs_embedded })
        : undefined,
    };
    try {
      if (scope === "queued") {
        return {
          count: (await pipeline.embedPendingDocuments(db, provider, options)).docs_embedded,
          documentIds: [],
        };
      }
      const { documentIdsFor } = await import("../documents/sources.js");
      const ids = documentIdsFor(db, scope);
      return {
        count: (await pipeline.embedDocumentsByIds(db, provider, ids, options)).docs_embedded,
        documentIds: ids,
      };
    } catch (error) {
      if (!isLoreError(error, "EMBEDDING")) throw error;
      return {
        count: 0,
        documentIds: [],
        warning: `Embedding skipped: ${error.message}${error.suggestion ? ` ${error.suggestion}` : ""} Documents stay searchable lexically; run lore embed later.`,
      };
    }
  };
}
