// Reads the assignee and reviewer changes GitLab records only as system notes (resource events cover
// state, labels and milestones): "assigned to @a, @b and @c and unassigned @d", "requested review
// from @a and removed review request for @b", "removed assignee". Pure: a note body in, actions out.

export type SystemNoteActionKind =
  | "assignee_added"
  | "assignee_removed"
  | "reviewer_added"
  | "reviewer_removed";

export interface SystemNoteAction {
  readonly kind: SystemNoteActionKind;
  /** Usernames without `@`, in the note's order; empty when GitLab did not name them. */
  readonly users: readonly string[];
}

const VERBS: Record<string, SystemNoteActionKind> = {
  "assigned to": "assignee_added",
  unassigned: "assignee_removed",
  "requested review from": "reviewer_added",
  "removed review request for": "reviewer_removed",
};
const VERB = /\b(assigned to|unassigned|requested review from|removed review request for)\s+/gi;
const USER = /@([A-Za-z0-9_][A-Za-z0-9_.-]*)/g;
// Words after which a clause names no more users of its own ("assigned to @a additionally to @b",
// "requested review from @a and removed approval").
const CLAUSE_END = /\badditionally to\b|\band removed approval\b/i;

export function parseSystemNoteActions(body: string): SystemNoteAction[] {
  const text = body.trim();
  if (/^removed (?:the )?assignees?$|^removed all assignees$/i.test(text)) {
    return [{ kind: "assignee_removed", users: [] }];
  }
  const verbs = [...text.matchAll(VERB)];
  // Only a note that is itself such a change, not one quoting it later in a sentence.
  if (verbs[0]?.index !== 0) return [];
  return verbs.flatMap((match, index) => {
    const start = (match.index ?? 0) + match[0].length;
    const end = verbs[index + 1]?.index ?? text.length;
    let clause = text.slice(start, end);
    const cut = CLAUSE_END.exec(clause);
    if (cut) clause = clause.slice(0, cut.index);
    const users = [...clause.matchAll(USER)].map((user) => (user[1] as string).replace(/\.+$/, ""));
    const kind = VERBS[(match[1] as string).toLowerCase()];
    return kind && users.length > 0 ? [{ kind, users }] : [];
  });
}
