import { expect, it } from "vitest";
import { reciprocalRankFusion } from "../../src/search/hybrid.js";
import type { SearchResult } from "../../src/search/lexical.js";

const r = (id: number, snippet = `s${id}`): SearchResult => ({
  document_id: id,
  source_type: "issue",
  project: "g/p",
  iid: id,
  title: `t${id}`,
  web_url: null,
  score: 0,
  snippet,
  state: "opened",
  updated_at: "2024-01-01T00:00:00.000Z",
  explain: {
    lexical_rank: null,
    lexical_score: null,
    semantic_rank: null,
    similarity: null,
    rrf_score: null,
  },
});

it("fuses rankings by reciprocal rank", () => {
  const lexical = [r(1), r(2), r(3)];
  const semantic = [r(3), r(4), r(1)];
  const fused = reciprocalRankFusion([lexical, semantic], 10);
  // 1: 1/61 + 1/63; 3: 1/63 + 1/61 (tie, broken by best rank then id); 2: 1/62; 4: 1/62
  expect(fused.map((x) => x.document_id)).toEqual([1, 3, 2, 4]);
  expect(fused[0]?.score).toBeCloseTo(1 / 61 + 1 / 63, 6);
  expect(fused[2]?.score).toBeCloseTo(1 / 62, 6);
});

it("ranks a document found by both lists above ones found by one", () => {
  const fused = reciprocalRankFusion(
    [
      [r(1), r(2)],
      [r(3), r(2)],
    ],
    3,
  );
  expect(fused[0]?.document_id).toBe(2);
});

it("keeps the snippet of the list that ranked the document highest and honours the limit", () => {
  const fused = reciprocalRankFusion([[r(9, "lexical"), r(5, "lexical")], [r(5, "semantic")]], 1);
  expect(fused).toHaveLength(1);
  expect(fused[0]).toMatchObject({ document_id: 5, snippet: "semantic" });
});

it("breaks a tie between lists in favour of the first (lexical) list", () => {
  const fused = reciprocalRankFusion([[r(7, "exact")], [r(3, "similar")]], 2);
  expect(fused.map((x) => x.document_id)).toEqual([7, 3]);
});

it("explains each fused result with both lists' ranks and its RRF score", () => {
  const lexical = { ...r(1), explain: { ...r(1).explain, lexical_rank: 1, lexical_score: 4.2 } };
  const semantic = { ...r(1), explain: { ...r(1).explain, semantic_rank: 2, similarity: 0.8 } };
  const only = { ...r(2), explain: { ...r(2).explain, semantic_rank: 1, similarity: 0.9 } };
  const fused = reciprocalRankFusion([[lexical], [only, semantic]], 5);
  expect(fused.find((x) => x.document_id === 1)?.explain).toEqual({
    lexical_rank: 1,
    lexical_score: 4.2,
    semantic_rank: 2,
    similarity: 0.8,
    rrf_score: Math.round((1 / 61 + 1 / 62) * 1e6) / 1e6,
  });
  expect(fused.find((x) => x.document_id === 2)?.explain).toMatchObject({
    lexical_rank: null,
    semantic_rank: 1,
    rrf_score: Math.round((1 / 61) * 1e6) / 1e6,
  });
});
