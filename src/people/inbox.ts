// The "since you last looked" part of `lore me`: notes by others on the user's items (issues they
// opened or are assigned, MRs they opened or review) or following their note in a thread, and
// @-mentions of them in notes and descriptions anywhere in scope. Read either after an arrival
// cursor (what reached the mirror since the last look) or by creation time (`--since`).

import { excerpt, noteUrl } from "../code/merge-request-ref.js";
import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { type Freshness, freshness, SYNCED_AT_SQL } from "../read/freshness.js";
import { mentionsUser } from "./mentions.js";

/** A note or description is as fresh as its issue or MR: they are fetched together. */
export interface InboxItem extends Freshness {
  readonly at: string;
  readonly kind: "mention" | "reply";
  readonly project: string;
  readonly entity_type: "issue" | "merge_request";
  readonly iid: number;
  readonly title: string;
  readonly author: string | null;
  readonly excerpt: string;
  readonly url: string;
}

export type InboxWindow =
  /** Arrivals after `afterSeq`, written at or after `from` (the user's baseline). */
  | { readonly kind: "cursor"; readonly afterSeq: number; readonly from: string }
  /** Everything written at or after `from`. */
  | { readonly kind: "since"; readonly from: string };

export interface InboxOptions {
  readonly username: string;
  readonly projectIds: readonly number[];
  readonly window: InboxWindow;
  readonly limit: number;
  /** Milliseconds since the epoch that ages are measured from. */
  readonly now: number;
}

export interface Inbox {
  /** Newest first. */
  readonly items: InboxItem[];
  readonly omitted: number;
  /** The arrival the user has now seen up to: the last one shown when some were cut, else `latest`. */
  readonly seenSeq: number;
}

export interface Candidate {
  readonly seq: number;
  readonly source: "note" | "description";
  readonly id: number;
  readonly entity_type: "issue" | "merge_request";
  readonly project: string;
  readonly iid: number;
  readonly title: string;
  readonly web_url: string;
  readonly synced_at: string | null;
  readonly author_username: string | null;
  readonly body: string;
  readonly at: string;
  /** 1 when a note is on their item or follows their note in its thread. */
  readonly on_theirs: number;
}

// SQL lets through what could matter (a case-insensitive '@name' anywhere, or a note on their
// things); the exact mention rule (code, name boundaries) is applied to that in inboxItems.
function noteCandidates(byArrival: boolean): string {
  return `
    SELECT ${byArrival ? "a.seq" : "0"} AS seq, 'note' AS source, n.id,
      CASE WHEN d.issue_id IS NULL THEN 'merge_request' ELSE 'issue' END AS entity_type,
      p.path_with_namespace AS project, coalesce(i.iid, m.iid) AS iid, coalesce(i.title, m.title) AS title,
      coalesce(i.web_url, m.web_url) AS web_url, coalesce(${SYNCED_AT_SQL("i")}, ${SYNCED_AT_SQL("m")}) AS synced_at,
      n.author_username, n.body, n.created_at AS at,
      (i.author_username IS @user OR m.author_username IS @user
        OR d.issue_id IN (SELECT issue_id FROM issue_assignees WHERE username = @user)
        OR d.merge_request_id IN (SELECT merge_request_id FROM merge_request_reviewers WHERE username = @user)
        OR EXISTS (SELECT 1 FROM notes o WHERE o.discussion_id = d.id AND o.author_username = @user
                     AND o.position < n.position)) AS on_theirs
    FROM ${byArrival ? "arrivals a JOIN notes n ON a.source_type = 'note' AND n.id = a.source_id" : "notes n"}
      JOIN discussions d ON d.id = n.discussion_id JOIN projects p ON p.id = d.project_id
      LEFT JOIN issues i ON i.id = d.issue_id LEFT JOIN merge_requests m ON m.id = d.merge_request_id
    WHERE ${byArrival ? "a.seq > @after AND " : ""}n.created_at >= @from AND n.system = 0
      AND n.author_username IS NOT @user AND d.project_id IN (SELECT value FROM json_each(@projects))
      AND (instr(lower(n.body), @mention) > 0 OR on_theirs)`;
}

