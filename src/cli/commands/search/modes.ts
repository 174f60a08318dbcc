// Chooses and runs the search mode. Lexical needs only the local index; semantic and hybrid need
// embeddings and a reachable provider. The outcome says which mode ran and why.

import type { Config } from "../../../config/schema.js";
import { LoreError, usageError } from "../../../core/errors.js";
import type { Db } from "../../../db/open.js";
import type { SearchFilters } from "../../../search/filters.js";
import { reciprocalRankFusion } from "../../../search/hybrid.js";
import { lexicalSearch, type SearchResult } from "../../../search/lexical.js";
import { hasEmbeddings, type NearestPath, semanticSearch } from "../../../search/semantic.js";
import type { CommandContext } from "../../context.js";
import { nearestPathLine } from "../../format/nearest-path.js";
import type { SearchMode } from "./run.js";

export interface ModeInput {
  readonly db: Db;
  readonly config: Config;
  readonly ctx: CommandContext;
  readonly query: string;
  readonly filters: SearchFilters;
  readonly limit: number;
  readonly requestedMode: SearchMode | undefined;
  readonly warnings: string[];
}

export interface ModeOutcome {
  readonly mode: SearchMode;
  readonly reason: string;
  readonly results: SearchResult[];
  /** Documents (within the filters) that have every query term; null when lexical search did not run. */
  readonly allTermsMatched: number | null;
  /** The terms lexical search ranked by; null when it did not run. */
  readonly termCount: number | null;
}

/** Each ranked list is this many times longer than the page, so fusion has room to reorder. */
const FUSION_DEPTH = 3;

export async function runSearchMode(input: ModeInput): Promise<ModeOutcome> {
  const { db, config, ctx, query, filters, limit, requestedMode, warnings } = input;
  const lexical = (n: number) => {
    const outcome = lexicalSearch(db, query, filters, n);
    if (outcome.truncatedQuery) warnings.push("The query was long; only its first 64 terms were searched.");
    return outcome;
  };
  const lexicalOnly = (reason: string, outcome = lexical(limit)): ModeOutcome => ({
    mode: "lexical",
    reason,
    results: outcome.results.slice(0, limit),
    allTermsMatched: outcome.allTermsMatched,
    termCount: outcome.termCount,
  });
  if (requestedMode === "lexical") return lexicalOnly("requested");

  const provider = await ctx.embeddingProvider();
  const embedded = hasEmbeddings(db);
  if (!provider || !embedded) {
    const why = !provider
      ? "the embedding provider is none"
      : "this database has no embeddings yet (run lore embed)";
    if (requestedMode === "semantic" || requestedMode === "hybrid") {
      throw usageError(
        `--mode ${requestedMode} is not available: ${why}.`,
        "Use --mode lexical, or configure a provider and run lore embed.",
      );
    }
    return lexicalOnly(`default: ${why}`);
  }
  const reportPath = (path: NearestPath) => ctx.output.debug(nearestPathLine(path));
  const chunks = {
    chunkChars: config.embedding.chunkChars,
    chunkOverlapChars: config.embedding.chunkOverlapChars,
  };
  if (requestedMode === "semantic") {
    return {
      mode: "semantic",
      reason: "requested",
      results: await semanticSearch(db, provider, query, filters, limit, chunks, ctx.signal, reportPath),
      allTermsMatched: null,
      termCount: null,
    };
  }
  const lexicalOutcome = lexical(limit * FUSION_DEPTH);
  try {
    const semanticResults = await semanticSearch(
      db,
      provider,
      query,
      filters,
      limit * FUSION_DEPTH,
      chunks,
      ctx.signal,
      reportPath,
    );
    return {
      mode: "hybrid",
      reason: requestedMode === "hybrid" ? "requested" : "default: embeddings exist",
      results: reciprocalRankFusion([lexicalOutcome.results, semanticResults], limit),
      allTermsMatched: lexicalOutcome.allTermsMatched,
      termCount: lexicalOutcome.termCount,
    };
  } catch (error) {
    if (!(error instanceof LoreError) || error.code !== "EMBEDDING") throw error;
    warnings.push(`Semantic search unavailable (${error.message}); showing lexical results.`);
    return lexicalOnly("fallback: the embedding provider failed", lexicalOutcome);
  }
}
