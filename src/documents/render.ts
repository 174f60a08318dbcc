// Renders search documents as deterministic plain text in two parts: a header of the fields people
// search and filter by (state, labels, people, dates, URL), and the body — the prose: description,
// changed files and a digest of the discussion. Lexical search indexes both; snippets and embeddings
// use the body only. Pure: the same input, the same text.

export const DESCRIPTION_LIMIT = 32_000;
export const NOTE_LIMIT = 8_000;
export const DOCUMENT_LIMIT = 64_000;
export const DIGEST_THREADS = 50;
export const DIGEST_EXCERPT = 240;

export interface ThreadDigest {
  readonly author: string | null;
  readonly createdAt: string;
  readonly body: string;
  readonly replies: number;
}

export interface EntityDocInput {
  readonly type: "issue" | "merge_request";
  readonly project: string;
  readonly iid: number;
  readonly title: string;
  readonly state: string;
  readonly labels: readonly string[];
  readonly author: string | null;
  readonly assignees: readonly string[];
  readonly reviewers?: readonly string[];
  readonly milestone: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly closedAt: string | null;
  readonly mergedAt?: string | null;
  readonly webUrl: string;
  readonly description: string | null;
  readonly sourceBranch?: string | null;
  readonly targetBranch?: string | null;
  readonly changedFiles?: readonly {
    path: string;
    flag: "new" | "deleted" | "renamed" | null;
    oldPath?: string;
  }[];
  readonly threads: readonly ThreadDigest[];
}

export interface NoteInput {
  readonly author: string | null;
  readonly createdAt: string;
  readonly body: string;
  readonly system: boolean;
  /** DiffNote location, e.g. "src/a.ts line 27". */
  readonly location: string | null;
}

export interface DiscussionDocInput {
  readonly parentType: "issue" | "merge_request";
  readonly project: string;
  readonly iid: number;
  readonly parentTitle: string;
  readonly webUrl: string;
  readonly notes: readonly NoteInput[];
}

/** A document's two parts; stored as `header + HEADER_SEPARATOR + body`. */
export interface DocumentText {
  readonly header: string;
  readonly body: string;
}

export const HEADER_SEPARATOR = "\n\n";

/** The stored text of a document and the length of its header part in code points (SQL's substr). */
export function joinDocument(text: DocumentText): { content: string; headerChars: number } {
  const head = `${text.header}${HEADER_SEPARATOR}`;
  return { content: `${head}${text.body}`, headerChars: [...head].length };
}

/** What is sent to the embedding model: the title and the prose, never the metadata header. */
export function embeddingText(title: string, body: string): string {
  const prose = body.trim();
  return prose ? `${title}\n\n${prose}` : title;
}

/** Cuts text at `limit` characters with a visible marker saying how much was left out. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n[… truncated ${text.length - limit} characters]`;
}

const sigil = (type: "issue" | "merge_request") => (type === "issue" ? "#" : "!");
const user = (name: string | null) => (name ? `@${name}` : "unknown");
const list = (names: readonly string[], prefix = "") =>
  names.length > 0 ? names.map((n) => prefix + n).join(", ") : "none";

function firstLines(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > limit ? `${flat.slice(0, limit)}…` : flat;
}

export function renderEntityDocument(input: EntityDocInput): DocumentText {
  const kind = input.type === "issue" ? "Issue" : "Merge request";
  const header = [
    `${kind} ${input.project}${sigil(input.type)}${input.iid}: ${input.title}`,
    `State: ${input.state} | Labels: ${list(input.labels)} | Author: ${user(input.author)} | Assignees: ${list(input.assignees, "@")}`,
  ];
  if (input.reviewers && input.reviewers.length > 0) header.push(`Reviewers: ${list(input.reviewers, "@")}`);
  if (input.milestone) header.push(`Milestone: ${input.milestone}`);
  if (input.sourceBranch || input.targetBranch)
    header.push(`Branches: ${input.sourceBranch ?? "?"} → ${input.targetBranch ?? "?"}`);
  const dates = [`Created: ${input.createdAt}`, `Updated: ${input.updatedAt}`];
  if (input.mergedAt) dates.push(`Merged: ${input.mergedAt}`);
  if (input.closedAt) dates.push(`Closed: ${input.closedAt}`);
  header.push(dates.join(" | "), `URL: ${input.webUrl}`);
  const lines: string[] = [];
  const description = (input.description ?? "").trim();
  if (description) lines.push(truncate(description, DESCRIPTION_LIMIT));
  if (input.changedFiles && input.changedFiles.length > 0) {
    if (lines.length > 0) lines.push("");
    lines.push(`Changed files (${input.changedFiles.length}):`);
    for (const f of input.changedFiles) {
      const flag =
        f.flag === "renamed" && f.oldPath ? ` (renamed from ${f.oldPath})` : f.flag ? ` (${f.flag})` : "";
      lines.push(`- ${f.path}${flag}`);
    }
  }
  if (input.threads.length > 0) {
    const shown = input.threads.slice(0, DIGEST_THREADS);
    if (lines.length > 0) lines.push("");
    lines.push(`Discussion (${input.threads.length} thread${input.threads.length === 1 ? "" : "s"}):`);
    for (const t of shown) {
      const replies = t.replies > 0 ? ` (+${t.replies} repl${t.replies === 1 ? "y" : "ies"})` : "";
      lines.push(`- ${user(t.author)}: ${firstLines(t.body, DIGEST_EXCERPT)}${replies}`);
    }
    if (input.threads.length > shown.length)
      lines.push(`- … ${input.threads.length - shown.length} more threads`);
  }
  return withBody(header.join("\n"), lines.join("\n"));
}

/** The whole document stays under DOCUMENT_LIMIT; only the body is ever cut. */
function withBody(header: string, body: string): DocumentText {
  return { header, body: truncate(body, Math.max(0, DOCUMENT_LIMIT - header.length)) };
}

export function renderDiscussionDocument(input: DiscussionDocInput): DocumentText {
  const kind = input.parentType === "issue" ? "issue" : "merge request";
  const header = [
    `Discussion on ${kind} ${input.project}${sigil(input.parentType)}${input.iid}: ${input.parentTitle}`,
    `URL: ${input.webUrl}`,
  ];
  const lines: string[] = [];
  for (const note of input.notes) {
    const where = note.location ? ` on ${note.location}` : "";
    const system = note.system ? " (system)" : "";
    if (lines.length > 0) lines.push("");
    lines.push(`${user(note.author)}${where}${system}:`, truncate(note.body.trim(), NOTE_LIMIT));
  }
  return withBody(header.join("\n"), lines.join("\n"));
}
