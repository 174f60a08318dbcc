// The rows people questions list — open issues, open MRs and discussion threads — read by one
// set of column lists and mapped to the robot shapes, so `who @user`, `who --active` and `me` agree.

import type { EntityRef } from "../code/merge-request-ref.js";
import { excerpt, noteUrl } from "../code/merge-request-ref.js";
import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { type Freshness, freshness, SYNCED_AT_SQL } from "../read/freshness.js";

const DAY_MS = 86_400_000;

export function ageDays(at: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(at)) / DAY_MS));
}

/** What the people questions ask of a list: which projects, since when, how many. */
export interface ListScope {
  readonly projectIds: readonly number[];
  /** ISO time: only what happened at or after it. */
  readonly since?: string | undefined;
  readonly limit: number;
}

interface OpenItem extends EntityRef, Freshness {
  readonly author: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly age_days: number;
}

export interface IssueItem extends OpenItem {
  readonly labels: string[];
}

export interface MergeRequestItem extends OpenItem {
  readonly draft: boolean;
  readonly reviewers: string[];
  readonly detailed_merge_status: string | null;
  readonly unresolved_threads: number;
}

/** A thread is as fresh as its issue or MR: they are fetched together. */
export interface DiscussionItem extends Freshness {
  readonly discussion_id: string;
  readonly project: string;
  readonly entity_type: "issue" | "merge_request";
  readonly iid: number;
  readonly title: string;
  readonly started_by: string | null;
  readonly participants: string[];
  readonly notes: number;
  /** `path:line` of a DiffNote thread, else null. */
  readonly position: string | null;
  readonly excerpt: string;
  readonly first_note_at: string;
  readonly last_note_at: string;
  readonly age_days: number;
  readonly url: string;
}

/** A bounded list: what is shown, and how many more matched. */
export interface Bounded<T> {
  readonly items: T[];
  readonly omitted: number;
}

export function bounded<T>(all: readonly T[], limit: number): Bounded<T> {
  return { items: all.slice(0, limit), omitted: Math.max(0, all.length - limit) };
}

/** Columns of an open-issue row: issues alias `e`, projects alias `p`. */
export const ISSUE_ITEM_COLUMNS = `p.path_with_namespace AS project, e.iid, e.title, e.state, e.web_url,
  e.author_username, e.created_at, e.updated_at, ${SYNCED_AT_SQL("e")} AS synced_at,
  (SELECT json_group_array(name) FROM (SELECT l.name FROM issue_labels x JOIN labels l ON l.id = x.label_id
     WHERE x.issue_id = e.id ORDER BY l.name)) AS labels_json`;

interface OpenItemRow extends EntityRef {
  readonly author_username: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly synced_at: string | null;
}

function openItem(row: OpenItemRow, now: number): OpenItem {
  return {
    project: row.project,
    iid: row.iid,
    title: row.title,
    state: row.state,
    web_url: row.web_url,
    author: row.author_username,
    created_at: row.created_at,
    updated_at: row.updated_at,
    age_days: ageDays(row.created_at, now),
    ...freshness(row.synced_at, now),
  };
}

export interface IssueItemRow extends OpenItemRow {
  readonly labels_json: string;
}

export function issueItem(row: IssueItemRow, now: number): IssueItem {
  return { ...openItem(row, now), labels: JSON.parse(row.labels_json) as string[] };
}

/** Columns of an MR row: merge_requests alias `e`, projects alias `p`. */
export const MERGE_REQUEST_ITEM_COLUMNS = `p.path_with_namespace AS project, e.iid, e.title, e.state, e.web_url,
  e.author_username, e.draft, e.reviewers_json, e.detailed_merge_status, e.created_at, e.updated_at,
  ${SYNCED_AT_SQL("e")} AS synced_at,
  (SELECT COUNT(DISTINCT n.discussion_id) FROM discussions d JOIN notes n ON n.discussion_id = d.id
     WHERE d.merge_request_id = e.id AND n.resolvable = 1 AND n.resolved = 0) AS unresolved_threads`;

export interface MergeRequestItemRow extends OpenItemRow {
  readonly draft: number;
  readonly reviewers_json: string;
  readonly detailed_merge_status: string | null;
  readonly unresolved_threads: number;
}

export function mergeRequestItem(row: MergeRequestItemRow, now: number): MergeRequestItem {
  return {
    ...openItem(row, now),
    draft: row.draft === 1,
    reviewers: JSON.parse(row.reviewers_json) as string[],
    detailed_merge_status: row.detailed_merge_status,
    unresolved_threads: row.unresolved_threads,
  };
}

/**
 * Threads selected by `source` (a SELECT of `discussion_id`) that sit on open issues and MRs of
 * @projects and have a note at or after @since: ids and times only, to sort and cut before the
 * details are read.
 */
export function openThreadsSql(source: string): string {
  return `
    WITH picked AS (${source})
    SELECT d.id, coalesce(d.first_note_at, '') AS first_note_at, coalesce(d.last_note_at, '') AS last_note_at
    FROM picked JOIN discussions d ON d.id = picked.discussion_id
      LEFT JOIN issues i ON i.id = d.issue_id
      LEFT JOIN merge_requests m ON m.id = d.merge_request_id
    WHERE coalesce(i.state, m.state) = 'opened' AND d.project_id IN (SELECT value FROM json_each(@projects))
      AND coalesce(d.last_note_at, '') >= @since`;
}

