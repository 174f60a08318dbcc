// What every command's robot `data` holds: its keys and their types, the rows `--fields` selects
// from (with the `minimal` preset) and the error codes it can end with. One entry per command; the
// CLI's `--fields`, the MCP tools and `lore robot-docs` all read it, and a test holds it to the
// output the commands really produce, so none of them can drift.
//
// A type reads as robot-docs prints it: `integer`, `string | null`, `timestamp`, `note[]` (a named
// type of TYPES), `row[]` (the shape's --fields rows), `"a" | "b"` (literals). A key present only
// in some answers says when: `explain (only with --explain)`.

import type { Invocation } from "../cli/command.js";
import { whoMode } from "../cli/commands/who/options.js";
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

/** An issue or MR a code or people answer points at (src/code/merge-request-ref.ts). */
const ENTITY_REF: FieldTypes = {
  project: "string",
  iid: "integer",
  title: "string",
  state: "string",
  web_url: "string",
};

/** An open issue or MR of someone's plate (src/people/items.ts). */
const OPEN_ITEM: FieldTypes = {
  ...ENTITY_REF,
  author: "string | null",
  created_at: "timestamp",
  updated_at: "timestamp",
  age_days: "integer",
  synced_at: "timestamp",
  age_seconds: "integer",
};

/** An issue or MR `lore related` names (src/search/related.ts). */
const RELATED_ENTITY: FieldTypes = {
  source_type: '"issue" | "merge_request"',
  project: "string",
  iid: "integer",
  title: "string",
  state: "string | null",
  web_url: "string | null",
  synced_at: "timestamp",
  age_seconds: "integer",
};

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
  embedding_probe: {
    provider: '"ollama" | "openai"',
    base_url: "string",
    model: "string",
    ok: "boolean",
    detail: "string",
    fix: "string[]",
  },
  // lore timeline
  entity_key: { entity_type: '"issue" | "merge_request"', project: "string", iid: "integer" },
  timeline_entity: {
    entity_type: '"issue" | "merge_request"',
    project: "string",
    iid: "integer",
    title: "string",
    state: "string",
    web_url: "string",
    depth: "integer",
    via: '"closes" | "related" | "mentioned" | null',
    synced_at: "timestamp",
    age_seconds: "integer",
  },
  unresolved_reference: {
    entity_type: '"issue" | "merge_request" | "commit"',
    project: "string",
    iid: "integer | null",
    sha: "string (only for a commit)",
  },
  // lore who, lore me
  contribution: {
    kind: '"authored" | "reviewed" | "diff_note"',
    project: "string",
    iid: "integer",
    at: "timestamp",
    weight: "number",
  },
  issue_item: { ...OPEN_ITEM, labels: "string[]" },
  merge_request_item: {
    ...OPEN_ITEM,
    draft: "boolean",
    reviewers: "string[]",
    detailed_merge_status: "string | null",
    unresolved_threads: "integer",
  },
  discussion_item: {
    discussion_id: "string",
    project: "string",
    entity_type: '"issue" | "merge_request"',
    iid: "integer",
    title: "string",
    started_by: "string | null",
    participants: "string[]",
    notes: "integer",
    position: "string | null",
    excerpt: "string",
    first_note_at: "timestamp",
    last_note_at: "timestamp",
    age_days: "integer",
    url: "string",
    synced_at: "timestamp",
    age_seconds: "integer",
  },
  inbox_item: {
    at: "timestamp",
    kind: '"mention" | "reply"',
    project: "string",
    entity_type: '"issue" | "merge_request"',
    iid: "integer",
    title: "string",
    author: "string | null",
    excerpt: "string",
    url: "string",
    synced_at: "timestamp",
    age_seconds: "integer",
  },
  reviewed_mr: {
    ...ENTITY_REF,
    notes: "integer",
    diff_notes: "integer",
    first_note_at: "timestamp | null",
    synced_at: "timestamp",
    age_seconds: "integer",
  },
  path_count: { path: "string", mrs: "integer" },
  // lore file-history, lore trace
  change: {
    ...ENTITY_REF,
    author: "string | null",
    merged_at: "timestamp | null",
    path_then: "string",
    synced_at: "timestamp",
    age_seconds: "integer",
  },
  rename: { from: "string", to: "string", project: "string", iid: "integer", at: "timestamp" },
  diff_note: {
    note_id: "integer",
    discussion_id: "string",
    author: "string | null",
    path: "string",
    line: "integer | null",
    excerpt: "string",
    created_at: "timestamp",
    resolved: "boolean | null",
    url: "string",
  },
  linked_issue: {
    ...ENTITY_REF,
    via: '"closes" | "mentioned"',
    // Null when only the link names the issue (the mirror has no copy of it).
    synced_at: "timestamp | null",
    age_seconds: "integer | null",
  },
  trace_thread: {
    discussion_id: "string",
    path: "string",
    line: "integer | null",
    started_by: "string | null",
    created_at: "timestamp",
    resolved: "boolean | null",
    note_count: "integer",
    excerpt: "string",
    url: "string",
    notes: "trace_note[] (only with --discussions)",
  },
  trace_note: { note_id: "integer", author: "string | null", created_at: "timestamp", body: "string" },
  // lore related
  related_source: { ...RELATED_ENTITY, labels: "string[]" },
  // lore config, lore project
  config_value: { key: "string", value: "any", source: '"file" | "default" | "unset"' },
  added_project: {
    project: "string",
    status: '"added" | "already_configured"',
    verified: "boolean",
    gitlab_id: "integer | null",
    visibility: "string | null",
    requested: "string (only when GitLab spells the path differently)",
  },
  configured_project: {
    project: "string",
    configured: "boolean",
    issues: "integer",
    mrs: "integer",
    documents: "integer",
    embedded: "integer",
    last_synced_at: "timestamp | null",
  },
  // lore robot-docs
  option: {
    flags: "string",
    name: "string",
    short: "string | null",
    type: "string",
    repeatable: "boolean",
    default: "any",
    description: "string",
  },
  subcommand: {
    name: "string",
    description: "string",
    usage: "string",
    arguments: "{name: string, required: boolean, variadic: boolean, description: string}[]",
    options: "option[]",
  },
  command: {
    name: "string",
    description: "string",
    usage: "string",
    arguments: "{name: string, required: boolean, variadic: boolean, description: string}[]",
    options: "option[]",
    subcommands: "subcommand[] (only for commands that have them: lore config, lore project)",
    data: "object",
    exit_codes: "{code: string, exit_code: integer}[]",
    examples: "string[]",
  },
};

