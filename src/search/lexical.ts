// Lexical search: FTS5 over three columns (title, metadata header, body). Documents that have every
// term come first, then those with most terms; within a group, bm25 with the title weighted above
// the rest. Snippets come from the body, never the header. Results carry the contract's fields; a
// discussion result names its parent issue or MR.

import type { Db } from "../db/open.js";
import { documentFilterSql, type SearchFilters } from "./filters.js";
import { parseQuery } from "./query-parser.js";

/** Why a result ranks where it does (`--explain`); null where a list did not contain it. */
export interface Explain {
  readonly lexical_rank: number | null;
  /** bm25, higher is better. */
  readonly lexical_score: number | null;
  readonly lexical_terms_matched?: number;
  readonly semantic_rank: number | null;
  readonly similarity: number | null;
  readonly rrf_score: number | null;
}

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
  readonly explain: Explain;
}

export const MATCH_START = "\u0001";
export const MATCH_END = "\u0002";
/** bm25 column weights, in the index's column order: title, header, body. */
const WEIGHTS = "10.0, 1.0, 1.0";
const BODY_COLUMN = 2;

export interface LexicalOutcome {
  readonly results: SearchResult[];
  readonly truncatedQuery: boolean;
  /** How many documents (within the filters) have every term. */
  readonly allTermsMatched: number;
  /** How many terms the query was ranked by (common words dropped). */
  readonly termCount: number;
}

interface Ranked {
  readonly id: number;
  readonly rank: number;
  readonly matched: number;
}

/**
 * The ordering as one number: the terms matched, plus bm25 squashed into [0, 1), so the score sorts
 * exactly as the results do.
 */
export function lexicalScore(termsMatched: number, bm25: number): number {
  const relevance = Math.max(0, bm25);
  return termsMatched + relevance / (1 + relevance);
}

export function lexicalSearch(db: Db, query: string, filters: SearchFilters, limit: number): LexicalOutcome {
  const parsed = parseQuery(query);
  const filter = documentFilterSql(filters);
  const termCount = parsed.termMatches.length;
  // Without filters, rank from the index alone; with them, join the documents they read.
  const from =
    filter.where === "1" ? "documents_fts" : "documents_fts JOIN documents d ON d.id = documents_fts.rowid";
  const where = `documents_fts MATCH ? AND ${filter.where}`;
  // Rank first, selecting only ids and scores: SQLite evaluates the select list for every match
  // before sorting, so snippets are made afterwards, for the page alone. (bm25 cannot be used in a
  // window function, so the count of documents with every term is a query of its own.)
  const allTermsMatched = (
    db.prepare(`SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`).get(parsed.match, ...filter.params) as {
      n: number;
    }
  ).n;
  let ranked: Ranked[];
  if (allTermsMatched >= limit || termCount === 1) {
    ranked = db
      .prepare(
        `SELECT documents_fts.rowid AS id, bm25(documents_fts, ${WEIGHTS}) AS rank, ${termCount} AS matched
         FROM ${from} WHERE ${where} ORDER BY rank LIMIT ?`,
      )
      .all(parsed.match, ...filter.params, limit) as Ranked[];
  } else {
    ranked = mostTermsFirst(db, parsed, filter, limit);
  }
  const outcome = { truncatedQuery: parsed.truncated, allTermsMatched, termCount };
  if (ranked.length === 0) return { results: [], ...outcome };
  const ids = ranked.map((r) => r.id);
  const details = db
    .prepare(
      `SELECT d.id AS document_id, d.source_type, p.path_with_namespace AS project, d.iid, d.title, d.web_url,
         snippet(documents_fts, ${BODY_COLUMN}, char(1), char(2), '…', 24) AS snippet, d.state, d.updated_at
       FROM documents_fts
       JOIN documents d ON d.id = documents_fts.rowid
       JOIN projects p ON p.id = d.project_id
       WHERE documents_fts MATCH ? AND documents_fts.rowid IN (${ids.map(() => "?").join(", ")})`,
    )
    .all(parsed.anyMatch, ...ids) as Omit<SearchResult, "score" | "explain">[];
  const byId = new Map(details.map((d) => [d.document_id, d]));
  const results = ranked.flatMap((r, index) => {
    const detail = byId.get(r.id);
    if (!detail) return [];
    const bm25 = round(-r.rank, 1000);
    return [
      {
        ...detail,
        score: round(lexicalScore(r.matched, bm25), 10_000),
        explain: {
          lexical_rank: index + 1,
          lexical_score: bm25,
          lexical_terms_matched: r.matched,
          semantic_rank: null,
          similarity: null,
          rrf_score: null,
        },
      },
    ];
  });
  return { results, ...outcome };
}

/**
 * Fewer documents have every term than asked for: rank by how many terms each has, then bm25. The
 * counts come from each term's posting list alone; bm25 is then read in one pass over the any-term
 * matches (FTS5 would re-seek every posting list for each rowid of an IN list) and kept for the
 * documents in the groups that reach the page.
 */
function mostTermsFirst(
  db: Db,
  parsed: ReturnType<typeof parseQuery>,
  filter: ReturnType<typeof documentFilterSql>,
  limit: number,
): Ranked[] {
  const union = parsed.termMatches
    .map(() => "SELECT rowid AS id FROM documents_fts WHERE documents_fts MATCH ?")
    .join(" UNION ALL ");
  const filtered = filter.where === "1" ? "" : `JOIN documents d ON d.id = h.id WHERE ${filter.where}`;
  const counted = db
    .prepare(
      `SELECT h.id, COUNT(*) AS matched FROM (${union}) h ${filtered} GROUP BY h.id ORDER BY matched DESC`,
    )
    .all(...parsed.termMatches, ...filter.params) as { id: number; matched: number }[];
  if (counted.length === 0) return [];
  const cut = (counted[Math.min(limit, counted.length) - 1] as { matched: number }).matched;
  const candidates = counted.filter((c) => c.matched >= cut);
  const matchedById = new Map(candidates.map((c) => [c.id, c.matched]));
  const scored = db
    .prepare(
      `SELECT rowid AS id, bm25(documents_fts, ${WEIGHTS}) AS rank FROM documents_fts WHERE documents_fts MATCH ?`,
    )
    .all(parsed.anyMatch) as { id: number; rank: number }[];
  return scored
    .flatMap((r) => {
      const matched = matchedById.get(r.id);
      return matched === undefined ? [] : [{ ...r, matched }];
    })
    .sort((a, b) => b.matched - a.matched || a.rank - b.rank || a.id - b.id)
    .slice(0, limit);
}

const round = (value: number, scale: number) => Math.round(value * scale) / scale;

/** The snippet with its match markers removed (robot mode) or replaced by `paint` (human mode). */
export function renderSnippet(snippet: string, paint?: (text: string) => string): string {
  const flat = snippet.replace(/\s+/g, " ").trim();
  if (!paint) return flat.replaceAll(MATCH_START, "").replaceAll(MATCH_END, "");
  return flat
    .replace(/\u0001([^\u0002]*)\u0002/g, (_m, text: string) => paint(text))
    .replaceAll(MATCH_START, "")
    .replaceAll(MATCH_END, "");
}
