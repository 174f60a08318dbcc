// Snippets for lexical results, cut from a document's body: the window of words with most query
// terms in it, the terms marked. Made here rather than by FTS5's snippet(), which re-reads every
// term's posting list for each result row — a cost that grows with the corpus, where this one grows
// only with the body. Words are compared as FTS5's tokenizer would roughly see them: case and
// diacritics folded, common English endings stripped (a light stand-in for its Porter stemmer).

export const MATCH_START = "\u0001";
export const MATCH_END = "\u0002";
export const SNIPPET_WORDS = 24;

export interface SnippetTerm {
  readonly text: string;
  readonly prefix: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;

const fold = (word: string) => word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/** "timeouts" → "timeout", "exported" → "export", "retrying" → "retry". */
export function lightStem(word: string): string {
  const w = fold(word);
  for (const suffix of ["ing", "ies", "ed", "es", "ly", "s"]) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      const stem = w.slice(0, -suffix.length);
      return suffix === "ies" ? `${stem}y` : stem;
    }
  }
  return w;
}

type Matcher = (word: string) => boolean;

function matchers(terms: readonly SnippetTerm[]): Matcher[] {
  return terms.flatMap((term) => {
    const words = term.text.match(WORD) ?? [];
    // A phrase is marked word by word.
    return words.map((word, i): Matcher => {
      if (term.prefix && i === words.length - 1) {
        const start = fold(word);
        return (candidate) => fold(candidate).startsWith(start);
      }
      const stem = lightStem(word);
      return (candidate) => lightStem(candidate) === stem;
    });
  });
}

/**
 * The best window of `size` words of `body` for these terms (MATCH_START/MATCH_END around each
 * hit, "…" where text was cut); the body's start when no term is in it.
 */
export function makeSnippet(body: string, terms: readonly SnippetTerm[], size = SNIPPET_WORDS): string {
  const words = [...body.matchAll(WORD)].map((m) => ({
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
  if (words.length === 0) return "";
  const tests = matchers(terms);
  const hits = words.map((w) => tests.findIndex((test) => test(w.text)));
  // Slide a window of `size` words: most distinct terms in it, then most hits, then the earliest.
  const inWindow = new Map<number, number>();
  let hitCount = 0;
  const add = (hit: number, delta: number) => {
    if (hit < 0) return;
    hitCount += delta;
    const n = (inWindow.get(hit) ?? 0) + delta;
    if (n === 0) inWindow.delete(hit);
    else inWindow.set(hit, n);
  };
  for (let i = 0; i < Math.min(size, words.length); i++) add(hits[i] as number, 1);
  let best = 0;
  let bestDistinct = inWindow.size;
  let bestHits = hitCount;
  for (let start = 1; start + size <= words.length; start++) {
    add(hits[start - 1] as number, -1);
    add(hits[start + size - 1] as number, 1);
    if (inWindow.size > bestDistinct || (inWindow.size === bestDistinct && hitCount > bestHits)) {
      best = start;
      bestDistinct = inWindow.size;
      bestHits = hitCount;
    }
  }
  const last = Math.min(words.length, best + size) - 1;
  let text = "";
  let cursor = (words[best] as { start: number }).start;
  for (let i = best; i <= last; i++) {
    const word = words[i] as { text: string; start: number; end: number };
    text += body.slice(cursor, word.start);
    text += (hits[i] as number) >= 0 ? `${MATCH_START}${word.text}${MATCH_END}` : word.text;
    cursor = word.end;
  }
  const before = best > 0 ? "…" : "";
  const after = last < words.length - 1 ? "…" : "";
  return `${before}${text}${after}`;
}