export interface OpenThreadRow {
  readonly id: string;
  readonly first_note_at: string;
  readonly last_note_at: string;
}

/**
 * The details of the threads in @ids (a JSON array); the first user note says who started it.
 * `+system`: a thread's notes are read by discussion, never through the (system, created_at)
 * index of `lore notes`, which would walk every user note of the mirror for each thread.
 */
export const DISCUSSION_ITEMS_BY_ID = `
  SELECT d.id AS discussion_id, p.path_with_namespace AS project,
    CASE WHEN d.issue_id IS NULL THEN 'merge_request' ELSE 'issue' END AS entity_type,
    coalesce(i.iid, m.iid) AS iid, coalesce(i.title, m.title) AS title, coalesce(i.web_url, m.web_url) AS web_url,
    coalesce(${SYNCED_AT_SQL("i")}, ${SYNCED_AT_SQL("m")}) AS synced_at, d.first_note_at, d.last_note_at, f.id AS first_note_id, f.author_username AS started_by, f.body,
    f.position_new_path, f.position_old_path,
    json_extract(f.position_json, '$.new_line') AS new_line, json_extract(f.position_json, '$.old_line') AS old_line,
    (SELECT json_group_array(DISTINCT author_username) FROM notes
       WHERE discussion_id = d.id AND +system = 0 AND author_username IS NOT NULL) AS participants_json,
    (SELECT COUNT(*) FROM notes WHERE discussion_id = d.id AND +system = 0) AS note_count
  FROM discussions d JOIN projects p ON p.id = d.project_id
    LEFT JOIN issues i ON i.id = d.issue_id
    LEFT JOIN merge_requests m ON m.id = d.merge_request_id
    JOIN notes f ON f.id = (SELECT id FROM notes WHERE discussion_id = d.id AND +system = 0 ORDER BY position LIMIT 1)
  WHERE d.id IN (SELECT value FROM json_each(@ids))`;

export interface DiscussionItemRow {
  readonly discussion_id: string;
  readonly project: string;
  readonly entity_type: "issue" | "merge_request";
  readonly iid: number;
  readonly title: string;
  readonly web_url: string;
  readonly synced_at: string | null;
  readonly first_note_at: string | null;
  readonly last_note_at: string | null;
  readonly first_note_id: number;
  readonly started_by: string | null;
  readonly body: string;
  readonly position_new_path: string | null;
  readonly position_old_path: string | null;
  readonly new_line: number | null;
  readonly old_line: number | null;
  readonly participants_json: string;
  readonly note_count: number;
}

export function discussionItem(row: DiscussionItemRow, now: number): DiscussionItem {
  const path = row.position_new_path ?? row.position_old_path;
  const line = row.new_line ?? row.old_line;
  const first = row.first_note_at ?? "";
  return {
    discussion_id: row.discussion_id,
    project: row.project,
    entity_type: row.entity_type,
    iid: row.iid,
    title: row.title,
    started_by: row.started_by,
    participants: JSON.parse(row.participants_json) as string[],
    notes: row.note_count,
    position: path ? (line ? `${path}:${line}` : path) : null,
    excerpt: excerpt(row.body),
    first_note_at: first,
    last_note_at: row.last_note_at ?? first,
    age_days: first ? ageDays(first, now) : 0,
    url: noteUrl(row.web_url, row.first_note_id),
    ...freshness(row.synced_at, now),
  };
}

// Exported for the query-plan test.
export const threadStatements = perConnection((db) => ({
  byId: db.prepare<[{ ids: string }], DiscussionItemRow>(DISCUSSION_ITEMS_BY_ID),
}));

/** Orders the picked threads, keeps the first `limit`, and reads only those threads' details. */
export function threadList(
  db: Db,
  picked: readonly OpenThreadRow[],
  order: (a: OpenThreadRow, b: OpenThreadRow) => number,
  limit: number,
  now: number,
): Bounded<DiscussionItem> {
  const ids = [...picked].sort(order).map((t) => t.id);
  return pageByIds(
    ids,
    limit,
    (kept) => threadStatements(db).byId.all({ ids: JSON.stringify(kept) }),
    (row) => row.discussion_id,
    (row) => discussionItem(row, now),
  );
}

/**
 * Keeps the first `limit` of `ids` (the rest are counted) and reads only those rows with `read`,
 * returning their items in the order of `ids`: the expensive columns are read for what is shown.
 */
export function pageByIds<K, R, T>(
  ids: readonly K[],
  limit: number,
  read: (kept: K[]) => readonly R[],
  key: (row: R) => K,
  item: (row: R) => T,
): Bounded<T> {
  const kept = ids.slice(0, limit);
  const rows = new Map(read(kept).map((row) => [key(row), row]));
  const items = kept.flatMap((id) => {
    const row = rows.get(id);
    return row ? [item(row)] : [];
  });
  return { items, omitted: ids.length - kept.length };
}

export const oldestFirst = (a: OpenThreadRow, b: OpenThreadRow): number =>
  a.first_note_at < b.first_note_at ? -1 : a.first_note_at > b.first_note_at ? 1 : a.id < b.id ? -1 : 1;

export const latestActivityFirst = (a: OpenThreadRow, b: OpenThreadRow): number =>
  a.last_note_at > b.last_note_at ? -1 : a.last_note_at < b.last_note_at ? 1 : a.id < b.id ? -1 : 1;
