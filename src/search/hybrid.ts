// Hybrid search: reciprocal rank fusion of the lexical and semantic rankings. A document's score is
// the sum over lists of 1 / (K + rank); K = 60 damps the weight of the very top ranks.

import type { Explain, SearchResult } from "./lexical.js";

export const RRF_K = 60;

export function reciprocalRankFusion(
  lists: readonly (readonly SearchResult[])[],
  limit: number,
  k = RRF_K,
): SearchResult[] {
  const fused = new Map<
    number,
    { result: SearchResult; score: number; bestRank: number; bestList: number; explain: Explain }
  >();
  lists.forEach((list, listIndex) => {
    list.forEach((result, index) => {
      const rank = index + 1;
      const entry = fused.get(result.document_id);
      if (entry) {
        entry.score += 1 / (k + rank);
        entry.explain = mergeExplain(entry.explain, result.explain);
        // Keep the snippet from the list that ranked it highest.
        if (rank < entry.bestRank) {
          entry.bestRank = rank;
          entry.bestList = listIndex;
          entry.result = result;
        }
      } else {
        fused.set(result.document_id, {
          result,
          score: 1 / (k + rank),
          bestRank: rank,
          bestList: listIndex,
          explain: result.explain,
        });
      }
    });
  });
  // Ties go to the better single rank, then to the earlier list (callers pass lexical first, so
  // an exact match beats a merely similar document that one list alone found).
  return [...fused.values()]
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.bestRank - b.bestRank ||
        a.bestList - b.bestList ||
        a.result.document_id - b.result.document_id,
    )
    .slice(0, limit)
    .map(({ result, score, explain }) => {
      const rounded = Math.round(score * 1e6) / 1e6;
      return { ...result, score: rounded, explain: { ...explain, rrf_score: rounded } };
    });
}

/** Each list fills in its own fields (the other list's are null). */
function mergeExplain(a: Explain, b: Explain): Explain {
  const merged: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b))
    if (value !== null && value !== undefined) merged[key] = value;
  return merged as unknown as Explain;
}
