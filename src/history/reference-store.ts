// Writes an issue's or merge request's cross-references, replacing exactly the rows it owns. Sync
// passes what it just stored (in memory, as the rows hold it); the backfill of entities stored
// before references existed reads the same values back from the rows (`storedReferenceData`).
// Both end in `replaceReferences`, so both write the same set.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { projectFromWebUrl } from "../gitlab/entity-url.js";
import {
  type DerivedReference,
  deriveReferences,
  type LinkedEntity,
  type OwnerNote,
  type ReferenceData,
  type ReferenceOwner,
} from "./entity-references.js";
import type { ReferenceTarget } from "./references.js";

export interface OwnerRef {
  readonly type: "issue" | "merge_request";
  readonly id: number;
}

interface OwnerRow {
  iid: number;
  title: string;
  description: string | null;
  created_at: string;
  author_username: string | null;
  project_path: string;
  project_web_url: string | null;
}

interface NoteRow {
  id: number;
  body: string;
  system: number;
  created_at: string;
  author_username: string | null;
}

interface LinkRow {
  project_id: number | null;
  iid: number | null;
  web_url: string | null;
}

const ownerSql = (table: string) => `
  SELECT e.iid, e.title, e.description, e.created_at, e.author_username,
    p.path_with_namespace AS project_path, p.web_url AS project_web_url
  FROM ${table} e JOIN projects p ON p.id = e.project_id WHERE e.id = ?`;
const notesSql = (fk: string) => `
  SELECT n.id, n.body, n.system, n.created_at, n.author_username
  FROM discussions d JOIN notes n ON n.discussion_id = d.id
  WHERE d.${fk} = ? ORDER BY d.position, n.position`;

export interface ProjectRow {
  readonly path: string;
  readonly web_url: string | null;
}

const statements = perConnection((db) => ({
  project: db.prepare<[number], ProjectRow>(
    "SELECT path_with_namespace AS path, web_url FROM projects WHERE id = ?",
  ),
  owner: {
    issue: db.prepare<[number], OwnerRow>(ownerSql("issues")),
    merge_request: db.prepare<[number], OwnerRow>(ownerSql("merge_requests")),
  },
  notes: {
    issue: db.prepare<[number], NoteRow>(notesSql("issue_id")),
    merge_request: db.prepare<[number], NoteRow>(notesSql("merge_request_id")),
  },
  closesIssues: db.prepare<[number], LinkRow>(`
    SELECT project_id, iid, web_url FROM merge_request_closes_issues
    WHERE merge_request_id = ? AND iid IS NOT NULL ORDER BY position`),
  mergeRequestLinks: db.prepare<[number, string], LinkRow>(`
    SELECT project_id, iid, web_url FROM issue_merge_request_links
    WHERE issue_id = ? AND kind = ? ORDER BY merge_request_id`),
  clear: {
    issue: db.prepare("DELETE FROM entity_references WHERE owner_issue_id = ?"),
    merge_request: db.prepare("DELETE FROM entity_references WHERE owner_merge_request_id = ?"),
  },
  insert: db.prepare(`
    INSERT INTO entity_references (owner_issue_id, owner_merge_request_id,
      source_type, source_project, source_iid, source_sha, target_type, target_project, target_iid, target_sha,
      kind, origin, detail, note_id, referenced_at, actor)
    VALUES (@owner_issue_id, @owner_merge_request_id,
      @source_type, @source_project, @source_iid, @source_sha, @target_type, @target_project, @target_iid, @target_sha,
      @kind, @origin, @detail, @note_id, @referenced_at, @actor)`),
}));

/** Replaces the references `owner` makes with those `data` holds. Call inside a transaction. */
export function replaceReferences(db: Db, owner: OwnerRef, data: ReferenceData): number {
  const s = statements(db);
  s.clear[owner.type].run(owner.id);
  const references = deriveReferences(data);
  for (const reference of references) s.insert.run(referenceRow(owner, reference));
  return references.length;
}

