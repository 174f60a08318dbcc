import type { Config } from "../../../config/schema.js";
import type { PostStage } from "../../../sync/run-incremental.js";
import type { SurgicalInput } from "../../../sync/surgical.js";
import type { CommandContext } from "../../context.js";

export async function postIngestStages(
  _config: Config,
  _ctx: CommandContext,
  _options: { docs: boolean; embed: boolean },
): Promise<{ regenerateDocs?: PostStage; embed?: PostStage }> {
  return {};
}

export async function surgicalPostStages(
  _config: Config,
  _ctx: CommandContext,
  _options: { docs: boolean; embed: boolean },
): Promise<Pick<SurgicalInput, "regenerateDocs" | "embedDocuments">> {
  return {};
}
