// The cross-references around one issue or merge request, both ways: what it references and what
// references it, with kind and origin. The other end is named as GitLab wrote it; resolve it with
// `resolveReference` to get the mirror's current row, or nothing while it is not in the mirror.
// Timeline walks this; other questions (trace: MR → issues it mentions or closes) can too.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import type { ReferenceDetail, ReferenceKind, ReferenceOrigin } from "./entity-references.js";
import { type EntityType, entityByReference, type MirrorEntity } from "./mirror-entities.js";
import type { ReferenceTarget } from "./references.js";

export interface EntityReference {
  /** `outgoing`: this entity references `other`; `incoming`: `other` references this entity. */
  readonly direction: "outgoing" | "incoming";
  readonly kind: ReferenceKind;
  readonly origin: ReferenceOrigin;
  readonly detail: ReferenceDetail | null;
  readonly other: ReferenceTarget;
  readonly noteId: number | null;
  readonly referencedAt: string | null;
  readonly actor: string | null;
}

interface Row {
  direction: "outgoing" | "incoming";
  kind: ReferenceKind;
  origin: ReferenceOrigin;
  detail: ReferenceDetail | null;
  note_id: number | null;
  referenced_at: string | null;
  actor: string | null;
  other_type: EntityType | "commit";
  other_project: string;
  other_iid: number | null;
  other_sha: string | null;
}

const COMMON = "kind, origin, detail, note_id, referenced_at, actor";

export const REFERENCES_OF_SQL = `
  SELECT 'outgoing' AS direction, ${COMMON},
    target_type AS other_type, target_project AS other_project, target_iid AS other_iid, target_sha AS other_sha
  FROM entity_references WHERE source_type = @type AND source_project = @project AND source_iid = @iid
  UNION ALL
  SELECT 'incoming' AS direction, ${COMMON},
    source_type AS other_type, source_project AS other_project, source_iid AS other_iid, source_sha AS other_sha
  FROM entity_references WHERE target_type = @type AND target_project = @project AND target_iid = @iid`;

const statements = perConnection((db) => ({
  referencesOf: db.prepare<[{ type: string; project: string; iid: number }], Row>(REFERENCES_OF_SQL),
}));

/** Every reference this entity makes or receives, from any owner's data. */
export function referencesOf(
  db: Db,
  entity: { readonly type: EntityType; readonly project: string; readonly iid: number },
): EntityReference[] {
  return statements(db)
    .referencesOf.all({ type: entity.type, project: entity.project, iid: entity.iid })
    .map((row) => ({
      direction: row.direction,
      kind: row.kind,
      origin: row.origin,
      detail: row.detail,
      other:
        row.other_type === "commit"
          ? { kind: "commit", projectPath: row.other_project, sha: row.other_sha ?? "" }
          : { kind: row.other_type, projectPath: row.other_project, iid: row.other_iid ?? 0 },
      noteId: row.note_id,
      referencedAt: row.referenced_at,
      actor: row.actor,
    }));
}

/** The mirror's entity a reference names; undefined for commits and entities not synced (yet). */
export function resolveReference(db: Db, target: ReferenceTarget): MirrorEntity | undefined {
  if (target.kind === "commit") return undefined;
  return entityByReference(db, target.kind, target.projectPath, target.iid);
}
