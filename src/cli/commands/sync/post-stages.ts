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
  _config: Config,
  _ctx: CommandContext,
  options: StageFlags,
): Promise<{ regenerateDocs?: PostStage; embed?: PostStage }> {
  const stages: { regenerateDocs?: PostStage; embed?: PostStage } = {};
  if (options.docs) {
    const { regenerateDirtyDocuments } = await import("../../../documents/regenerate.js");
    stages.regenerateDocs = async (db, signal) => ({
      count: (await regenerateDirtyDocuments(db, { signal })).docs_regenerated,
    });
  }
  return stages;
}

export async function surgicalPostStages(
  _config: Config,
  _ctx: CommandContext,
  options: StageFlags,
): Promise<Pick<SurgicalInput, "regenerateDocs" | "embedDocuments">> {
  const stages: Pick<SurgicalInput, "regenerateDocs" | "embedDocuments"> = {};
  if (options.docs) {
    const { regenerateDirtyDocumentsForSources } = await import("../../../documents/regenerate.js");
    return {
      ...stages,
      regenerateDocs: async (db, sources, signal) => ({
        count: (await regenerateDirtyDocumentsForSources(db, sources, { signal })).docs_regenerated,
      }),
    };
  }
  return stages;
}
