// The MCP tools: one entry per question, each a thin adapter over the CLI command that answers it.
// A tool's zod schema (snake_case, as the contract's MCP section asks) becomes the same flags the
// command's own option parser validates, so a tool and its command accept and answer the same.
// Adding a command's tool is one entry here: its schema, the flags it maps to, the arrays to cut.

import { z } from "zod";
import type { CommandRun, Invocation } from "../cli/command.js";
import { DEFAULT_LIST_LIMIT } from "../cli/commands/entities/options.js";
import { NOTE_TYPES } from "../cli/commands/notes/options.js";
import { DEFAULT_SEARCH_LIMIT } from "../cli/commands/search/options.js";
import { MAX_SURGICAL_IIDS } from "../cli/commands/sync/options.js";
import { MAX_TIMELINE_DEPTH } from "../cli/commands/timeline/options.js";
import { usageError } from "../core/errors.js";
import { DEFAULT_NOTES_LIMIT } from "../history/notes.js";
import { DEFAULT_TIMELINE_DEPTH, DEFAULT_TIMELINE_LIMIT } from "../history/timeline.js";
import { STATES } from "../search/filters.js";
import { type CutPath, DEFAULT_MAX_TOKENS } from "./budget.js";

export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly input: z.ZodObject;
  /** The CLI command whose run answers it (its --fields registry entry applies too). */
  readonly command: string;
  readonly load: () => Promise<CommandRun>;
  /** The arguments as the command's flags and positional arguments. */
  readonly invocation: (args: Record<string, unknown>) => Invocation;
  /** Arrays cut (from their end unless said otherwise, in this order) when the result exceeds its token budget. */
  readonly cut: readonly CutPath[];
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
const maxResults = (what: string, fallback: number, max = 1_000) =>
  z.number().int().min(1).max(max).optional().describe(`how many ${what} (default ${fallback})`);
const sinceDate = (what: string) =>
  z.string().min(1).optional().describe(`only ${what} since an ISO date or a span such as 7d, 12h`);

const str = (value: unknown) => (value === undefined ? undefined : String(value));

/** What every read tool takes to shape its answer. */
const shaping = { fields, max_tokens: maxTokens };
/** The flags every read tool passes the same way: project, -n, --fields. */
const readFlags = (args: Record<string, unknown>) => ({
  project: args.project,
  limit: str(args.max_results),
  fields: args.fields,
});

const entityList = (args: Record<string, unknown>): Invocation => ({
  args: [],
  options: {
    ...readFlags(args),
    state: args.state,
    label: args.labels,
    author: args.author,
    since: args.since,
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
      ...shaping,
    }),
    command: words.command,
    load: entities(type),
    invocation: entityList,
    cut: [words.command],
    readOnly: true,
  };
}

