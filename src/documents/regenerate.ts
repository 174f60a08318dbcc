// Drains the dirty-sources queue into search documents. A document is rewritten only when its
// content hash changes, so unchanged documents are neither re-indexed nor re-embedded.

import { createHash } from "node:crypto";
import { throwIfCancelled } from "../core/errors.js";
import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import {
  type EntityDocInput,
  joinDocument,
  type NoteInput,
  renderDiscussionDocument,
  renderEntityDocument,
} from "./render.js";
import type { DocumentScope, SourceRef, SourceType } from "./sources.js";

export type { SourceRef, SourceType } from "./sources.js";

export interface RegenerateCounters {
  docs_regenerated: number;
  docs_unchanged: number;
  docs_deleted: number;
}

export interface RegenerateResult extends RegenerateCounters {
  /** Ids of the documents written (new or changed): what embedding must look at. */
  readonly documentIds: number[];
}

export interface RegenerateOptions {
  readonly signal?: AbortSignal;
  readonly batchSize?: number;
  readonly onProgress?: (counters: Readonly<RegenerateCounters>) => void;
}

interface DocumentRow {
  source_type: SourceType;
  source_id: string;
  project_id: number;
  parent_type: "issue" | "merge_request";
  parent_id: number;
  iid: number;
  title: string;
  state: string | null;
  author_username: string | null;
  created_at: string | null;
  updated_at: string;
  web_url: string | null;
  content: string;
  /** Code points of `content` before the body (header and separator). */
  header_chars: number;
}

interface EntityRow {
  id: number;
  project_id: number;
  project: string;
  iid: number;
  title: string;
  description: string | null;
  state: string;
  author_username: string | null;
  assignees_json: string;
  reviewers_json?: string;
  milestone_title: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  merged_at?: string | null;
  web_url: string;
  source_branch?: string | null;
  target_branch?: string | null;
}

/**
 * Each thread of an issue or MR, by its first user note. `+n.system` keeps SQLite off the notes
 * (system, created_at) index, which would scan every user note of the mirror for each entity.
 */
export function entityThreadsSql(parent: "issue_id" | "merge_request_id"): string {
  return `SELECT n.author_username, n.created_at, n.body, MIN(n.position) AS first, COUNT(*) AS notes
     FROM discussions d JOIN notes n ON n.discussion_id = d.id
     WHERE d.${parent} = ? AND +n.system = 0 GROUP BY d.id ORDER BY d.position`;
}

const statements = perConnection((db) => ({
  issue: db.prepare<[number], EntityRow>(
    "SELECT i.*, p.path_with_namespace AS project FROM issues i JOIN projects p ON p.id = i.project_id WHERE i.id = ?",
  ),
  mergeRequest: db.prepare<[number], EntityRow>(
    "SELECT m.*, p.path_with_namespace AS project FROM merge_requests m JOIN projects p ON p.id = m.project_id WHERE m.id = ?",
  ),
  issueLabels: db.prepare<[number], { name: string }>(
    "SELECT l.name FROM issue_labels x JOIN labels l ON l.id = x.label_id WHERE x.issue_id = ? ORDER BY l.name",
  ),
  mergeRequestLabels: db.prepare<[number], { name: string }>(
    "SELECT l.name FROM merge_request_labels x JOIN labels l ON l.id = x.label_id WHERE x.merge_request_id = ? ORDER BY l.name",
  ),
  // Each thread's first non-system note (bare columns come from the MIN row) and its reply count.
  issueThreads: db.prepare<
    [number],
    { author_username: string | null; created_at: string; body: string; notes: number }
  >(entityThreadsSql("issue_id")),
  mergeRequestThreads: db.prepare<
    [number],
    { author_username: string | null; created_at: string; body: string; notes: number }
  >(entityThreadsSql("merge_request_id")),
  files: db.prepare<
    [number],
    { old_path: string; new_path: string; new_file: number; renamed_file: number; deleted_file: number }
  >(
    "SELECT old_path, new_path, new_file, renamed_file, deleted_file FROM merge_request_files WHERE merge_request_id = ? ORDER BY position",
  ),
  discussion: db.prepare<
    [string],
    { id: string; project_id: number; issue_id: number | null; merge_request_id: number | null }
  >("SELECT id, project_id, issue_id, merge_request_id FROM discussions WHERE id = ?"),
  discussionNotes: db.prepare<
    [string],
    {
      id: number;
      author_username: string | null;
      created_at: string;
      updated_at: string;
      body: string;
      system: number;
      position_json: string | null;
    }
  >(
    "SELECT id, author_username, created_at, updated_at, body, system, position_json FROM notes WHERE discussion_id = ? ORDER BY position",
  ),
  existing: db.prepare<[SourceType, string], { id: number; content_hash: string }>(
    "SELECT id, content_hash FROM documents WHERE source_type = ? AND source_id = ?",
  ),
  upsert: db.prepare(`
    INSERT INTO documents (source_type, source_id, project_id, parent_type, parent_id, iid, title, state, author_username,
      created_at, updated_at, web_url, content, header_chars, content_hash, generated_at)
    VALUES (@source_type, @source_id, @project_id, @parent_type, @parent_id, @iid, @title, @state, @author_username,
      @created_at, @updated_at, @web_url, @content, @header_chars, @content_hash, @generated_at)
    ON CONFLICT (source_type, source_id) DO UPDATE SET project_id = excluded.project_id, parent_type = excluded.parent_type,
      parent_id = excluded.parent_id, iid = excluded.iid, title = excluded.title, state = excluded.state,
      author_username = excluded.author_username, created_at = excluded.created_at, updated_at = excluded.updated_at,
      web_url = excluded.web_url, content = excluded.content, header_chars = excluded.header_chars,
      content_hash = excluded.content_hash,
      generated_at = excluded.generated_at
    RETURNING id`),
  remove: db.prepare<[SourceType, string]>("DELETE FROM documents WHERE source_type = ? AND source_id = ?"),
  dequeue: db.prepare<[SourceType, string]>(
    "DELETE FROM dirty_sources WHERE source_type = ? AND source_id = ?",
  ),
  dirtyBatch: db.prepare<[number], SourceRef>(
    "SELECT source_type, source_id FROM dirty_sources ORDER BY source_type, source_id LIMIT ?",
  ),
  isDirty: db.prepare<[SourceType, string], { one: number }>(
    "SELECT 1 AS one FROM dirty_sources WHERE source_type = ? AND source_id = ?",
  ),
}));

