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
