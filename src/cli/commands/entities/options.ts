// Turns `lore issues` / `lore mrs` flags into typed options. Every violation is USAGE, raised before
// the database is opened.

import { resolveProjectPath } from "../../../config/projects.js";
import { usageError } from "../../../core/errors.js";
import { parseLimit, parseSince, parseState } from "../../../search/filters.js";

export interface RawEntityFlags {
  readonly project?: unknown;
  readonly state?: unknown;
  readonly label?: unknown;
  readonly author?: unknown;
  readonly since?: unknown;
  readonly limit?: unknown;
}

export interface EntityListOptions {
  /** A configured project's full path, when -p named one. */
  readonly project?: string | undefined;
  readonly state: string;
  readonly labels?: readonly string[] | undefined;
  readonly author?: string | undefined;
  /** ISO timestamp: updated at or after it. */
  readonly since?: string | undefined;
  readonly limit: number;
}

export const DEFAULT_LIST_LIMIT = 50;

export function parseEntityListOptions(
  flags: RawEntityFlags,
  configuredProjects: readonly string[],
  now: number = Date.now(),
): EntityListOptions {
  return {
    project: parseProjectFlag(flags.project, configuredProjects),
    state: parseState(flags.state) ?? "opened",
    labels: parseLabels(flags.label),
    author: parseAuthor(flags.author),
    since: typeof flags.since === "string" ? parseSince(flags.since, now) : undefined,
    limit: parseLimit(flags.limit, DEFAULT_LIST_LIMIT),
  };
}

/** `42`, `#42` (issues) or `!42` (merge requests): a positive IID. */
export function parseIid(raw: unknown, sigil: "#" | "!"): number {
  const value = String(raw).trim();
  const text = value.startsWith(sigil) ? value.slice(1) : value;
  const iid = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(iid) || iid < 1) {
    throw usageError(`${value}: an IID is a positive integer (42 or ${sigil}42)`);
  }
  return iid;
}

/** `-p`: a configured project's full path or unique suffix; undefined when absent. */
export function parseProjectFlag(value: unknown, configuredProjects: readonly string[]): string | undefined {
  return typeof value === "string" ? resolveProjectPath(configuredProjects, value) : undefined;
}

export function parseLabels(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const labels = (Array.isArray(value) ? value : [value]).map((label) => String(label).trim());
  if (labels.some((label) => label === "")) throw usageError("--label needs a label name");
  return labels;
}

/** A username, with or without its `@`. */
export function parseAuthor(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const author = value.trim().replace(/^@/, "");
  if (author === "") throw usageError("--author needs a username");
  return author;
}
