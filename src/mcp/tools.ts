// The MCP tools: one entry per question, each a thin adapter over the CLI command that answers it.
// A tool's zod schema (snake_case, as the contract's MCP section asks) becomes the same flags the
// command's own option parser validates, so a tool and its command accept and answer the same.
// Adding a command's tool is one entry here: its schema, the flags it maps to, the arrays to cut.

import { z } from "zod";
import type { CommandRun, Invocation } from "../cli/command.js";
import { DEFAULT_LIST_LIMIT } from "../cli/commands/entities/options.js";
import { DEFAULT_SEARCH_LIMIT } from "../cli/commands/search/options.js";
import { MAX_SURGICAL_IIDS } from "../cli/commands/sync/options.js";
import { usageError } from "../core/errors.js";
import { STATES } from "../search/filters.js";
import { DEFAULT_MAX_TOKENS } from "./budget.js";

export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly input: z.ZodObject;
  /** The CLI command whose run answers it (its --fields registry entry applies too). */
  readonly command: string;
  readonly load: () => Promise<CommandRun>;
  /** The arguments as the command's flags and positional arguments. */
  readonly invocation: (args: Record<string, unknown>) => Invocation;
  /** Arrays cut (from their end, in this order) when the result exceeds its token budget. */
  readonly cut: readonly string[];
  /** For one entity: the discussions are paged (discussions_offset/limit). */
  readonly pagedDiscussions?: string;
  readonly readOnly: boolean;
}

const project = z
  .string()
  .min(1)
  .optional()
  .describe("a configured project's full path (group/project) or unique suffix; default: all configured");
const fields = z
  .union([z.array(z.string()), z.string()])
  .optional()
  .describe(
    'keys to keep in each row or entity ("iid,title" or ["iid","title"]); "minimal" for a small preset',
  );
const maxTokens = z
  .number()
  .int()
  .min(500)
  .max(200_000)
  .optional()
  .describe(`bound on the result's size in tokens (about 4 characters each); default ${DEFAULT_MAX_TOKENS}`);
const state = z.enum(STATES).optional();
const filters = {
  labels: z.array(z.string().min(1)).optional().describe("all of these labels"),
  author: z.string().min(1).optional().describe("username of the author"),
  since: z.string().min(1).optional().describe("updated since an ISO date or a span such as 7d, 12h"),
};
const maxAge = z
  .string()
  .optional()
  .describe(
    "refresh the local copy from GitLab first when older than this (30s, 5m, 2h; 0 = always; off); an entity not in the mirror is fetched",
  );
const iid = z.number().int().positive().describe("the IID in its project");

const str = (value: unknown) => (value === undefined ? undefined : String(value));

const entityList = (args: Record<string, unknown>): Invocation => ({
  args: [],
  options: {
    project: args.project,
    state: args.state,
    label: args.labels,
    author: args.author,
    since: args.since,
    limit: str(args.max_results),
    fields: args.fields,
  },
});

const entityShow = (args: Record<string, unknown>): Invocation => ({
  args: [String(args.iid)],
  options: { project: args.project, maxAge: args.max_age, fields: args.fields },
});

const discussionPaging = {
  discussions_offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("first discussion thread to return (default 0)"),
  discussions_limit: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe("how many discussion threads to return (default 20)"),
};

const entities = (type: "issue" | "merge_request") => async () =>
  (await import("../cli/commands/entities/run.js")).entitiesCommand(type);

const ENTITY_WORDS = {
  issue: {
    command: "issues",
    single: "issue",
    tool: "issue",
    list: "issues",
    noun: "issue",
    plural: "Issues",
    carries: "events, related and closing merge requests",
    cut: ["related_mrs", "closed_by"],
  },
  merge_request: {
    command: "mrs",
    single: "mr",
    tool: "merge_request",
    list: "merge_requests",
    noun: "merge request",
    plural: "Merge requests",
    carries: "DiffNote positions, events, closed issues and changed files",
    cut: ["changed_files", "closes_issues"],
  },
} as const;

