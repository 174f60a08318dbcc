// Chooses and runs the search mode. Lexical needs only the local index; semantic and hybrid need
// embeddings, and say why they were or were not used.

import type { Config } from "../../../config/schema.js";
import { usageError } from "../../../core/errors.js";
import type { Db } from "../../../db/open.js";
import type { SearchFilters } from "../../../search/filters.js";
import { lexicalSearch, type SearchResult } from "../../../search/lexical.js";
import type { CommandContext } from "../../context.js";
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
}

export async function runSearchMode(input: ModeInput): Promise<ModeOutcome> {
  const lexical = () => {
    const outcome = lexicalSearch(input.db, input.query, input.filters, input.limit);
    if (outcome.truncatedQuery)
      input.warnings.push("The query was long; only its first 64 terms were searched.");
    return outcome.results;
  };
  if (input.requestedMode === "semantic" || input.requestedMode === "hybrid") {
    throw usageError(
      `--mode ${input.requestedMode} needs embeddings, which this database does not have yet.`,
      "Use --mode lexical.",
    );
  }
  return {
    mode: "lexical",
    reason: input.requestedMode === "lexical" ? "requested" : "no embeddings in this database",
    results: lexical(),
  };
}