const FRESHNESS = { synced_at: "timestamp", age_seconds: "integer" } as const;

/** The fields of several lists selected alike (`alike` rows): every list's, once. */
function fieldsOf(...types: readonly string[]): FieldTypes {
  return Object.assign({}, ...types.map((name) => TYPES[name]));
}

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
      web: {
        when: `lore ${plural} IID --web`,
        data: { web_url: "string", opened: "boolean" },
      },
    },
    shapeFor: (invocation) =>
      invocation.args[0] === undefined ? "list" : invocation.options.web === true ? "web" : "show",
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

/** What `--max-age` adds beside a timeline. */
const TIMELINE_FRESH_READ = { refreshed: "boolean", stale: "boolean" } as const;

// The lists of `lore who @user` and `lore me`, selected alike by --fields.
const WORKLOAD_LISTS = {
  assigned_issues: "issue_item[]",
  authored_mrs: "merge_request_item[]",
  review_requests: "merge_request_item[]",
} as const;
const WORKLOAD_OMITTED = {
  omitted_assigned_issues: "integer",
  omitted_authored_mrs: "integer",
  omitted_review_requests: "integer",
} as const;

const ROWS_OF_PEOPLE_LISTS = ["project", "entity_type", "iid", "title", "excerpt", "age_days"];

