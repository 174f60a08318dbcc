// `lore embed`: embedding is the job here, so a provider failure is an error (exit 10).

import { embedPendingDocuments } from "../../../embedding/pipeline.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { formatCount, plural } from "../../format/count.js";
import { stageProgressText } from "../../format/progress.js";
import { formatDuration } from "../../format/time.js";

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
  const started = performance.now();
  const progress = ctx.output.progress(`Embedding with ${provider.name} ${provider.model}`);
  const counters = await embedPendingDocuments(db, provider, {
    all: invocation.options.all === true,
    signal: ctx.signal,
    chunkChars: config.embedding.chunkChars,
    chunkOverlapChars: config.embedding.chunkOverlapChars,
    onProgress: (c, total) =>
      progress.update(
        `${stageProgressText({ done: c.docs_embedded + c.failed, total }, performance.now() - started)} · ${plural(c.chunks_embedded, "chunk")}`,
      ),
  }).finally(() => progress.done());
  const elapsedMs = Math.round(performance.now() - started);
  const data = { provider: provider.name, model: provider.model, counters, elapsed_ms: elapsedMs };
  return {
    data,
    render(out) {
      out.line(
        `${out.style.green("✓")} ${plural(counters.docs_embedded, "document")} embedded (${plural(counters.chunks_embedded, "chunk")}, ${plural(counters.skipped_unchanged, "unchanged chunk")} skipped${counters.failed ? `, ${formatCount(counters.failed)} failed` : ""}) with ${provider.model} in ${formatDuration(elapsedMs)}`,
      );
    },
  };
}
