// Derives every cross-reference one issue's or merge request's data makes: references in its title,
// description and user notes, GitLab's cross-reference system notes on it, and its closes/closed-by/
// related links. Pure: the owner's data in, reference rows out. Sync and the backfill of older
// mirrors both call it on the stored rows, so both write the same references.

import {
  extractReferences,
  parseSystemNoteReference,
  type ReferenceContext,
  type ReferenceTarget,
  referenceKey,
  type SystemNoteRelation,
} from "./references.js";

export type ReferenceKind = "closes" | "mentioned" | "related";
export type ReferenceOrigin =
  | "title"
  | "description"
  | "note"
  | "system_note"
  | "closes_issues"
  | "closed_by"
  | "related_merge_requests";
/**
 * What a system note said, normalised so the row's source is the entity that did it (`addresses`:
 * the source is a merge request created from the target issue to address it).
 */
export type ReferenceDetail =
  | "mentioned_in"
  | "closed_via"
  | "addresses"
  | "related_to"
  | "duplicate_of"
  | "moved_to";

export interface DerivedReference {
  readonly source: ReferenceTarget;
  readonly target: ReferenceTarget;
  readonly kind: ReferenceKind;
  readonly origin: ReferenceOrigin;
  readonly detail: ReferenceDetail | null;
  readonly noteId: number | null;
  /** When and by whom, where the owner's own data says so (links leave it to the source entity). */
  readonly referencedAt: string | null;
  readonly actor: string | null;
}

export interface ReferenceOwner {
  readonly type: "issue" | "merge_request";
  readonly projectPath: string;
  readonly iid: number;
  readonly title: string;
  readonly description: string | null;
  readonly createdAt: string;
  readonly author: string | null;
}

export interface OwnerNote {
  readonly id: number;
  readonly body: string;
  readonly system: boolean;
  readonly createdAt: string;
  readonly author: string | null;
}

/** An issue or MR a link names; a null path or iid (an external tracker's item) is no reference. */
export interface LinkedEntity {
  readonly projectPath: string | null;
  readonly iid: number | null;
}

export interface ReferenceData {
  readonly owner: ReferenceOwner;
  /** The GitLab instance's web URL: only its issue/MR URLs are references. */
  readonly gitlabUrl: string;
  readonly notes: readonly OwnerNote[];
  /** Issues a merge request closes. */
  readonly closesIssues: readonly LinkedEntity[];
  /** Merge requests closing an issue. */
  readonly closedBy: readonly LinkedEntity[];
  /** Merge requests mentioning an issue (GitLab's related merge requests). */
  readonly relatedMergeRequests: readonly LinkedEntity[];
}

/**
 * How a system note's relation reads as a row: who did it (`self`: the owner; `other`: the entity
 * the note names), the kind followed, and the detail kept for the summary.
 */
const SYSTEM_NOTE_ROWS: Record<
  SystemNoteRelation,
  { readonly source: "self" | "other"; readonly kind: ReferenceKind; readonly detail: ReferenceDetail }
> = {
  mentioned_in: { source: "other", kind: "mentioned", detail: "mentioned_in" },
  closed_via: { source: "other", kind: "closes", detail: "closed_via" },
  // An MR created from the issue is one of its related MRs, whether or not it will close it.
  addressed_by: { source: "other", kind: "related", detail: "addresses" },
  related_to: { source: "self", kind: "related", detail: "related_to" },
  duplicate_of: { source: "self", kind: "related", detail: "duplicate_of" },
  duplicated_by: { source: "other", kind: "related", detail: "duplicate_of" },
  moved_to: { source: "self", kind: "related", detail: "moved_to" },
  moved_from: { source: "other", kind: "related", detail: "moved_to" },
};

export function deriveReferences(data: ReferenceData): DerivedReference[] {
  const { owner } = data;
  const self: ReferenceTarget = { kind: owner.type, projectPath: owner.projectPath, iid: owner.iid };
  const context: ReferenceContext = { projectPath: owner.projectPath, gitlabUrl: data.gitlabUrl };
  const rows: DerivedReference[] = [];
  const seen = new Set<string>();
  const add = (row: DerivedReference) => {
    const sourceKey = referenceKey(row.source);
    const targetKey = referenceKey(row.target);
    if (sourceKey === targetKey) return;
    const key = `${sourceKey}>${targetKey}|${row.kind}|${row.origin}|${row.detail}|${row.noteId}`;
    if (seen.has(key)) return;
    seen.add(key);
    rows.push(row);
  };
  const mentions = (text: string | null, origin: ReferenceOrigin, note: OwnerNote | null) => {
    if (!text) return;
    for (const target of extractReferences(text, context)) {
      add({
        source: self,
        target,
        kind: "mentioned",
        origin,
        detail: null,
        noteId: note?.id ?? null,
        referencedAt: note ? note.createdAt : owner.createdAt,
        actor: note ? note.author : owner.author,
      });
    }
  };

  mentions(owner.title, "title", null);
  mentions(owner.description, "description", null);
  for (const note of data.notes) {
    if (!note.system) {
      mentions(note.body, "note", note);
      continue;
    }
    const said = parseSystemNoteReference(note.body, context);
    if (!said) continue;
    const shape = SYSTEM_NOTE_ROWS[said.relation];
    add({
      source: shape.source === "self" ? self : said.target,
      target: shape.source === "self" ? said.target : self,
      kind: shape.kind,
      origin: "system_note",
      detail: shape.detail,
      noteId: note.id,
      referencedAt: note.createdAt,
      actor: note.author,
    });
  }
  const links = (
    items: readonly LinkedEntity[],
    kind: ReferenceKind,
    origin: ReferenceOrigin,
    otherType: "issue" | "merge_request",
  ) => {
    for (const item of items) {
      if (item.projectPath === null || item.iid === null) continue;
      const other: ReferenceTarget = { kind: otherType, projectPath: item.projectPath, iid: item.iid };
      // The owner closing an issue is its own act; a link from the other side is timed by that side.
      const outgoing = origin === "closes_issues";
      add({
        source: outgoing ? self : other,
        target: outgoing ? other : self,
        kind,
        origin,
        detail: null,
        noteId: null,
        referencedAt: outgoing ? owner.createdAt : null,
        actor: outgoing ? owner.author : null,
      });
    }
  };
  if (owner.type === "merge_request") {
    links(data.closesIssues, "closes", "closes_issues", "issue");
  } else {
    links(data.closedBy, "closes", "closed_by", "merge_request");
    links(data.relatedMergeRequests, "related", "related_merge_requests", "merge_request");
  }
  return rows;
}