const CONFIG_PATH = { config_path: "string" } as const;

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
          username: "string | null",
          db_path: "string",
          embedding_provider: '"ollama" | "openai" | "none"',
          embedding_probe: "embedding_probe | null",
          embedding_actions: "string[]",
          warnings: "string[]",
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
          recovery: "object (only with --recover)",
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
            explain: "explain (only with --explain)",
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
          elapsed_ms: "integer (only when a provider is configured)",
        },
      },
    },
    errors: ["EMBEDDING"],
  },
  related: {
    shapes: {
      default: {
        when: 'lore related issue IID | mr IID | "TEXT"',
        data: { source: "related_source | null", results: "row[]" },
        rows: {
          key: "results",
          many: true,
          fields: {
            ...RELATED_ENTITY,
            similarity: "number",
            shared_labels: "string[]",
          },
          minimal: ["source_type", "project", "iid", "title", "similarity"],
        },
      },
    },
    errors: ["NOT_IN_MIRROR", "EMBEDDING"],
  },
  timeline: {
    shapes: {
      default: {
        when: "lore timeline issue:IID | mr:IID | URL | QUERY",
        data: {
          query: "string | null",
          seeds: "entity_key[]",
          entities: "timeline_entity[]",
          events: "row[]",
          unresolved_references: "unresolved_reference[]",
          omitted_events: "integer",
          omitted_entities: "integer",
          omitted_unresolved_references: "integer",
          warnings: "string[]",
          ...TIMELINE_FRESH_READ,
        },
        rows: {
          key: "events",
          many: true,
          fields: {
            at: "timestamp",
            entity_type: '"issue" | "merge_request"',
            project: "string",
            iid: "integer",
            kind: "string",
            actor: "string | null",
            summary: "string",
            url: "string",
          },
          minimal: ["at", "entity_type", "project", "iid", "kind", "summary"],
        },
      },
    },
    errors: ["NOT_IN_MIRROR", "EMBEDDING", ...GITLAB_ERRORS, "SURGICAL_PREFLIGHT_FAILED"],
  },
  notes: {
    shapes: {
      default: {
        when: "lore notes",
        data: { notes: "row[]", omitted_notes: "integer" },
        rows: {
          key: "notes",
          many: true,
          fields: {
            id: "integer",
            project: "string",
            entity_type: '"issue" | "merge_request"',
            iid: "integer",
            title: "string",
            discussion_id: "string",
            author: "string | null",
            body: "string",
            system: "boolean",
            type: "string | null",
            created_at: "timestamp",
            updated_at: "timestamp",
            resolvable: "boolean",
            resolved: "boolean | null",
            position: "object | null",
            web_url: "string",
            ...FRESHNESS,
          },
          minimal: ["id", "project", "entity_type", "iid", "author", "created_at", "body"],
        },
      },
    },
    errors: ["NOT_IN_MIRROR"],
  },
  who: {
    shapes: {
      expert: {
        when: "lore who PATH",
        data: {
          mode: '"expert"',
          path: "string",
          since: "timestamp | null",
          half_life_days: "number",
          experts: "row[]",
          omitted_experts: "integer",
          omitted_bots: "integer",
        },
        rows: {
          key: "experts",
          many: true,
          fields: {
            username: "string",
            score: "number",
            authored_mrs: "integer",
            reviewed_mrs: "integer",
            diff_notes: "integer",
            last_active_at: "timestamp",
            contributions: "contribution[] (only with --explain)",
            omitted_contributions: "integer (only with --explain)",
          },
          minimal: ["username", "score"],
        },
      },
      workload: {
        when: "lore who @USER",
        data: {
          mode: '"workload"',
          username: "string",
          since: "timestamp | null",
          ...WORKLOAD_LISTS,
          unresolved_discussions: "discussion_item[]",
          ...WORKLOAD_OMITTED,
          omitted_unresolved_discussions: "integer",
        },
        rows: {
          key: "assigned_issues",
          alike: ["authored_mrs", "review_requests", "unresolved_discussions"],
          many: true,
          fields: fieldsOf("issue_item", "merge_request_item", "discussion_item"),
          minimal: ROWS_OF_PEOPLE_LISTS,
        },
      },
      reviews: {
        when: "lore who --reviews @USER",
        data: {
          mode: '"reviews"',
          username: "string",
          since: "timestamp | null",
          reviewed_mrs: "integer",
          notes: "integer",
          notes_per_mr: "number",
          diff_notes: "integer",
          diff_note_share: "number | null",
          median_first_review_hours: "number | null",
          top_paths: "path_count[]",
          omitted_paths: "integer",
          recent_mrs: "row[]",
          omitted_recent_mrs: "integer",
        },
        rows: {
          key: "recent_mrs",
          many: true,
          fields: TYPES.reviewed_mr as FieldTypes,
          minimal: ["project", "iid", "title", "notes", "diff_notes"],
        },
      },
      active: {
        when: "lore who --active",
        data: {
          mode: '"active"',
          since: "timestamp | null",
          discussions: "row[]",
          omitted_discussions: "integer",
        },
        rows: {
          key: "discussions",
          many: true,
          fields: TYPES.discussion_item as FieldTypes,
          minimal: ROWS_OF_PEOPLE_LISTS,
        },
      },
      overlap: {
        when: "lore who --overlap PATH",
        data: {
          mode: '"overlap"',
          path: "string",
          since: "timestamp | null",
          recent_mrs: "integer",
          files: "string[]",
          omitted_files: "integer",
          users: "row[]",
          omitted_users: "integer",
          omitted_bots: "integer",
        },
        rows: {
          key: "users",
          many: true,
          fields: {
            username: "string",
            authored_mrs: "integer",
            reviewed_mrs: "integer",
            shared_files: "integer",
            files: "string[]",
            mrs: "string[]",
            last_touched_at: "timestamp",
          },
          minimal: ["username", "authored_mrs", "reviewed_mrs"],
        },
      },
    },
    // The mode the flags ask for; an invocation that asks none fails as USAGE in the command.
    shapeFor: (invocation) => whoMode(invocation.options, invocation.args[0]) ?? "expert",
    errors: [],
  },
  "file-history": {
    shapes: {
      default: {
        when: "lore file-history PATH",
        data: {
          path: "string",
          merge_requests: "row[]",
          omitted_merge_requests: "integer",
          renames: "rename[]",
          renames_truncated: "boolean",
        },
        rows: {
          key: "merge_requests",
          many: true,
          fields: {
            ...(TYPES.change as FieldTypes),
            discussions: "diff_note[] (only with --discussions)",
            omitted_discussions: "integer (only with --discussions)",
          },
          minimal: ["project", "iid", "title", "state", "merged_at", "web_url"],
        },
      },
    },
    errors: [],
  },
  trace: {
    shapes: {
      default: {
        when: "lore trace PATH[:LINE]",
        data: {
          path: "string",
          line: "integer | null",
          line_radius: "integer | null",
          chains: "row[]",
          omitted_chains: "integer",
          renames: "rename[]",
        },
        rows: {
          key: "chains",
          many: true,
          fields: {
            merge_request: "change",
            issues: "linked_issue[]",
            omitted_issues: "integer",
            discussions: "trace_thread[]",
            omitted_discussions: "integer",
          },
          minimal: ["merge_request", "issues"],
        },
      },
    },
    errors: [],
  },
  me: {
    shapes: {
      default: {
        when: "lore me",
        data: {
          username: "string",
          ...WORKLOAD_LISTS,
          inbox: "inbox_item[]",
          since: "timestamp | null",
          baseline: "boolean",
          ...WORKLOAD_OMITTED,
          omitted_inbox: "integer",
        },
        rows: {
          key: "assigned_issues",
          alike: ["authored_mrs", "review_requests", "inbox"],
          many: true,
          fields: fieldsOf("issue_item", "merge_request_item", "inbox_item"),
          minimal: ["project", "entity_type", "iid", "title", "kind", "author", "excerpt"],
        },
      },
    },
    errors: [],
  },
  config: {
    shapes: {
      get: {
        when: "lore config get KEY",
        data: { key: "string", value: "any", source: '"file" | "default" | "unset"', ...CONFIG_PATH },
      },
      get_all: { when: "lore config get", data: { ...CONFIG_PATH, values: "config_value[]" } },
      set: {
        when: "lore config set KEY VALUE, lore config unset KEY",
        data: { key: "string", value: "any", previous: "any", ...CONFIG_PATH },
      },
      path: { when: "lore config path", data: { ...CONFIG_PATH, exists: "boolean" } },
    },
    errors: [],
  },
  project: {
    shapes: {
      add: {
        when: "lore project add PATH...",
        data: { projects: "added_project[]", ...CONFIG_PATH, warnings: "string[]" },
      },
      remove: {
        when: "lore project remove PATH",
        data: {
          project: "string",
          removed_from_config: "boolean",
          purged: "boolean",
          local_data: "{issues, mrs, discussions, notes, documents, embedded: integer} | null",
          ...CONFIG_PATH,
        },
      },
      list: { when: "lore project list", data: { projects: "configured_project[]", ...CONFIG_PATH } },
    },
    errors: [...GITLAB_ERRORS],
  },
  completion: {
    shapes: {
      script: { when: "lore completion bash|zsh|fish", data: { shell: "string", script: "string" } },
      projects: { when: "lore completion --list-projects (for the scripts)", data: { projects: "string[]" } },
    },
    errors: [],
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
          envelope: "{success: string, failure: string, notes: string}",
          global_options: "option[]",
          exit_codes: "{code: string, exit_code: integer, when: string}[]",
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
