import type { Command } from "commander";
import type { Invoke } from "../../program.js";

export function registerEmbed(program: Command, invoke: Invoke): void {
  program
    .command("embed")
    .description("compute embeddings for documents that lack a current one (for semantic and hybrid search)")
    .option("--all", "re-embed every document (needed after changing the model)")
    .addHelpText(
      "after",
      `
lore sync embeds new and changed documents by itself; run this after changing the embedding
provider or model, or when a sync warned that the provider was unreachable.
Exits 10 (EMBEDDING) when the provider fails.

Examples:
  lore embed
  lore embed --all
  lore --robot embed | jq '.data.counters'`,
    )
    .action(invoke("embed", async () => (await import("./run.js")).runEmbed));
}