/** The reference data of a stored entity, read from its rows; undefined when it is not stored. */
export function storedReferenceData(db: Db, owner: OwnerRef): ReferenceData | undefined {
  const s = statements(db);
  const row = s.owner[owner.type].get(owner.id);
  if (!row) return undefined;
  const link = (l: LinkRow) => linkedEntity(db, { projectId: l.project_id, iid: l.iid, webUrl: l.web_url });
  return {
    owner: ownerOf(owner.type, row),
    gitlabUrl: instanceUrl(row.project_web_url, row.project_path),
    notes: s.notes[owner.type].all(owner.id).map(noteOf),
    closesIssues: owner.type === "merge_request" ? s.closesIssues.all(owner.id).map(link) : [],
    closedBy: owner.type === "issue" ? s.mergeRequestLinks.all(owner.id, "closed_by").map(link) : [],
    relatedMergeRequests:
      owner.type === "issue" ? s.mergeRequestLinks.all(owner.id, "related").map(link) : [],
  };
}

/** Re-derives a stored entity's references from its rows (the backfill). Call inside a transaction. */
export function refreshReferences(db: Db, owner: OwnerRef): number {
  const data = storedReferenceData(db, owner);
  if (!data) {
    statements(db).clear[owner.type].run(owner.id);
    return 0;
  }
  return replaceReferences(db, owner, data);
}

/** A stored project's path and web URL, to name linked entities and match web URLs. */
export function storedProject(db: Db, projectId: number | null | undefined): ProjectRow | undefined {
  return projectId === null || projectId === undefined ? undefined : statements(db).project.get(projectId);
}

/** A linked entity's project: the mirror's name for it when it holds the project, else its URL's. */
export function linkedEntity(
  db: Db,
  item: { readonly projectId: number | null; readonly iid: number | null; readonly webUrl: string | null },
): LinkedEntity {
  return {
    projectPath: storedProject(db, item.projectId)?.path ?? projectFromWebUrl(item.webUrl),
    iid: item.iid,
  };
}

function ownerOf(type: OwnerRef["type"], row: OwnerRow): ReferenceOwner {
  return {
    type,
    projectPath: row.project_path,
    iid: row.iid,
    title: row.title,
    description: row.description,
    createdAt: row.created_at,
    author: row.author_username,
  };
}

function noteOf(row: NoteRow): OwnerNote {
  return {
    id: row.id,
    body: row.body,
    system: row.system === 1,
    createdAt: row.created_at,
    author: row.author_username,
  };
}

function end(target: ReferenceTarget) {
  return target.kind === "commit"
    ? { type: "commit", project: target.projectPath, iid: null, sha: target.sha }
    : { type: target.kind, project: target.projectPath, iid: target.iid, sha: null };
}

function referenceRow(owner: OwnerRef, reference: DerivedReference) {
  const source = end(reference.source);
  const target = end(reference.target);
  return {
    owner_issue_id: owner.type === "issue" ? owner.id : null,
    owner_merge_request_id: owner.type === "merge_request" ? owner.id : null,
    source_type: source.type,
    source_project: source.project,
    source_iid: source.iid,
    source_sha: source.sha,
    target_type: target.type,
    target_project: target.project,
    target_iid: target.iid,
    target_sha: target.sha,
    kind: reference.kind,
    origin: reference.origin,
    detail: reference.detail,
    note_id: reference.noteId,
    referenced_at: reference.referencedAt,
    actor: reference.actor,
  };
}

/**
 * The instance's web URL from a project's (`https://host/root/group/proj` → `https://host/root`),
 * so web URLs in text are matched against the instance the project lives on. Empty when unknown:
 * then only short references count.
 */
export function instanceUrl(projectWebUrl: string | null, projectPath: string): string {
  if (!projectWebUrl) return "";
  const trimmed = projectWebUrl.replace(/\/+$/, "");
  const suffix = `/${projectPath}`;
  if (trimmed.toLowerCase().endsWith(suffix.toLowerCase())) return trimmed.slice(0, -suffix.length);
  try {
    return new URL(trimmed).origin;
  } catch {
    return "";
  }
}
