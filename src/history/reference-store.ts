// Writes an issue's or merge request's cross-references from its stored rows (title, description,
// notes, links), replacing exactly the rows it owns. Sync calls it in the entity's write transaction
// after the dependents are stored; the backfill calls it for entities stored before references
// existed. Reading the stored rows back makes both paths derive the same set by construction.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { projectFromWebUrl } from "../gitlab/entity-url.js";
import {
  type DerivedReference,
  deriveReferences,
  type LinkedEntity,
  type OwnerNote,
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
  project_path: string | null;
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

const statements = perConnection((db) => ({
  owner: {
    issue: db.prepare<[number], OwnerRow>(ownerSql("issues")),
    merge_request: db.prepare<[number], OwnerRow>(ownerSql("merge_requests")),
  },
  notes: {
    issue: db.prepare<[number], NoteRow>(notesSql("issue_id")),
    merge_request: db.prepare<[number], NoteRow>(notesSql("merge_request_id")),
  },
  // A linked entity's project is named by the mirror when it holds that project, else by its URL.
  closesIssues: db.prepare<[number], LinkRow>(`
    SELECT p.path_with_namespace AS project_path, l.iid, l.web_url
    FROM merge_request_closes_issues l LEFT JOIN projects p ON p.id = l.project_id
    WHERE l.merge_request_id = ? AND l.iid IS NOT NULL ORDER BY l.position`),
  mergeRequestLinks: db.prepare<[number, string], LinkRow>(`
    SELECT p.path_with_namespace AS project_path, l.iid, l.web_url
    FROM issue_merge_request_links l LEFT JOIN projects p ON p.id = l.project_id
    WHERE l.issue_id = ? AND l.kind = ? ORDER BY l.merge_request_id`),
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

/** Replaces the references `owner` makes with those its stored rows hold. Call inside a transaction. */
export function refreshReferences(db: Db, owner: OwnerRef): number {
  const s = statements(db);
  s.clear[owner.type].run(owner.id);
  const row = s.owner[owner.type].get(owner.id);
  if (!row) return 0;
  const references = deriveReferences({
    owner: ownerOf(owner.type, row),
    gitlabUrl: instanceUrl(row.project_web_url, row.project_path),
    notes: s.notes[owner.type].all(owner.id).map(noteOf),
    closesIssues: owner.type === "merge_request" ? s.closesIssues.all(owner.id).map(linkOf) : [],
    closedBy: owner.type === "issue" ? s.mergeRequestLinks.all(owner.id, "closed_by").map(linkOf) : [],
    relatedMergeRequests:
      owner.type === "issue" ? s.mergeRequestLinks.all(owner.id, "related").map(linkOf) : [],
  });
  for (const reference of references) s.insert.run(referenceRow(owner, reference));
  return references.length;
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

function linkOf(row: LinkRow): LinkedEntity {
  return { projectPath: row.project_path ?? projectFromWebUrl(row.web_url), iid: row.iid };
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
