// The stages that follow ingest in `lore sync`: document regeneration and embedding, each skipped
// by its flag (--no-docs, --no-embed) or, for embedding, by provider `none`.

import type { Config } from "../../../config/schema.js";
import type { PostStage } from "../../../sync/run-incremental.js";
import type { SurgicalInput } from "../../../sync/surgical.js";
import type { CommandContext } from "../../context.js";

interface StageFlags {
  readonly docs: boolean;
  readonly embed: boolean;
}

export async function postIngestStages(
  config: Config,
  ctx: CommandContext,
  options: StageFlags,
): Promise<{ regenerateDocs?: PostStage; embed?: PostStage }> {
  const stages: { regenerateDocs?: PostStage; embed?: PostStage } = {};
  if (options.docs) {
    const { regenerateDirtyDocuments } = await import("../../../documents/regenerate.js");
    stages.regenerateDocs = async (db, signal) => ({
      count: (await regenerateDirtyDocuments(db, { signal })).docs_regenerated,
    });
  }
  const embedding = options.embed ? await embeddingStage(config, ctx) : undefined;
  if (embedding) {
    stages.embed = (db, signal) =>
      embedding.tolerant(
        async () =>
          (await embedding.pipeline.embedPendingDocuments(db, embedding.provider, embedding.options(signal)))
            .docs_embedded,
      );
  }
  return stages;
}

/**
 * The embedding stage shared by both syncs. In sync, embedding is not the job: a failing provider
 * is a warning (documents stay searchable lexically), never a failed sync.
 */
async function embeddingStage(config: Config, ctx: CommandContext) {
  const { createEmbeddingProvider } = await import("../../../embedding/provider.js");
  const provider = createEmbeddingProvider(config.embedding, ctx.env);
  if (!provider) return undefined;
  const pipeline = await import("../../../embedding/pipeline.js");
  const { isLoreError } = await import("../../../core/errors.js");
  return {
    provider,
    pipeline,
    options: (signal: AbortSignal) => ({
      signal,
      chunkChars: config.embedding.chunkChars,
      chunkOverlapChars: config.embedding.chunkOverlapChars,
    }),
    async tolerant(work: () => Promise<number>): Promise<{ count: number; warning?: string }> {
      try {
        return { count: await work() };
      } catch (error) {
        if (!isLoreError(error, "EMBEDDING")) throw error;
        return {
          count: 0,
          warning: `Embedding skipped: ${error.message}${error.suggestion ? ` ${error.suggestion}` : ""} Documents stay searchable lexically; run lore embed later.`,
        };
      }
    },
  };
}

export async function surgicalPostStages(
  config: Config,
  ctx: CommandContext,
  options: StageFlags,
): Promise<Pick<SurgicalInput, "regenerateDocs" | "embedDocuments">> {
  let stages: Pick<SurgicalInput, "regenerateDocs" | "embedDocuments"> = {};
  if (options.docs) {
    const { regenerateDirtyDocumentsForSources } = await import("../../../documents/regenerate.js");
    stages = {
      regenerateDocs: async (db, sources, signal) => ({
        count: (await regenerateDirtyDocumentsForSources(db, sources, { signal })).docs_regenerated,
      }),
    };
  }
  const embedding = options.embed ? await embeddingStage(config, ctx) : undefined;
  if (embedding) {
    stages = {
      ...stages,
      embedDocuments: (db, ids, signal) =>
        embedding.tolerant(
          async () =>
            (
              await embedding.pipeline.embedDocumentsByIds(
                db,
                embedding.provider,
                ids,
                embedding.options(signal),
              )
            ).docs_embedded,
        ),
    };
  }
  return stages;
}
