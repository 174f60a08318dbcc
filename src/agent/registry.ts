// What every command's robot `data` holds: its keys and their types, the rows `--fields` selects
// from (with the `minimal` preset) and the error codes it can end with. One entry per command; the
// CLI's `--fields`, the MCP tools and `lore robot-docs` all read it, and a test holds it to the
// output the commands really produce, so none of them can drift.

import type { Invocation } from "../cli/command.js";
import type { ErrorCode } from "../core/errors.js";
import type { FieldTypes, RowShape } from "./fields.js";

export interface CommandShape {
  /** When this shape applies (robot-docs). */
  readonly when: string;
  /** The keys of `data` and their types. */
  readonly data: FieldTypes;
  /** The rows `--fields` keeps keys of; absent when the command has none. */
  readonly rows?: RowShape;
}

export interface RobotCommand {
  /** Every shape `data` can take, by name (e.g. `list` and `show`); the first is the default. */
  readonly shapes: Readonly<Record<string, CommandShape>>;
  /** Which shape an invocation produces, when there are several. */
  readonly shapeFor?: (invocation: Invocation) => string;
  /** Error codes beyond those every command can end with (COMMON_ERRORS). */
  readonly errors: readonly ErrorCode[];
}

/** Every command can fail with these. */
export const COMMON_ERRORS: readonly ErrorCode[] = ["INTERNAL", "USAGE", "CONFIG", "DATABASE", "CANCELLED"];
const GITLAB_ERRORS: readonly ErrorCode[] = [
  "GITLAB_AUTH",
  "GITLAB_NETWORK",
  "GITLAB_NOT_FOUND",
  "GITLAB_RATE_LIMITED",
];

/** Named types the shapes refer to (`note[]`, `linked_item[]`…). */
export const TYPES: Readonly<Record<string, FieldTypes>> = {
  search_pending: {
    synced: "boolean",
    documents_pending: "integer",
    actions: "string[]",
  },
  explain: {
    lexical_rank: "integer | null",
    lexical_score: "number | null",
    lexical_terms_matched: "integer | null",
    semantic_rank: "integer | null",
    similarity: "number | null",
    rrf_score: "number | null",
  },
  note: {
    id: "integer",
    author: "string | null",
    body: "string",
    system: "boolean",
    created_at: "timestamp",
    updated_at: "timestamp",
    type: "string | null",
    position: "object | null",
    resolvable: "boolean",
    resolved: "boolean | null",
  },
  discussion: {
    id: "string",
    individual_note: "boolean",
    notes: "note[]",
    synced_at: "timestamp",
    age_seconds: "integer",
  },
  event: {
    kind: "string",
    id: "integer",
    created_at: "timestamp",
    user: "string | null",
    action: "string | null",
    state: "string | null",
    label: "string | null",
    milestone: "string | null",
  },
  linked_item: {
    iid: "integer | null",
    title: "string | null",
    state: "string | null",
    web_url: "string | null",
    project: "string | null",
  },
  changed_file: {
    old_path: "string",
    new_path: "string",
    new_file: "boolean",
    renamed_file: "boolean",
    deleted_file: "boolean",
  },
  surgical_entity: {
    entity_type: "string",
    iid: "integer",
    status: "string",
    title: "string",
    updated_at: "timestamp",
    web_url: "string",
    local_updated_at: "timestamp | null",
    changed: "boolean | null",
  },
  sync_project: {
    project: "string",
    issues_fetched: "integer",
    mrs_fetched: "integer",
    issues_ingested: "integer",
    mrs_ingested: "integer",
    skipped_stale: "integer",
    issues_deleted: "integer",
    mrs_deleted: "integer",
    discussions_fetched: "integer",
    notes_upserted: "integer",
    events_fetched: "integer",
    ingest_ms: "integer",
  },
  run: {
    run_id: "integer",
    mode: "string",
    status: "string",
    phase: "string | null",
    projects: "string[]",
    started_at: "timestamp",
    finished_at: "timestamp | null",
    cancelled_at: "timestamp | null",
    requested: "object | null",
    counters: "object",
    warnings: "string[]",
    error: "string | null",
  },
  check: { name: "string", ok: "boolean", detail: "string" },
};

const FRESHNESS = { synced_at: "timestamp", age_seconds: "integer" } as const;

