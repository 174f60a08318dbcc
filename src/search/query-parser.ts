// Turns what a user types into safe FTS5 MATCH expressions. Supported: words, "quoted phrases",
// prefix*, and -exclusion (of a word or phrase). Everything else is literal text: every term is
// passed to FTS5 as a quoted string, so operators, brackets and column filters have no effect.
// Common English words ("why does the …") are dropped when the query has other words, so a
// question is ranked by the words that carry its meaning.

import { usageError } from "../core/errors.js";

export const MAX_TERMS = 64;

export interface ParsedQuery {
  /** The FTS5 expression matching documents that have every term (and none excluded). */
  readonly match: string;
  /** The FTS5 expression matching documents that have any term (and none excluded). */
  readonly anyMatch: string;
  /** One FTS5 expression per positive term (exclusions applied), to count how many a document has. */
  readonly termMatches: readonly string[];
  /** The positive terms, for display. */
  readonly terms: readonly string[];
  /** The positive terms as snippets mark them. */
  readonly highlights: readonly { readonly text: string; readonly prefix: boolean }[];
  /** Set when the query had more than MAX_TERMS terms and the rest were ignored. */
  readonly truncated: boolean;
}

interface Term {
  readonly text: string;
  readonly prefix: boolean;
  readonly exclude: boolean;
  /** Typed in quotes: taken as written, even a common word. */
  readonly quoted: boolean;
}

// Letters, digits and marks are what FTS5's unicode61 tokenizer keeps; a term without any of them
// would match nothing, so it is dropped rather than sent.
const SEARCHABLE = /[\p{L}\p{N}]/u;

function tokenize(input: string): Term[] {
  const terms: Term[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    let exclude = false;
    if (ch === "-" && i + 1 < input.length && !/\s/.test(input[i + 1] as string)) {
      exclude = true;
      i += 1;
    }
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1);
      // An unbalanced quote makes the rest of the query one phrase.
      const text = end === -1 ? input.slice(i + 1) : input.slice(i + 1, end);
      i = end === -1 ? input.length : end + 1;
      const prefix = input[i] === "*";
      if (prefix) i += 1;
      terms.push({ text, prefix, exclude, quoted: true });
      continue;
    }
    let j = i;
    while (j < input.length && !/\s/.test(input[j] as string) && input[j] !== '"') j += 1;
    let text = input.slice(i, j);
    i = j;
    const prefix = text.length > 1 && text.endsWith("*");
    text = text.replace(/\*+$/, "");
    terms.push({ text, prefix, exclude, quoted: false });
  }
  return terms.filter((t) => SEARCHABLE.test(t.text));
}

// Words so common that matching them says nothing about a document.
const STOP_WORDS = new Set(
  (
    "a an and are as at be been but by can could did do does doing for from had has have how i if in into is it its " +
    "me my no not of on or our so such than that the their them then there these they this those to too us was we " +
    "were what when where which while who whom why will with would you your"
  ).split(" "),
);

const isStopWord = (term: Term) => !term.quoted && !term.prefix && STOP_WORDS.has(term.text.toLowerCase());

const quote = (term: Term) => `"${term.text.replace(/"/g, '""')}"${term.prefix ? " *" : ""}`;

export function parseQuery(input: string): ParsedQuery {
  const all = tokenize(input);
  const truncated = all.length > MAX_TERMS;
  const terms = all.slice(0, MAX_TERMS);
  const typed = terms.filter((t) => !t.exclude);
  const significant = typed.filter((t) => !isStopWord(t));
  const positive = significant.length > 0 ? significant : typed;
  const negative = terms.filter((t) => t.exclude);
  if (positive.length === 0) {
    throw usageError(
      negative.length > 0
        ? "The query only excludes terms; give at least one word to search for."
        : `Nothing to search for in ${JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input)}: give at least one word.`,
      'Examples: lore search "login timeout", lore search auth* -oauth',
    );
  }
  const quoted = positive.map(quote);
  const exclude = (expression: string) =>
    negative.reduce((match, term) => `(${match} NOT ${quote(term)})`, expression);
  const combine = (operator: string) =>
    quoted.length > 1 ? `(${quoted.join(` ${operator} `)})` : (quoted[0] as string);
  return {
    match: exclude(combine("AND")),
    anyMatch: exclude(combine("OR")),
    termMatches: quoted.map(exclude),
    terms: positive.map((t) => t.text),
    highlights: positive.map((t) => ({ text: t.text, prefix: t.prefix })),
    truncated,
  };
}
