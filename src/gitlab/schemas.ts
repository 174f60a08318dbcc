// Lenient schemas for the GitLab responses lore reads. Only identity fields are required; every other
// field may be missing or null, and unknown fields pass through so callers can store the raw JSON.

import { z } from "zod";
import { shapeError } from "./shape-error.js";

const text = z.string().nullish();
const int = z.number().nullish();
const flag = z.boolean().nullish();

/** An array that may hold nulls (GitLab's own schemas allow them, e.g. in `assignees`): they are dropped. */
function listOf<T extends z.ZodType>(item: T) {
  return z
    .array(item.nullable())
    .transform((items) => items.filter((x): x is NonNullable<typeof x> => x !== null));
}

export const UserSchema = z.looseObject({
  id: z.number(),
  username: text,
  name: text,
  state: text,
  avatar_url: text,
  web_url: text,
});

export const VersionSchema = z.looseObject({
  version: z.string(),
  revision: text,
});

/** `GET /projects/:id/issues_statistics`: how many issues match the filters, per state. */
export const IssuesStatisticsSchema = z.looseObject({
  statistics: z.looseObject({
    counts: z.looseObject({ all: z.number(), opened: z.number().optional(), closed: z.number().optional() }),
  }),
});

export const ProjectSchema = z.looseObject({
  id: z.number(),
  path_with_namespace: z.string(),
  name: text,
  path: text,
  name_with_namespace: text,
  web_url: text,
  default_branch: text,
  visibility: text,
  archived: flag,
  created_at: text,
  last_activity_at: text,
  namespace: z.looseObject({ id: int, name: text, path: text, kind: text, full_path: text }).nullish(),
  issues_enabled: flag,
  merge_requests_enabled: flag,
});

// `with_labels_details=true` turns label names into objects; accept both.
const LabelsSchema = listOf(z.union([z.string(), z.looseObject({ name: z.string() })])).nullish();

export const MilestoneSchema = z.looseObject({
  id: z.number(),
  iid: int,
  project_id: int,
  group_id: int,
  title: text,
  description: text,
  state: text,
  created_at: text,
  updated_at: text,
  due_date: text,
  start_date: text,
  web_url: text,
});

const ReferencesSchema = z.looseObject({ short: text, relative: text, full: text }).nullish();

const IssuableFields = {
  id: z.number(),
  iid: z.number(),
  project_id: int,
  title: z.string(),
  description: text,
  state: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  closed_at: text,
  closed_by: UserSchema.nullish(),
  labels: LabelsSchema,
  milestone: MilestoneSchema.nullish(),
  author: UserSchema.nullish(),
  assignees: listOf(UserSchema).nullish(),
  user_notes_count: int,
  upvotes: int,
  downvotes: int,
  discussion_locked: flag,
  references: ReferencesSchema,
  web_url: z.string(),
};

export const IssueSchema = z.looseObject({
  ...IssuableFields,
  type: text,
  issue_type: text,
  confidential: flag,
  due_date: text,
  merge_requests_count: int,
  moved_to_id: int,
});

export const MergeRequestSchema = z.looseObject({
  ...IssuableFields,
  merged_at: text,
  merge_user: UserSchema.nullish(),
  merged_by: UserSchema.nullish(),
  source_branch: text,
  target_branch: text,
  source_project_id: int,
  target_project_id: int,
  reviewers: listOf(UserSchema).nullish(),
  draft: flag,
  work_in_progress: flag,
  detailed_merge_status: text,
  merge_status: text,
  sha: text,
  merge_commit_sha: text,
  squash_commit_sha: text,
});

const LinePositionSchema = z.looseObject({ line_code: text, type: text, old_line: int, new_line: int });

export const DiffPositionSchema = z.looseObject({
  base_sha: text,
  start_sha: text,
  head_sha: text,
  old_path: text,
  new_path: text,
  position_type: text,
  old_line: int,
  new_line: int,
  line_range: z
    .looseObject({ start: LinePositionSchema.nullish(), end: LinePositionSchema.nullish() })
    .nullish(),
});

export const NoteSchema = z.looseObject({
  id: z.number(),
  type: text,
  body: text,
  author: UserSchema.nullish(),
  created_at: text,
  updated_at: text,
  system: flag,
  noteable_id: int,
  noteable_type: text,
  noteable_iid: int,
  resolvable: flag,
  resolved: flag,
  resolved_by: UserSchema.nullish(),
  resolved_at: text,
  internal: flag,
  confidential: flag,
  position: DiffPositionSchema.nullish(),
});

export const DiscussionSchema = z.looseObject({
  id: z.string(),
  individual_note: flag,
  notes: listOf(NoteSchema),
});