function parseNames(json: string | undefined): string[] {
  if (!json) return [];
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

function entityDocument(db: Db, type: "issue" | "merge_request", id: number): DocumentRow | undefined {
  const s = statements(db);
  const row = (type === "issue" ? s.issue : s.mergeRequest).get(id);
  if (!row) return undefined;
  const labels = (type === "issue" ? s.issueLabels : s.mergeRequestLabels).all(id).map((l) => l.name);
  const threads = (type === "issue" ? s.issueThreads : s.mergeRequestThreads).all(id).map((t) => ({
    author: t.author_username,
    createdAt: t.created_at,
    body: t.body,
    replies: t.notes - 1,
  }));
  const input: EntityDocInput = {
    type,
    project: row.project,
    iid: row.iid,
    title: row.title,
    state: row.state,
    labels,
    author: row.author_username,
    assignees: parseNames(row.assignees_json),
    reviewers: parseNames(row.reviewers_json),
    milestone: row.milestone_title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    mergedAt: row.merged_at ?? null,
    webUrl: row.web_url,
    description: row.description,
    sourceBranch: row.source_branch ?? null,
    targetBranch: row.target_branch ?? null,
    threads,
    ...(type === "merge_request"
      ? {
          changedFiles: s.files.all(id).map((f) => ({
            path: f.new_path,
            oldPath: f.old_path,
            flag: f.new_file ? "new" : f.deleted_file ? "deleted" : f.renamed_file ? "renamed" : null,
          })),
        }
      : {}),
  };
  return {
    source_type: type,
    source_id: String(id),
    project_id: row.project_id,
    parent_type: type,
    parent_id: id,
    iid: row.iid,
    title: row.title,
    state: row.state,
    author_username: row.author_username,
    created_at: row.created_at,
    updated_at: row.updated_at,
    web_url: row.web_url,
    ...stored(renderEntityDocument(input)),
  };
}

function noteLocation(positionJson: string | null): string | null {
  if (!positionJson) return null;
  try {
    const p = JSON.parse(positionJson) as {
      new_path?: string;
      old_path?: string;
      new_line?: number;
      old_line?: number;
    };
    const path = p.new_path ?? p.old_path;
    if (!path) return null;
    const line = p.new_line ?? p.old_line;
    return line ? `${path} line ${line}` : path;
  } catch {
    return null;
  }
}

/** A thread gets a document only when at least one of its notes is written by a person. */
function discussionDocument(db: Db, id: string): DocumentRow | undefined {
  const s = statements(db);
  const discussion = s.discussion.get(id);
  if (!discussion) return undefined;
  const parentType = discussion.issue_id !== null ? "issue" : "merge_request";
  const parentId = (discussion.issue_id ?? discussion.merge_request_id) as number;
  const parent = (parentType === "issue" ? s.issue : s.mergeRequest).get(parentId);
  if (!parent) return undefined;
  const notes = s.discussionNotes.all(id);
  const human = notes.filter((n) => n.system === 0);
  if (human.length === 0) return undefined;
  const inputs: NoteInput[] = notes.map((n) => ({
    author: n.author_username,
    createdAt: n.created_at,
    body: n.body,
    system: n.system === 1,
    location: noteLocation(n.position_json),
  }));
  const first = human[0] as (typeof human)[number];
  const webUrl = `${parent.web_url}#note_${first.id}`;
  return {
    source_type: "discussion",
    source_id: id,
    project_id: discussion.project_id,
    parent_type: parentType,
    parent_id: parentId,
    iid: parent.iid,
    title: parent.title,
    state: parent.state,
    author_username: first.author_username,
    created_at: first.created_at,
    updated_at:
      notes
        .map((n) => n.updated_at)
        .sort()
        .at(-1) ?? parent.updated_at,
    web_url: webUrl,
    ...stored(
      renderDiscussionDocument({
        parentType,
        project: parent.project,
        iid: parent.iid,
        parentTitle: parent.title,
        webUrl,
        notes: inputs,
      }),
    ),
  };
}

function stored(text: Parameters<typeof joinDocument>[0]): { content: string; header_chars: number } {
  const { content, headerChars } = joinDocument(text);
  return { content, header_chars: headerChars };
}

function render(db: Db, source: SourceRef): DocumentRow | undefined {
  if (source.source_type === "discussion") return discussionDocument(db, source.source_id);
  const id = Number(source.source_id);
  return Number.isSafeInteger(id) ? entityDocument(db, source.source_type, id) : undefined;
}

export function contentHash(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Regenerates one source's document and takes it off the queue. Call inside a transaction. */
function regenerateSource(
  db: Db,
  source: SourceRef,
  counters: RegenerateCounters,
  written: number[],
  now: string,
): void {
  const s = statements(db);
  const doc = render(db, source);
  if (!doc) {
    if (s.remove.run(source.source_type, source.source_id).changes > 0) counters.docs_deleted += 1;
  } else {
    const hash = contentHash(doc.content);
    const existing = s.existing.get(source.source_type, source.source_id);
    if (existing?.content_hash === hash) {
      counters.docs_unchanged += 1;
    } else {
      const row = s.upsert.get({ ...doc, content_hash: hash, generated_at: now }) as { id: number };
      written.push(row.id);
      counters.docs_regenerated += 1;
    }
  }
  s.dequeue.run(source.source_type, source.source_id);
}

/** Regenerates every queued document, in batches of one transaction each. */
export async function regenerateDirtyDocuments(
  db: Db,
  options: RegenerateOptions = {},
): Promise<RegenerateResult> {
  const counters: RegenerateCounters = { docs_regenerated: 0, docs_unchanged: 0, docs_deleted: 0 };
  const written: number[] = [];
  const batchSize = options.batchSize ?? 500;
  const s = statements(db);
  for (;;) {
    throwIfCancelled(options.signal);
    const batch = s.dirtyBatch.all(batchSize);
    if (batch.length === 0) break;
    const now = new Date().toISOString();
    db.transaction(() => {
      for (const source of batch) regenerateSource(db, source, counters, written, now);
    }).immediate();
    options.onProgress?.(counters);
    // Let a pending Ctrl-C be delivered between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { ...counters, documentIds: written };
}

/**
 * Regenerates the documents of exactly these sources (those still queued, and any given source
 * whose document is missing), leaving every other queued source for a later run.
 */
export async function regenerateDirtyDocumentsForSources(
  db: Db,
  sources: readonly SourceRef[],
  options: RegenerateOptions = {},
): Promise<RegenerateResult> {
  const counters: RegenerateCounters = { docs_regenerated: 0, docs_unchanged: 0, docs_deleted: 0 };
  const written: number[] = [];
  const s = statements(db);
  const batchSize = options.batchSize ?? 500;
  for (let start = 0; start < sources.length; start += batchSize) {
    throwIfCancelled(options.signal);
    const now = new Date().toISOString();
    db.transaction(() => {
      for (const source of sources.slice(start, start + batchSize)) {
        const queued = s.isDirty.get(source.source_type, source.source_id) !== undefined;
        const missing = s.existing.get(source.source_type, source.source_id) === undefined;
        if (queued || missing) regenerateSource(db, source, counters, written, now);
      }
    }).immediate();
    options.onProgress?.(counters);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { ...counters, documentIds: written };
}

/** Regenerates the documents of a scope: every queued source, or exactly these sources. */
export function regenerateDocuments(
  db: Db,
  scope: DocumentScope,
  options: RegenerateOptions = {},
): Promise<RegenerateResult> {
  return scope === "queued"
    ? regenerateDirtyDocuments(db, options)
    : regenerateDirtyDocumentsForSources(db, scope, options);
}