/** get_issue / get_merge_request: one entity, its threads paged, refreshed first with max_age. */
function getEntityTool(type: "issue" | "merge_request"): ToolSpec {
  const words = ENTITY_WORDS[type];
  return {
    name: `get_${words.tool}`,
    description: `One ${words.noun} with its description, discussion threads (paged), ${words.carries}. With max_age, a copy older than that (or missing) is refreshed from GitLab first; the answer says refreshed/stale.`,
    input: z.object({ iid, project, max_age: maxAge, ...discussionPaging, fields, max_tokens: maxTokens }),
    command: words.command,
    load: entities(type),
    invocation: entityShow,
    cut: [
      `${words.single}.discussions`,
      `${words.single}.events`,
      ...words.cut.map((k) => `${words.single}.${k}`),
    ],
    pagedDiscussions: words.single,
    readOnly: false,
  };
}

/** list_issues / list_merge_requests: the newest updates first, with the list filters. */
function listEntityTool(type: "issue" | "merge_request"): ToolSpec {
  const words = ENTITY_WORDS[type];
  return {
    name: `list_${words.list}`,
    description: `${words.plural} in the local mirror, newest update first, filtered by state (default opened), labels, author, since.`,
    input: z.object({
      project,
      state,
      ...filters,
      max_results: z.number().int().min(1).max(1_000).optional().describe(`default ${DEFAULT_LIST_LIMIT}`),
      fields,
      max_tokens: maxTokens,
    }),
    command: words.command,
    load: entities(type),
    invocation: entityList,
    cut: [words.command],
    readOnly: true,
  };
}

export const TOOLS: readonly ToolSpec[] = [
  {
    name: "search",
    description:
      "Search the local GitLab mirror (issues, merge requests, discussion threads) by words: lexical, semantic or hybrid. Results name the project, IID, title, URL, a snippet, and synced_at/age_seconds.",
    input: z.object({
      query: z.string().min(1).describe('words, "quoted phrases", prefix*, -excluded'),
      mode: z.enum(["hybrid", "lexical", "semantic"]).optional(),
      project,
      type: z.enum(["issue", "mr", "discussion"]).optional(),
      state,
      ...filters,
      max_results: z.number().int().min(1).max(200).optional().describe(`default ${DEFAULT_SEARCH_LIMIT}`),
      fields,
      max_tokens: maxTokens,
    }),
    command: "search",
    load: async () => (await import("../cli/commands/search/run.js")).runSearch,
    invocation: (args) => ({
      args: [[args.query]],
      options: {
        mode: args.mode,
        project: args.project,
        type: args.type,
        state: args.state,
        label: args.labels,
        author: args.author,
        since: args.since,
        limit: str(args.max_results),
        fields: args.fields,
      },
    }),
    cut: ["results"],
    readOnly: true,
  },
  getEntityTool("issue"),
  getEntityTool("merge_request"),
  listEntityTool("issue"),
  listEntityTool("merge_request"),
  {
    name: "refresh",
    description: `Surgical sync: fetch these issues and merge requests (at most ${MAX_SURGICAL_IIDS} IIDs) with their discussions, events and links from GitLab now, in about one round trip. Returns the run summary.`,
    input: z.object({
      project,
      issues: z.array(z.number().int().positive()).optional().describe("issue IIDs"),
      merge_requests: z.array(z.number().int().positive()).optional().describe("merge request IIDs"),
      dry_run: z.boolean().optional().describe("check the IIDs on GitLab only, writing nothing"),
    }),
    command: "sync",
    load: async () => (await import("../cli/commands/sync/run.js")).runSync,
    invocation: (args) => {
      const issues = (args.issues as number[] | undefined) ?? [];
      const mrs = (args.merge_requests as number[] | undefined) ?? [];
      if (issues.length + mrs.length === 0) {
        throw usageError("refresh needs issues or merge_requests (IIDs)");
      }
      return {
        args: [],
        options: {
          project: args.project,
          issue: issues.map(String),
          mr: mrs.map(String),
          dryRun: args.dry_run,
        },
      };
    },
    cut: ["entities"],
    readOnly: false,
  },
  {
    name: "status",
    description:
      "What the local mirror holds per project (counts, cursors, last sync) and the recent sync runs with their status and counters.",
    input: z.object({
      runs: z.number().int().min(1).max(100).optional().describe("how many recent sync runs (default 10)"),
      fields,
      max_tokens: maxTokens,
    }),
    command: "status",
    load: async () => (await import("../cli/commands/status/run.js")).runStatus,
    invocation: (args) => ({ args: [], options: { runs: str(args.runs), fields: args.fields } }),
    cut: ["runs", "projects"],
    readOnly: true,
  },
];
