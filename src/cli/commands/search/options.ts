// Turns `lore search` arguments and flags into typed options. Every violation is USAGE, raised
// before the database is opened.

import { usageError } from "../../../core/errors.js";
import {
  parseLimit,
  parseSince,
  parseState,
  parseType,
  type SearchFilters,
} from "../../../search/filters.js";
import { parseAuthor, parseLabels, parseProjectFlag } from "../entities/options.js";

export type SearchMode = "lexical" | "semantic" | "hybrid";

export interface RawSearchFlags {
  readonly mode?: unknown;
  readonly project?: unknown;
  readonly type?: unknown;
  readonly state?: unknown;
  readonly label?: unknown;
  readonly author?: unknown;
  readonly since?: unknown;
  readonly limit?: unknown;
  readonly explain?: unknown;
}

export interface SearchOptions {
  readonly query: string;
  /** The mode asked for; undefined lets lore pick (hybrid when embeddings exist). */
  readonly mode?: SearchMode | undefined;
  /** A configured project's full path, when -p named one. */
  readonly project?: string | undefined;
  /** Every filter but the project, which needs the database to become ids. */
  readonly filters: Omit<SearchFilters, "projectIds">;
  readonly limit: number;
  /** Add each result's ranks, scores and fused score (`explain`). */
  readonly explain: boolean;
}

export const DEFAULT_SEARCH_LIMIT = 20;

export function parseSearchOptions(
  words: readonly unknown[],
  flags: RawSearchFlags,
  configuredProjects: readonly string[],
  now: number = Date.now(),
): SearchOptions {
  const query = words.map(String).join(" ").trim();
  if (query === "")
    throw usageError("lore search needs words to look for", 'For example: lore search "rate limit"');
  return {
    query,
    mode: parseMode(flags.mode),
    project: parseProjectFlag(flags.project, configuredProjects),
    filters: {
      type: parseType(flags.type),
      state: parseState(flags.state),
      labels: parseLabels(flags.label),
      author: parseAuthor(flags.author),
      since: typeof flags.since === "string" ? parseSince(flags.since, now) : undefined,
    },
    limit: parseLimit(flags.limit, DEFAULT_SEARCH_LIMIT),
    explain: flags.explain === true,
  };
}

function parseMode(value: unknown): SearchMode | undefined {
  if (value === undefined) return undefined;
  if (value === "lexical" || value === "semantic" || value === "hybrid") return value;
  throw usageError(`--mode ${String(value)}: expected hybrid, lexical or semantic`);
}
