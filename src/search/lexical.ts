// Lexical search: FTS5 over three columns (title, metadata header, body). Documents that have every
// term come first, then those with most terms; within a group, bm25 with the title weighted above
// the rest. Snippets come from the body, never the header. Results carry the contract's fields; a
// discussion result names its parent issue or MR.

import type { Db } from "../db/open.js";
import { documentFilterSql, type SearchFilters } from "./filters.js";
import { parseQuery } from "./query-parser.js";
import { MATCH_END, MATCH_START, makeSnippet } from "./snippet.js";

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

export { MATCH_END, MATCH_START } from "./snippet.js";

/** bm25 column weights, in the index's column order: title, header, body. */
const WEIGHTS = "10.0, 1.0, 1.0";

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
  // before sorting, so snippets are made afterwards, for the page alone.
  let ranked = db
    .prepare(
      `SELECT documents_fts.rowid AS id, bm25(documents_fts, ${WEIGHTS}) AS rank, ${termCount} AS matched
       FROM ${from} WHERE ${where} ORDER BY rank LIMIT ?`,
    )
    .all(parsed.match, ...filter.params, limit) as Ranked[];
  // A full page needs the total counted apart (bm25 cannot be used in a window function); a short
  // one is the total, and the rest of the page comes from documents with most terms.
  const allTermsMatched =
    ranked.length < limit
      ? ranked.length
      : (
          db
            .prepare(`SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`)
            .get(parsed.match, ...filter.params) as {
            n: number;
          }
        ).n;
  if (ranked.length < limit && termCount > 1) ranked = mostTermsFirst(db, parsed, filter, limit);
  const outcome = { truncatedQuery: parsed.truncated, allTermsMatched, termCount };
  if (ranked.length === 0) return { results: [], ...outcome };
  const ids = ranked.map((r) => r.id);
  const details = db
    .prepare(
      `SELECT d.id AS document_id, d.source_type, p.path_with_namespace AS project, d.iid, d.title, d.web_url,
         d.lexical_body AS body, d.state, d.updated_at
       FROM documents d JOIN projects p ON p.id = d.project_id
       WHERE d.id IN (${ids.map(() => "?").join(", ")})`,
    )
    .all(...ids)
    .map((row) => {
      const { body, ...fields } = row as Omit<SearchResult, "score" | "explain" | "snippet"> & {
        body: string;
      };
      return { ...fields, snippet: makeSnippet(body, parsed.highlights) };
    });
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
 * counts come from each term's posting list alone (counted here: SQLite's GROUP BY over the union
 * is several times slower), and only the groups that reach the page are kept. bm25 is then read in
 * one pass over the any-term matches for those documents alone: `+rowid` keeps the id list out of
 * FTS5's hands (as a rowid constraint it would re-seek every posting list for each id), so SQLite
 * tests it on each match before bm25 is computed.
 */
function mostTermsFirst(
  db: Db,
  parsed: ReturnType<typeof parseQuery>,
  filter: ReturnType<typeof documentFilterSql>,
  limit: number,
): Ranked[] {
  const postings = db.prepare("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?").pluck();
  const counts = new Map<number, number>();
  for (const term of parsed.termMatches)
    for (const id of postings.all(term) as number[]) counts.set(id, (counts.get(id) ?? 0) + 1);
  const groups = new Map<number, number[]>();
  for (const [id, matched] of counts) {
    const group = groups.get(matched);
    if (group) group.push(id);
    else groups.set(matched, [id]);
  }
  const passing = filter.where === "1" ? undefined : filterStatement(db, filter);
  const candidates = new Map<number, number>();
  for (const matched of [...groups.keys()].sort((a, b) => b - a)) {
    const ids = groups.get(matched) as number[];
    for (const id of passing ? passing(ids) : ids) candidates.set(id, matched);
    if (candidates.size >= limit) break;
  }
  if (candidates.size === 0) return [];
  // When every match is a candidate, there is no list to test.
  const scored = (
    candidates.size === counts.size
      ? db
          .prepare(
            `SELECT rowid AS id, bm25(documents_fts, ${WEIGHTS}) AS rank FROM documents_fts WHERE documents_fts MATCH ?`,
          )
          .all(parsed.anyMatch)
      : db
          .prepare(
            `SELECT rowid AS id, bm25(documents_fts, ${WEIGHTS}) AS rank FROM documents_fts
             WHERE documents_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))`,
          )
          .all(parsed.anyMatch, JSON.stringify([...candidates.keys()]))
  ) as { id: number; rank: number }[];
  return scored
    .flatMap((r) => {
      const matched = candidates.get(r.id);
      return matched === undefined ? [] : [{ ...r, matched }];
    })
    .sort((a, b) => b.matched - a.matched || a.rank - b.rank || a.id - b.id)
    .slice(0, limit);
}

/** Which of these documents pass the filters. */
function filterStatement(db: Db, filter: ReturnType<typeof documentFilterSql>) {
  const statement = db
    .prepare(
      `SELECT d.id FROM documents d WHERE d.id IN (SELECT value FROM json_each(?)) AND ${filter.where}`,
    )
    .pluck();
  return (ids: readonly number[]) => statement.all(JSON.stringify(ids), ...filter.params) as number[];
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