const ENTITY_ROW: FieldTypes = {
  iid: "integer",
  title: "string",
  state: "string",
  author: "string | null",
  labels: "string[]",
  updated_at: "timestamp",
  web_url: "string",
  project: "string",
  ...FRESHNESS,
};
const ENTITY_MINIMAL = ["iid", "title", "state", "updated_at", "web_url"];

// Issues and merge requests share most stored columns; each adds its own between these parts.
const ENTITY_HEAD: FieldTypes = {
  id: "integer",
  project_id: "integer",
  iid: "integer",
  title: "string",
  description: "string | null",
  state: "string",
};
const ENTITY_COUNTS: FieldTypes = {
  user_notes_count: "integer | null",
  upvotes: "integer | null",
  downvotes: "integer | null",
};
const ENTITY_TIMES: FieldTypes = {
  web_url: "string",
  created_at: "timestamp",
  updated_at: "timestamp",
};
const ENTITY_STORED: FieldTypes = {
  closed_at: "timestamp | null",
  ...FRESHNESS,
  fetched_at: "timestamp | null",
  project: "string",
  author: "string | null",
  assignees: "string[]",
};
const ENTITY_THREADS: FieldTypes = {
  labels: "string[]",
  references: "object | null",
  discussions: "discussion[]",
  events: "event[]",
};

const ISSUE_DETAIL: FieldTypes = {
  ...ENTITY_HEAD,
  issue_type: "string | null",
  confidential: "boolean",
  author_name: "string | null",
  milestone_title: "string | null",
  closed_by_username: "string | null",
  ...ENTITY_COUNTS,
  due_date: "string | null",
  moved_to_id: "integer | null",
  ...ENTITY_TIMES,
  ...ENTITY_STORED,
  ...ENTITY_THREADS,
  related_mrs: "linked_item[]",
  closed_by: "linked_item[]",
};

const MR_DETAIL: FieldTypes = {
  ...ENTITY_HEAD,
  draft: "boolean",
  source_branch: "string | null",
  target_branch: "string | null",
  source_project_id: "integer | null",
  author_name: "string | null",
  milestone_title: "string | null",
  merge_user_username: "string | null",
  detailed_merge_status: "string | null",
  sha: "string | null",
  merge_commit_sha: "string | null",
  ...ENTITY_COUNTS,
  ...ENTITY_TIMES,
  merged_at: "timestamp | null",
  ...ENTITY_STORED,
  reviewers: "string[]",
  ...ENTITY_THREADS,
  closes_issues: "linked_item[]",
  changed_files: "changed_file[]",
};

/** The freshness keys a `--max-age` read adds beside the entity. */
const FRESH_READ = { refreshed: "boolean", stale: "boolean", warnings: "string[]" } as const;

function entityCommand(plural: "issues" | "mrs", single: "issue" | "mr", detail: FieldTypes): RobotCommand {
  const listFields = plural === "mrs" ? { ...ENTITY_ROW, draft: "boolean" } : ENTITY_ROW;
  return {
    shapes: {
      list: {
        when: `lore ${plural} (no IID)`,
        data: { [plural]: "row[]" },
        rows: { key: plural, many: true, fields: listFields, minimal: ENTITY_MINIMAL },
      },
      show: {
        when: `lore ${plural} IID`,
        data: { [single]: "entity", ...FRESH_READ },
        rows: {
          key: single,
          many: false,
          fields: detail,
          minimal: ["iid", "title", "state", "author", "labels", "updated_at", "web_url", "synced_at"],
        },
      },
    },
    shapeFor: (invocation) => (invocation.args[0] === undefined ? "list" : "show"),
    errors: ["NOT_IN_MIRROR", ...GITLAB_ERRORS, "SURGICAL_PREFLIGHT_FAILED"],
  };
}

const SURGICAL_DATA: FieldTypes = {
  mode: '"surgical"',
  run_id: "integer",
  project: "string",
  status: '"succeeded"',
  dry_run: "boolean",
  requested: "{issues: integer[], mrs: integer[]}",
  counters: "object",
  entities: "surgical_entity[]",
  stages: "{name: string, elapsed_ms: integer}[]",
  warnings: "string[]",
  requests: "integer",
};

