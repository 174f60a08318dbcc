// `lore embed`: embedding is the job here, so a provider failure is an error (exit 10).

import { embedPendingDocuments } from "../../../embedding/pipeline.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";

export async function runEmbed(invocation: Invocation, ctx: CommandContext): Promise<CommandResult> {
  const config = ctx.config();
  const provider = await ctx.embeddingProvider();
  const db = await ctx.db();
  if (!provider) {
    const data = {
      provider: "none",
      model: null,
      counters: { docs_embedded: 0, chunks_embedded: 0, skipped_unchanged: 0, failed: 0 },
    };
    return {
      data,
      render: (out) =>
        out.line(
          "Embedding is off (provider none): nothing to do. Set embedding.provider to ollama or openai to enable it.",
        ),
    };
  }
  const progress = ctx.output.progress(`Embedding with ${provider.name} ${provider.model}`);
  const started = performance.now();
  const counters = await embedPendingDocuments(db, provider, {
    all: invocation.options.all === true,
    signal: ctx.signal,
    chunkChars: config.embedding.chunkChars,
    chunkOverlapChars: config.embedding.chunkOverlapChars,
    onProgress: (c, total) =>
      progress.update(`${c.docs_embedded + c.failed}/${total} documents, ${c.chunks_embedded} chunks`),
  }).finally(() => progress.done());
  const elapsedMs = Math.round(performance.now() - started);
  const data = { provider: provider.name, model: provider.model, counters, elapsed_ms: elapsedMs };
  return {
    data,
    render(out) {
      out.line(
        `${out.style.green("✓")} ${counters.docs_embedded} documents embedded (${counters.chunks_embedded} chunks, ${counters.skipped_unchanged} unchanged chunks skipped${counters.failed ? `, ${counters.failed} failed` : ""}) with ${provider.model} in ${(elapsedMs / 1000).toFixed(1)}s`,
      );
    },
  };
}
