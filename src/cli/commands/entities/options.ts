// Turns `lore issues` / `lore mrs` flags into typed options. Every violation is USAGE, raised before
// the database is opened.

import { resolveProjectPath } from "../../../config/projects.js";
import { usageError } from "../../../core/errors.js";
import type { ListFilters, ListOrder } from "../../../read/list-entities.js";
import { parseLimit, parseSince, parseState } from "../../../search/filters.js";

export interface RawEntityFlags {
  readonly project?: unknown;
  readonly state?: unknown;
  readonly label?: unknown;
  readonly author?: unknown;
  readonly since?: unknown;
  readonly limit?: unknown;
  readonly assignee?: unknown;
  readonly reviewer?: unknown;
  readonly milestone?: unknown;
  readonly draft?: unknown;
  readonly targetBranch?: unknown;
  readonly sourceBranch?: unknown;
  readonly search?: unknown;
  readonly createdSince?: unknown;
  readonly dueBefore?: unknown;
  readonly sort?: unknown;
  readonly asc?: unknown;
}

export const LIST_SORTS = ["updated", "created", "iid"] as const satisfies readonly ListOrder[];

/** The list filters (see ListFilters) plus where to look, how many and in which order. */
export interface EntityListOptions extends Omit<ListFilters, "projectIds" | "state"> {
  /** A configured project's full path, when -p named one. */
  readonly project?: string | undefined;
  readonly state: string;
  readonly limit: number;
  readonly sort: ListOrder;
  /** Oldest / lowest first (default: newest / highest first). */
  readonly ascending: boolean;
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
    author: parseUsername(flags.author, "--author"),
    since: typeof flags.since === "string" ? parseSince(flags.since, now) : undefined,
    limit: parseLimit(flags.limit, DEFAULT_LIST_LIMIT),
    assignee: parseUsername(flags.assignee, "--assignee"),
    reviewer: parseUsername(flags.reviewer, "--reviewer"),
    milestone: parseText(flags.milestone, "--milestone", "a milestone title"),
    draft: typeof flags.draft === "boolean" ? flags.draft : undefined,
    targetBranch: parseText(flags.targetBranch, "--target-branch", "a branch name"),
    sourceBranch: parseText(flags.sourceBranch, "--source-branch", "a branch name"),
    search: parseText(flags.search, "--search", "some text"),
    createdSince:
      typeof flags.createdSince === "string"
        ? parseSince(flags.createdSince, now, "--created-since")
        : undefined,
    dueBefore: parseDay(flags.dueBefore, "--due-before"),
    sort: parseSort(flags.sort),
    ascending: flags.asc === true,
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
export function parseUsername(value: unknown, flag: string): string | undefined {
  if (typeof value !== "string") return undefined;
  const username = value.trim().replace(/^@/, "");
  if (username === "") throw usageError(`${flag} needs a username`);
  return username;
}

/** `--author`: kept for callers that filter by author alone. */
export function parseAuthor(value: unknown): string | undefined {
  return parseUsername(value, "--author");
}

function parseText(value: unknown, flag: string, what: string): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (text === "") throw usageError(`${flag} needs ${what}`);
  return text;
}

/** A calendar day, `YYYY-MM-DD` (a full ISO timestamp is cut to its UTC day). */
export function parseDay(value: unknown, flag: string): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  const day = /^\d{4}-\d{2}-\d{2}/.exec(text)?.[0];
  if (day === undefined || Number.isNaN(Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text))) {
    throw usageError(`${flag} ${value}: expected a date such as 2024-06-30`);
  }
  return text.length === 10 ? day : new Date(Date.parse(text)).toISOString().slice(0, 10);
}

export function parseSort(value: unknown): ListOrder {
  if (value === undefined) return "updated";
  const text = String(value).trim();
  if (!(LIST_SORTS as readonly string[]).includes(text)) {
    throw usageError(`--sort ${text}: expected one of ${LIST_SORTS.join(", ")}`);
  }
  return text as ListOrder;
}
