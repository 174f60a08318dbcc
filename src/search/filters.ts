// The filters every search mode and list command shares, as SQL over the documents table (alias d),
// plus parsing of the --since value. Labels must all match, through the parent's link table.

import { usageError } from "../core/errors.js";
import type { SourceType } from "../documents/sources.js";

export interface SearchFilters {
  readonly projectIds?: readonly number[] | undefined;
  readonly type?: SourceType | undefined;
  /** Only documents of these types (with `type`, both must hold). */
  readonly types?: readonly SourceType[] | undefined;
  readonly state?: string | undefined;
  readonly labels?: readonly string[] | undefined;
  readonly author?: string | undefined;
  /** ISO timestamp: documents updated at or after it. */
  readonly since?: string | undefined;
}

export interface SqlFragment {
  readonly where: string;
  readonly params: unknown[];
}

export function documentFilterSql(filters: SearchFilters, d = "d"): SqlFragment {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filters.projectIds && filters.projectIds.length > 0) {
    clauses.push(`${d}.project_id IN (${filters.projectIds.map(() => "?").join(", ")})`);
    params.push(...filters.projectIds);
  }
  if (filters.type) {
    clauses.push(`${d}.source_type = ?`);
    params.push(filters.type);
  }
  if (filters.types && filters.types.length > 0) {
    clauses.push(`${d}.source_type IN (${filters.types.map(() => "?").join(", ")})`);
    params.push(...filters.types);
  }
  if (filters.state && filters.state !== "all") {
    clauses.push(`${d}.state = ?`);
    params.push(filters.state);
  }
  for (const label of filters.labels ?? []) {
    clauses.push(`(
      (${d}.parent_type = 'issue' AND EXISTS (SELECT 1 FROM issue_labels x JOIN labels l ON l.id = x.label_id
        WHERE x.issue_id = ${d}.parent_id AND l.name = ?))
      OR (${d}.parent_type = 'merge_request' AND EXISTS (SELECT 1 FROM merge_request_labels x JOIN labels l ON l.id = x.label_id
        WHERE x.merge_request_id = ${d}.parent_id AND l.name = ?)))`);
    params.push(label, label);
  }
  if (filters.author) {
    // A thread matches when the user wrote any of its notes.
    clauses.push(`(${d}.author_username = ? OR (${d}.source_type = 'discussion' AND EXISTS (
      SELECT 1 FROM notes n WHERE n.discussion_id = ${d}.source_id AND n.author_username = ?)))`);
    params.push(filters.author, filters.author);
  }
  if (filters.since) {
    clauses.push(`${d}.updated_at >= ?`);
    params.push(filters.since);
  }
  return { where: clauses.length > 0 ? clauses.join(" AND ") : "1", params };
}

const UNITS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

/** `--since`: an ISO date or timestamp, or a span back from now such as 30m, 12h, 7d, 2w, 1y. */
export function parseSince(value: string, now: number = Date.now(), flag = "--since"): string {
  const text = value.trim();
  const span = /^(\d+)\s*([mhdwy])$/i.exec(text);
  if (span) {
    const amount = Number(span[1]);
    const unit = UNITS[(span[2] as string).toLowerCase()] as number;
    return new Date(now - amount * unit).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  throw usageError(`${flag} ${value}: expected an ISO date (2024-05-01) or a span such as 7d, 12h, 2w`);
}

export const STATES = ["opened", "closed", "merged", "locked", "all"] as const;

export function parseState(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!(STATES as readonly string[]).includes(text)) {
    throw usageError(`--state ${text}: expected one of ${STATES.join(", ")}`);
  }
  return text;
}

export function parseLimit(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const text = String(value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    throw usageError(`-n ${text}: expected a positive integer`);
  return n;
}

export function parseType(value: unknown): SourceType | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (text === "issue" || text === "discussion") return text;
  if (text === "mr" || text === "merge_request") return "merge_request";
  throw usageError(`--type ${text}: expected issue, mr or discussion`);
}
