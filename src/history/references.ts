// Finds the issues, merge requests and commits a piece of GitLab Markdown refers to, by GitLab's
// own reference rules: `#12`, `!34`, `project#5` (relative to the namespace), `group/project#12`,
// `group/project!34`, and web URLs of issues/MRs of the instance. Code spans, fenced code and URLs
// that are not issue/MR links are never scanned. Pure: text in, references out.

import { withoutCode } from "../core/markdown-code.js";
import { parseEntityUrl } from "../gitlab/entity-url.js";

export type ReferenceTarget =
  | { readonly kind: "issue" | "merge_request"; readonly projectPath: string; readonly iid: number }
  | { readonly kind: "commit"; readonly projectPath: string; readonly sha: string };

export interface ReferenceContext {
  /** Full path of the project the text belongs to (`group/sub/project`). */
  readonly projectPath: string;
  /** The configured GitLab URL; only web URLs of this instance are references. */
  readonly gitlabUrl: string;
}

// GitLab's PostgreSQL integer ceiling: a larger "iid" is not a reference (Issue.reference_valid?).
const MAX_IID = 2_147_483_647;

// A project path segment (Gitlab::PathRegex): starts with a letter, digit or underscore.
const SEGMENT = "[A-Za-z0-9_][A-Za-z0-9_.-]*";
// A reference may not start in the middle of a word or path (GitLab's PATH_START_CHAR lookbehind);
// `&` keeps HTML entities such as `&#39;` out.
const ISSUABLE_REFERENCE = new RegExp(
  `(?<![A-Za-z0-9_.\\/&-])(?:(?<project>${SEGMENT}(?:\\/${SEGMENT})*))?(?<sigil>[#!])(?<iid>\\d+)(?!\\d)`,
  "g",
);
const URL_TOKEN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const MAY_REFERENCE = /[#!]\d|https?:\/\//i;

/** References in a description or a user note, in order of first appearance, without duplicates. */
export function extractReferences(markdown: string, context: ReferenceContext): ReferenceTarget[] {
  // Most text holds no reference at all: it costs one scan to know.
  if (!MAY_REFERENCE.test(markdown)) return [];
  const found = new Map<string, ReferenceTarget>();
  const add = (target: ReferenceTarget | undefined) => {
    if (target && !found.has(referenceKey(target))) found.set(referenceKey(target), target);
  };
  const prose = withoutCode(markdown).replace(URL_TOKEN, (token) => {
    if (context.gitlabUrl) add(urlReference(token, context));
    // A URL's own `#fragment` or path is never a short reference.
    return " ".repeat(token.length);
  });
  for (const match of prose.matchAll(ISSUABLE_REFERENCE)) {
    const groups = match.groups as { project?: string; sigil: string; iid: string };
    if (groups.project?.toLowerCase().endsWith(".git") || groups.project?.endsWith(".")) continue;
    const iid = Number(groups.iid);
    if (!Number.isSafeInteger(iid) || iid < 1 || iid > MAX_IID) continue;
    add({
      kind: groups.sigil === "#" ? "issue" : "merge_request",
      projectPath: resolveProjectPath(groups.project, context.projectPath),
      iid,
    });
  }
  return [...found.values()];
}

/**
 * What a system note says about another entity; `mentioned_in` means that entity mentions this one,
 * `addressed_by` that it is a merge request created from this issue to address it.
 */
export type SystemNoteRelation =
  | "mentioned_in"
  | "closed_via"
  | "addressed_by"
  | "related_to"
  | "duplicate_of"
  | "duplicated_by"
  | "moved_to"
  | "moved_from";

export interface SystemNoteReference {
  readonly relation: SystemNoteRelation;
  readonly target: ReferenceTarget;
}

const NOUNS: Record<string, "issue" | "merge_request" | "commit"> = {
  issue: "issue",
  task: "issue",
  incident: "issue",
  "test case": "issue",
  "work item": "issue",
  "merge request": "merge_request",
  commit: "commit",
};
const NOUN = "issue|task|incident|test case|work item|merge request|commit";
const REF = `(?:(?<project>${SEGMENT}(?:\\/${SEGMENT})*)(?<sep>[#!@]))?(?<sigil>[#!])?(?<id>[0-9a-f]{7,40}|\\d+)`;
const SYSTEM_NOTES: readonly { relation: SystemNoteRelation; pattern: RegExp }[] = [
  { relation: "mentioned_in", pattern: new RegExp(`^mentioned in (?<noun>${NOUN}) ${REF}\\s*$`, "i") },
  { relation: "closed_via", pattern: new RegExp(`^closed via (?<noun>${NOUN}) ${REF}\\s*$`, "i") },
  // GitLab writes it on an issue when a merge request is created from it (SystemNoteService
  // new_merge_request); the MR is named relative to the issue's project.
  {
    relation: "addressed_by",
    pattern: new RegExp(`^created (?<noun>merge request) ${REF} to address this \\w+\\s*$`, "i"),
  },
  { relation: "related_to", pattern: new RegExp(`^marked this \\w+ as related to ${REF}\\s*$`, "i") },
  {
    relation: "duplicate_of",
    pattern: new RegExp(`^marked this \\w+ as a duplicate of ${REF}\\s*$`, "i"),
  },
  {
    relation: "duplicated_by",
    pattern: new RegExp(`^marked ${REF} as a duplicate of this \\w+\\s*$`, "i"),
  },
  { relation: "moved_to", pattern: new RegExp(`^moved to ${REF}\\s*$`, "i") },
  { relation: "moved_from", pattern: new RegExp(`^moved from ${REF}\\s*$`, "i") },
];

/**
 * Reads the cross-reference GitLab's system notes carry ("mentioned in merge request !12",
 * "mentioned in issue group/other#7", "mentioned in commit abc1234", "closed via merge request !3",
 * "created merge request !7 to address this issue", "marked this issue as related to #9",
 * "moved to other#4"). Undefined for any other system note.
 */
export function parseSystemNoteReference(
  body: string,
  context: ReferenceContext,
): SystemNoteReference | undefined {
  const text = body.trim();
  for (const { relation, pattern } of SYSTEM_NOTES) {
    const match = pattern.exec(text);
    if (!match?.groups) continue;
    const { noun, project, sep, sigil, id } = match.groups as Record<string, string | undefined>;
    const target = systemNoteTarget(noun, project, sep, sigil, id ?? "", context);
    if (target) return { relation, target };
  }
  return undefined;
}

function systemNoteTarget(
  noun: string | undefined,
  project: string | undefined,
  separator: string | undefined,
  sigil: string | undefined,
  id: string,
  context: ReferenceContext,
): ReferenceTarget | undefined {
  const projectPath = resolveProjectPath(project, context.projectPath);
  const declared = noun === undefined ? undefined : NOUNS[noun.toLowerCase()];
  // "commit abc1234" or "group/proj@abc1234": a commit, kept by its sha.
  if (declared === "commit" || separator === "@") {
    if (sigil !== undefined || !/^[0-9a-f]{7,40}$/.test(id)) return undefined;
    return { kind: "commit", projectPath, sha: id };
  }
  const mark = sigil ?? separator;
  const kind = mark === "#" ? "issue" : mark === "!" ? "merge_request" : undefined;
  if (!kind || (declared !== undefined && declared !== kind)) return undefined;
  const iid = Number(id);
  if (!/^\d+$/.test(id) || !Number.isSafeInteger(iid) || iid < 1 || iid > MAX_IID) return undefined;
  return { kind, projectPath, iid };
}

/** One key per target, case-insensitive on the project path as GitLab's routes are. */
export function referenceKey(target: ReferenceTarget): string {
  const id = target.kind === "commit" ? target.sha : String(target.iid);
  return `${target.kind}:${target.projectPath.toLowerCase()}:${id}`;
}

/** `other#5` is relative to the namespace of the current project; `a/b#5` is a full path. */
function resolveProjectPath(reference: string | undefined, current: string): string {
  if (reference === undefined) return current;
  if (reference.includes("/")) return reference;
  const namespace = current.slice(0, current.lastIndexOf("/"));
  return namespace ? `${namespace}/${reference}` : reference;
}

function urlReference(token: string, context: ReferenceContext): ReferenceTarget | undefined {
  // Sentence punctuation and a closing bracket after a link are not part of it.
  const url = token.replace(/[.,;:!?)\]}>*_]+$/, "");
  const parsed = parseEntityUrl(url, context.gitlabUrl);
  return parsed ? { kind: parsed.type, projectPath: parsed.projectPath, iid: parsed.iid } : undefined;
}
