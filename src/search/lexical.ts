// Lexical search: FTS5 with bm25 ranking (title weighted above content) and a snippet around the
// match. Results carry the contract's fields; a discussion result names its parent issue or MR.

import type { Db } from "../db/open.js";
import { documentFilterSql, type SearchFilters } from "./filters.js";
import { parseQuery } from "./query-parser.js";

export interface SearchResult {
  readonly document_id: number;
  readonly source_type: "issue" | "merge_request" | "discussion";
  readonly project: string;
  readonly iid: number;
  readonly title: string;
  readonly web_url: string | null;
  readonly score: number;
  /** The matched text; MATCH_START/MATCH_END mark the hits (the renderer decides how to show them). */
  readonly snippet: string;
  readonly state: string | null;
  readonly updated_at: string;
}

export const MATCH_START = "\u0001";
export const MATCH_END = "\u0002";
const TITLE_WEIGHT = 10;
const CONTENT_WEIGHT = 1;

export interface LexicalOutcome {
  readonly results: SearchResult[];
  readonly truncatedQuery: boolean;
}

export function lexicalSearch(db: Db, query: string, filters: SearchFilters, limit: number): LexicalOutcome {
  const parsed = parseQuery(query);
  const filter = documentFilterSql(filters);
  const unfiltered = filter.params.length === 0;
  // Rank first, selecting only ids and scores: SQLite evaluates the select list for every match
  // before sorting, so snippets are made afterwards, for the page alone.
  const ranked = db
    .prepare(
      unfiltered
        ? `SELECT rowid AS id, bm25(documents_fts, ${TITLE_WEIGHT}, ${CONTENT_WEIGHT}) AS rank
           FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?`
        : `SELECT d.id AS id, bm25(documents_fts, ${TITLE_WEIGHT}, ${CONTENT_WEIGHT}) AS rank
           FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
           WHERE documents_fts MATCH ? AND ${filter.where} ORDER BY rank LIMIT ?`,
    )
    .all(parsed.match, ...filter.params, limit) as { id: number; rank: number }[];
  if (ranked.length === 0) return { results: [], truncatedQuery: parsed.truncated };
  const ids = ranked.map((r) => r.id);
  const placeholders = ids.map(() => "?").join(", ");
  const details = db
    .prepare(
      `SELECT d.id AS document_id, d.source_type, p.path_with_namespace AS project, d.iid, d.title, d.web_url,
         snippet(documents_fts, 1, char(1), char(2), '…', 24) AS snippet, d.state, d.updated_at
       FROM documents_fts
       JOIN documents d ON d.id = documents_fts.rowid
       JOIN projects p ON p.id = d.project_id
       WHERE documents_fts MATCH ? AND documents_fts.rowid IN (${placeholders})`,
    )
    .all(parsed.match, ...ids) as Omit<SearchResult, "score">[];
  const byId = new Map(details.map((d) => [d.document_id, d]));
  const results = ranked.flatMap((r) => {
    const detail = byId.get(r.id);
    return detail ? [{ ...detail, score: Math.round(-r.rank * 1000) / 1000 }] : [];
  });
  return { results, truncatedQuery: parsed.truncated };
}

/** The snippet with its match markers removed (robot mode) or replaced by `paint` (human mode). */
export function renderSnippet(snippet: string, paint?: (text: string) => string): string {
  const flat = snippet.replace(/\s+/g, " ").trim();
  if (!paint) return flat.replaceAll(MATCH_START, "").replaceAll(MATCH_END, "");
  return flat
    .replace(/\u0001([^\u0002]*)\u0002/g, (_m, text: string) => paint(text))
    .replaceAll(MATCH_START, "")
    .replaceAll(MATCH_END, "");
}