function descriptionCandidates(type: "issue" | "merge_request", byArrival: boolean): string {
  const table = type === "issue" ? "issues" : "merge_requests";
  return `
    SELECT ${byArrival ? "a.seq" : "0"} AS seq, 'description' AS source, e.id, '${type}' AS entity_type,
      p.path_with_namespace AS project, e.iid, e.title, e.web_url, ${SYNCED_AT_SQL("e")} AS synced_at,
      e.author_username, e.description AS body,
      e.updated_at AS at, 0 AS on_theirs
    FROM ${byArrival ? `arrivals a JOIN ${table} e ON a.source_type = '${type}' AND e.id = a.source_id` : `${table} e`}
      JOIN projects p ON p.id = e.project_id
    WHERE ${byArrival ? "a.seq > @after AND " : ""}e.updated_at >= @from AND e.author_username IS NOT @user
      AND e.project_id IN (SELECT value FROM json_each(@projects)) AND instr(lower(e.description), @mention) > 0`;
}

function candidatesSql(byArrival: boolean): string {
  const parts = [
    noteCandidates(byArrival),
    descriptionCandidates("issue", byArrival),
    descriptionCandidates("merge_request", byArrival),
  ];
  return `${parts.join(" UNION ALL ")} ORDER BY ${byArrival ? "seq" : "at"}`;
}

// Exported for the query-plan test, which checks each statement still finds its index.
export const statements = perConnection((db) => ({
  latest: db.prepare<[], { seq: number | null }>("SELECT MAX(seq) AS seq FROM arrivals"),
  byArrival: db.prepare<Record<string, unknown>, Candidate>(candidatesSql(true)),
  byTime: db.prepare<Record<string, unknown>, Candidate>(candidatesSql(false)),
}));

/** The newest arrival in the mirror (0 when nothing has arrived since the log began). */
export function latestArrival(db: Db): number {
  return statements(db).latest.get()?.seq ?? 0;
}

export type InboxEntry = InboxItem & { readonly seq: number };

/**
 * What really mentions the user or answers them, in the candidates' order; a description that
 * arrived more than once (edited) is kept once, at its latest arrival.
 */
export function inboxEntries(candidates: readonly Candidate[], username: string, now: number): InboxEntry[] {
  const entries = new Map<string, InboxEntry>();
  for (const c of candidates) {
    const kind = mentionsUser(c.body, username) ? "mention" : c.on_theirs === 1 ? "reply" : null;
    if (!kind) continue;
    const key = `${c.source}:${c.entity_type}:${c.id}`;
    entries.delete(key);
    entries.set(key, {
      seq: c.seq,
      at: c.at,
      kind,
      project: c.project,
      entity_type: c.entity_type,
      iid: c.iid,
      title: c.title,
      author: c.author_username,
      excerpt: excerpt(c.body),
      url: c.source === "note" ? noteUrl(c.web_url, c.id) : c.web_url,
      ...freshness(c.synced_at, now),
    });
  }
  return [...entries.values()];
}

/** Reads the inbox; `latest` is the newest arrival of the same read snapshot. */
export function readInbox(db: Db, options: InboxOptions, latest: number): Inbox {
  const s = statements(db);
  const params = {
    user: options.username,
    mention: `@${options.username.toLowerCase()}`,
    projects: JSON.stringify(options.projectIds),
    from: options.window.from,
    after: options.window.kind === "cursor" ? options.window.afterSeq : 0,
  };
  const byArrival = options.window.kind === "cursor";
  const entries = inboxEntries(
    (byArrival ? s.byArrival : s.byTime).all(params),
    options.username,
    options.now,
  );
  // Arrival order decides what is shown when the list is cut: the oldest news first, so what is
  // cut is still news next time. In --since mode, the newest are shown.
  const kept = byArrival ? entries.slice(0, options.limit) : entries.slice(-options.limit);
  const omitted = entries.length - kept.length;
  const seenSeq = byArrival && omitted > 0 ? (kept.at(-1)?.seq ?? options.window.afterSeq) : latest;
  const items = kept
    .map(({ seq: _seq, ...item }) => item)
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { items, omitted, seenSeq };
}
