// The few fields every code and people answer shows for a merge request or an issue it points at.

export interface EntityRef {
  readonly project: string;
  readonly iid: number;
  readonly title: string;
  readonly state: string;
  readonly web_url: string;
}

/** SQL columns for an EntityRef of table alias `e` joined to projects alias `p`. */
export const ENTITY_REF_COLUMNS =
  "p.path_with_namespace AS project, e.iid AS iid, e.title AS title, e.state AS state, e.web_url AS web_url";

export function entityRef(row: EntityRef): EntityRef {
  return { project: row.project, iid: row.iid, title: row.title, state: row.state, web_url: row.web_url };
}

/** `group/proj!12` or `group/proj#7`, as humans read a reference. */
export function referenceText(
  type: "issue" | "merge_request",
  ref: Pick<EntityRef, "project" | "iid">,
): string {
  return `${ref.project}${type === "issue" ? "#" : "!"}${ref.iid}`;
}

/** A note's permalink inside its issue or MR page. */
export function noteUrl(parentWebUrl: string, noteId: number): string {
  return `${parentWebUrl}#note_${noteId}`;
}

/** The first line-ish of a note or description, whitespace collapsed, cut at `max` characters. */
export function excerpt(text: string | null | undefined, max = 140): string {
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}