/** related's target as the command's words: `issue 42`, `mr 7` or the text; exactly one is given. */
function relatedTarget(args: Record<string, unknown>): string[] {
  const given = [args.issue, args.merge_request, args.text].filter((v) => v !== undefined);
  if (given.length !== 1) throw usageError("related needs exactly one of issue, merge_request or text");
  if (args.issue !== undefined) return ["issue", String(args.issue)];
  if (args.merge_request !== undefined) return ["mr", String(args.merge_request)];
  return [String(args.text)];
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
      ...shaping,
    }),
    command: "search",
    load: async () => (await import("../cli/commands/search/run.js")).runSearch,
    invocation: (args) => ({
      args: [[args.query]],
      options: {
        ...readFlags(args),
        mode: args.mode,
        type: args.type,
        state: args.state,
        label: args.labels,
        author: args.author,
        since: args.since,
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
    name: "notes",
    description:
      "Individual notes (comments) across issues and merge requests, newest first: by author, kind (user notes, DiffNotes, system notes), one issue/MR, DiffNote file path, time, unresolved, text. Each note names its issue/MR, thread, URL and synced_at/age_seconds.",
    input: z.object({
      project,
      author: z.string().min(1).optional().describe("written by this username"),
      type: z.enum(NOTE_TYPES).optional().describe("default: discussion and diffnote (no system notes)"),
      on: z
        .string()
        .min(1)
        .optional()
        .describe("only on this issue or MR: issue:42, mr:7, group/project!7 or a URL"),
      path: z.string().min(1).optional().describe("DiffNotes on files whose path starts with this"),
      since: sinceDate("notes created"),
      unresolved: z.boolean().optional().describe("only resolvable notes not resolved yet"),
      contains: z.string().min(1).optional().describe("whose body contains this text (any case)"),
      sort: z.enum(["created", "updated"]).optional(),
      asc: z.boolean().optional().describe("oldest first"),
      max_results: maxResults("notes", DEFAULT_NOTES_LIMIT),
      ...shaping,
    }),
    command: "notes",
    load: async () => (await import("../cli/commands/notes/run.js")).runNotes,
    invocation: (args) => ({
      args: [],
      options: {
        ...readFlags(args),
        author: args.author,
        type: args.type,
        on: args.on,
        path: args.path,
        since: args.since,
        unresolved: args.unresolved,
        contains: args.contains,
        sort: args.sort,
        asc: args.asc,
      },
    }),
    cut: ["notes"],
    readOnly: true,
  },
  {
    name: "timeline",
    description:
      "The chronological history of an issue or merge request and of what it references (closing MRs, related MRs, mentions), as events: created, state and label changes, notes, references. With max_age, the entities older than that (or a missing seed) are refreshed from GitLab first; the answer says refreshed/stale.",
    input: z.object({
      target: z
        .string()
        .min(1)
        .describe("issue:42, mr:7, group/project#42, an issue/MR URL, or free text (seeds from search)"),
      project,
      depth: z
        .number()
        .int()
        .min(0)
        .max(MAX_TIMELINE_DEPTH)
        .optional()
        .describe(`reference hops to follow (default ${DEFAULT_TIMELINE_DEPTH}; 0: the seeds alone)`),
      mentions: z.boolean().optional().describe("false: follow and show closing references only"),
      since: sinceDate("events"),
      max_age: maxAge,
      max_results: maxResults("of the newest events", DEFAULT_TIMELINE_LIMIT),
      ...shaping,
    }),
    command: "timeline",
    load: async () => (await import("../cli/commands/timeline/run.js")).runTimeline,
    invocation: (args) => ({
      args: [[args.target]],
      options: {
        ...readFlags(args),
        depth: str(args.depth),
        mentions: args.mentions,
        since: args.since,
        maxAge: args.max_age,
      },
    }),
    // The newest events matter most: the oldest go first.
    cut: [{ path: "events", from: "start" }, "unresolved_references", "entities"],
    readOnly: false,
  },
  {
    name: "who",
    description:
      "People questions over the mirror. target PATH (a file, or a directory with a trailing /): who knows that code, ranked. target @USER: their open issues, MRs, reviews awaited and unresolved threads (with reviews: how they review). active: unresolved threads on open issues and MRs. overlap PATH: who else works on the files PATH's recent MRs changed.",
    input: z.object({
      target: z.string().min(1).optional().describe("PATH or @USER"),
      reviews: z.boolean().optional().describe("with @USER: their review habits"),
      active: z.boolean().optional().describe("unresolved threads on open issues and MRs, oldest first"),
      overlap: z.string().min(1).optional().describe("PATH whose recent MRs' files define the neighbourhood"),
      project,
      since: sinceDate("activity"),
      half_life: z
        .number()
        .positive()
        .optional()
        .describe("experts: a contribution's weight halves every this many days (default 180)"),
      include_bots: z.boolean().optional(),
      explain: z.boolean().optional().describe("experts: the contributions behind each score"),
      max_results: maxResults("people or items per list", 50),
      ...shaping,
    }),
    command: "who",
    load: async () => (await import("../cli/commands/who/run.js")).runWho,
    invocation: (args) => ({
      args: [args.target],
      options: {
        ...readFlags(args),
        reviews: args.reviews,
        active: args.active,
        overlap: args.overlap,
        since: args.since,
        halfLife: str(args.half_life),
        includeBots: args.include_bots,
        explain: args.explain,
      },
    }),
    cut: [
      "experts",
      "users",
      "recent_mrs",
      "discussions",
      "unresolved_discussions",
      "review_requests",
      "authored_mrs",
      "assigned_issues",
      "top_paths",
      "files",
    ],
    readOnly: true,
  },
  {
    name: "file_history",
    description:
      "The merge requests that changed a file (or a directory's files, path ending in /), newest first, following renames; optionally the DiffNotes on the file in each.",
    input: z.object({
      path: z.string().min(1).describe("repository-relative path"),
      discussions: z.boolean().optional().describe("with each MR, the DiffNotes on the file"),
      merged: z.boolean().optional().describe("merged MRs only"),
      follow_renames: z.boolean().optional().describe("false: stop at the file's current name"),
      project,
      max_results: maxResults("merge requests", 50),
      ...shaping,
    }),
    command: "file-history",
    load: async () => (await import("../cli/commands/file-history/run.js")).runFileHistory,
    invocation: (args) => ({
      args: [args.path],
      options: {
        ...readFlags(args),
        discussions: args.discussions,
        merged: args.merged,
        followRenames: args.follow_renames,
      },
    }),
    cut: ["merge_requests", "renames"],
    readOnly: true,
  },
  {
    name: "trace",
    description:
      "Why code is as it is, from GitLab data: path[:line] → the MRs that changed the file (following renames) → the issues each closes or mentions → the DiffNote threads on the file (near the line when given).",
    input: z.object({
      path: z
        .string()
        .min(1)
        .describe("repository-relative file, optionally with :LINE (src/auth/login.ts:42)"),
      discussions: z.boolean().optional().describe("every note of each thread in full"),
      project,
      max_results: maxResults("merge requests", 20),
      ...shaping,
    }),
    command: "trace",
    load: async () => (await import("../cli/commands/trace/run.js")).runTrace,
    invocation: (args) => ({
      args: [args.path],
      options: {
        ...readFlags(args),
        discussions: args.discussions,
      },
    }),
    cut: ["chains", "renames"],
    readOnly: true,
  },
  {
    name: "related",
    description:
      "Issues and merge requests most similar to one issue, one merge request or a text, by embedding (needs embeddings; the entity itself is never among them), with similarity and shared labels.",
    input: z.object({
      issue: iid.optional().describe("relate to this issue (IID)"),
      merge_request: iid.optional().describe("relate to this merge request (IID)"),
      text: z.string().min(1).optional().describe("relate to this text instead"),
      project,
      state,
      max_results: maxResults("results", 10, 200),
      ...shaping,
    }),
    command: "related",
    load: async () => (await import("../cli/commands/related/run.js")).runRelated,
    invocation: (args) => ({
      args: [relatedTarget(args)],
      options: {
        ...readFlags(args),
        state: args.state,
      },
    }),
    cut: ["results"],
    readOnly: true,
  },
  {
    name: "me",
    description:
      "A user's dashboard (default: gitlab.username from the config): open issues assigned, their open MRs, MRs awaiting their review, and mentions and replies since the user last ran lore me (or since a date). Reading it here never moves that 'last looked' mark.",
    input: z.object({
      user: z.string().min(1).optional().describe("whose dashboard (default: the configured user)"),
      since: sinceDate("news"),
      max_results: maxResults("items per list", 50),
      ...shaping,
    }),
    command: "me",
    load: async () => (await import("../cli/commands/me/run.js")).runMe,
    invocation: (args) => ({
      args: [],
      options: { ...readFlags(args), user: args.user, since: args.since },
    }),
    cut: ["inbox", "review_requests", "authored_mrs", "assigned_issues"],
    readOnly: true,
  },
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