export const ROBOT_COMMANDS: Readonly<Record<string, RobotCommand>> = {
  init: {
    shapes: {
      default: {
        when: "lore init",
        data: {
          config_path: "string",
          gitlab_url: "string",
          projects: "string[]",
          token_env: "string",
          token_present: "boolean",
          db_path: "string",
          embedding_provider: "string",
        },
      },
    },
    errors: [],
  },
  doctor: {
    shapes: { default: { when: "lore doctor", data: { checks: "check[]" } } },
    errors: [...GITLAB_ERRORS, "EMBEDDING"],
  },
  sync: {
    shapes: {
      incremental: {
        when: "lore sync [--full]",
        data: {
          mode: '"incremental" | "full"',
          run_id: "integer",
          status: '"succeeded"',
          projects: "sync_project[]",
          docs_regenerated: "integer",
          docs_embedded: "integer",
          requests: "integer",
          retries: "integer",
          warnings: "string[]",
          recovery: "object (with --recover)",
        },
      },
      surgical: { when: "lore sync --issue/--mr", data: SURGICAL_DATA },
    },
    shapeFor: (invocation) =>
      invocation.options.issue !== undefined || invocation.options.mr !== undefined
        ? "surgical"
        : "incremental",
    errors: [...GITLAB_ERRORS, "SURGICAL_PREFLIGHT_FAILED", "SYNC_LOCKED"],
  },
  search: {
    shapes: {
      default: {
        when: "lore search QUERY",
        data: {
          query: "string",
          mode: '"lexical" | "semantic" | "hybrid"',
          mode_reason: "string",
          matched_all_terms: "integer | null",
          query_terms: "integer | null",
          results: "row[]",
          warnings: "string[]",
          pending: "search_pending",
        },
        rows: {
          key: "results",
          many: true,
          fields: {
            document_id: "integer",
            source_type: '"issue" | "merge_request" | "discussion"',
            project: "string",
            iid: "integer",
            title: "string",
            web_url: "string | null",
            snippet: "string",
            state: "string | null",
            updated_at: "timestamp",
            score: "number",
            ...FRESHNESS,
            // Only with --explain.
            explain: "explain",
          },
          minimal: ["document_id", "source_type", "project", "iid", "title", "score"],
        },
      },
    },
    errors: ["EMBEDDING"],
  },
  issues: entityCommand("issues", "issue", ISSUE_DETAIL),
  mrs: entityCommand("mrs", "mr", MR_DETAIL),
  status: {
    shapes: {
      default: {
        when: "lore status",
        data: {
          config_path: "string",
          config_present: "boolean",
          db_path: "string",
          db_exists: "boolean",
          schema_version: "integer",
          projects: "row[]",
          runs: "run[]",
        },
        rows: {
          key: "projects",
          many: true,
          fields: {
            project: "string",
            project_id: "integer | null",
            issues: "integer",
            mrs: "integer",
            discussions: "integer",
            notes: "integer",
            documents: "integer",
            dirty: "integer",
            embedded: "integer",
            last_synced_at: "timestamp | null",
            cursors: "object",
          },
          minimal: ["project", "issues", "mrs", "last_synced_at"],
        },
      },
    },
    errors: [],
  },
  embed: {
    shapes: {
      default: {
        when: "lore embed",
        data: {
          provider: "string",
          model: "string | null",
          counters: "{docs_embedded, chunks_embedded, skipped_unchanged, failed: integer}",
          elapsed_ms: "integer",
        },
      },
    },
    errors: ["EMBEDDING"],
  },
  mcp: {
    shapes: {
      default: {
        when: "lore mcp (stdio: Model Context Protocol messages, no envelope)",
        data: {},
      },
    },
    errors: [],
  },
  "robot-docs": {
    shapes: {
      default: {
        when: "lore robot-docs",
        data: {
          version: "string",
          global_options: "option[]",
          exit_codes: "object[]",
          types: "object",
          commands: "command[]",
        },
      },
    },
    errors: [],
  },
};

/** The shape an invocation of `command` produces, or undefined for a command without an entry. */
export function shapeOf(command: string, invocation: Invocation): CommandShape | undefined {
  const entry = ROBOT_COMMANDS[command];
  if (!entry) return undefined;
  const names = Object.keys(entry.shapes);
  const name = entry.shapeFor?.(invocation) ?? names[0];
  return name === undefined ? undefined : entry.shapes[name];
}