/** State, label and milestone events share one lenient shape; `kind` comes from the endpoint. */
export const ResourceEventSchema = z.looseObject({
  id: z.number(),
  user: UserSchema.nullish(),
  created_at: text,
  resource_type: text,
  resource_id: int,
  state: text,
  source_commit: text,
  source_merge_request_id: int,
  action: text,
  label: z.looseObject({ id: int, name: text, color: text, description: text }).nullish(),
  milestone: MilestoneSchema.nullish(),
});

/**
 * An item of `closes_issues`: a basic issue, or an external tracker (Jira…) item that has only a
 * string `id` and a `title`.
 */
export const ClosesIssueSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  iid: int,
  project_id: int,
  title: text,
  state: text,
  web_url: text,
});

export const DiffFileSchema = z.looseObject({
  old_path: z.string(),
  new_path: z.string(),
  a_mode: text,
  b_mode: text,
  new_file: flag,
  renamed_file: flag,
  deleted_file: flag,
  diff: text,
  collapsed: flag,
  too_large: flag,
  generated_file: flag,
});

export type GitLabUser = z.infer<typeof UserSchema>;
export type GitLabVersion = z.infer<typeof VersionSchema>;
export type GitLabProject = z.infer<typeof ProjectSchema>;
export type GitLabMilestone = z.infer<typeof MilestoneSchema>;
export type GitLabIssue = z.infer<typeof IssueSchema>;
export type GitLabMergeRequest = z.infer<typeof MergeRequestSchema>;
export type GitLabDiffPosition = z.infer<typeof DiffPositionSchema>;
export type GitLabNote = z.infer<typeof NoteSchema>;
export type GitLabDiscussion = z.infer<typeof DiscussionSchema>;
export type GitLabResourceEvent = z.infer<typeof ResourceEventSchema>;
export type GitLabClosesIssue = z.infer<typeof ClosesIssueSchema>;
export type GitLabClosesIssuesItem = GitLabClosesIssue;
// One flat event shape serves all three kinds; the aliases name what an endpoint returns.
export type GitLabStateEvent = GitLabResourceEvent;
export type GitLabLabelEvent = GitLabResourceEvent;
export type GitLabMilestoneEvent = GitLabResourceEvent;
export type GitLabDiffFile = z.infer<typeof DiffFileSchema>;

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    out += typeof key === "number" ? `[${key}]` : out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  if (issue.code === "invalid_type") return `${where}: expected ${issue.expected}`;
  if (issue.code === "invalid_union") {
    // Report the branch that got furthest: its first issue is the informative one.
    const deepest = issue.errors.flat().sort((a, b) => b.path.length - a.path.length)[0];
    if (deepest) return formatIssue({ ...deepest, path: [...issue.path, ...deepest.path] });
  }
  return `${where}: ${issue.message}`;
}

/** Validates a response body; a mismatch names the endpoint and the field path. */
export function parseResponse<T extends z.ZodType>(schema: T, body: unknown, endpoint: string): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw shapeError(endpoint, result.error.issues.slice(0, 3).map(formatIssue));
}

/** Validates one page of a list endpoint. */
export function parsePage<T extends z.ZodType>(schema: T, body: unknown, endpoint: string): z.infer<T>[] {
  return parseResponse(z.array(schema), body, endpoint);
}

/** A list item GitLab served in a shape lore cannot read, with what identifies it. */
export interface InvalidItem {
  readonly id?: number | undefined;
  readonly iid?: number | undefined;
  readonly problems: readonly string[];
}

/**
 * Validates a list page item by item: a malformed item is handed to `onInvalid` and left out, so one
 * odd entity does not stop a walk over thousands. A body that is not an array still fails.
 */
export function parsePageItems<T extends z.ZodType>(
  schema: T,
  body: unknown,
  endpoint: string,
  onInvalid: (item: InvalidItem) => void,
): z.infer<T>[] {
  if (!Array.isArray(body)) return parsePage(schema, body, endpoint);
  const items: z.infer<T>[] = [];
  body.forEach((raw: unknown, index) => {
    const result = schema.safeParse(raw);
    if (result.success) {
      items.push(result.data);
      return;
    }
    const record = (raw ?? {}) as { id?: unknown; iid?: unknown };
    onInvalid({
      id: typeof record.id === "number" ? record.id : undefined,
      iid: typeof record.iid === "number" ? record.iid : undefined,
      problems: result.error.issues
        .slice(0, 3)
        .map((issue) => formatIssue({ ...issue, path: [index, ...issue.path] })),
    });
  });
  return items;
}
