// Terminal widths of text: East Asian wide characters and emoji take two columns, combining marks
// none, ANSI colour codes none. Columns are measured and cut by these rules, never by `.length`.
//
// The rules are string-width's (v8), measured here so that their costly parts are built only for
// text that needs them: string-width compiles `\p{RGI_Emoji}` and an ICU segmenter when it is
// imported (~130 ms), which every human command paid before its first line. Printable ASCII needs
// neither; text whose code points each stand alone (Latin-1, Latin Extended, common punctuation
// such as `…`) needs no segmenter; only a cluster that can be an emoji needs the emoji regex.
// test/unit/text-width.test.ts holds this equal to string-width.

import { eastAsianWidth } from "get-east-asian-width";
import stripAnsi from "strip-ansi";

const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;
/**
 * Text made only of code points that never join a neighbour into one grapheme cluster (no
 * combining marks, joiners, variation selectors, Hangul jamo, regional indicators or surrogates):
 * each code point is its own cluster, so no segmenter is needed.
 */
const STANDALONE_CODE_POINTS = /^[\u0000-\u02ff\u2010-\u2027\u2030-\u205e]*$/;
/** A cluster can be an RGI emoji only if it holds a code point shown as emoji by default, or U+FE0F. */
const EMOJI_CANDIDATE = /\p{Emoji_Presentation}|\uFE0F/u;
const UNQUALIFIED_KEYCAP = /^[\d#*]\u20E3$/;
const EXTENDED_PICTOGRAPHIC = /\p{Extended_Pictographic}/gu;
const SPACING_MARK = /\p{Spacing_Mark}/u;

let graphemes: Intl.Segmenter | undefined;
let visibleCharacter: RegExp | undefined;
let rgiEmoji: RegExp | undefined;

/** Columns the text takes in a terminal (ANSI escapes ignored). */
export function displayWidth(text: string): number {
  const plain = text.includes("\u001b") || text.includes("\u009b") ? stripAnsi(text) : text;
  if (PRINTABLE_ASCII.test(plain)) return plain.length;
  let width = 0;
  for (const cluster of clusters(plain)) width += clusterWidth(cluster);
  return width;
}

/**
 * Cuts plain text (no ANSI codes) to at most `width` columns, ending with `…` when it was cut.
 * Never splits a grapheme: a wide character that would straddle the edge is left out whole.
 */
export function truncate(text: string, width: number, ellipsis = "…"): string {
  if (width <= 0) return "";
  if (displayWidth(text) <= width) return text;
  const room = width - displayWidth(ellipsis);
  if (room < 0) return "";
  let out = "";
  let used = 0;
  for (const cluster of clusters(text)) {
    const w = displayWidth(cluster);
    if (used + w > room) break;
    out += cluster;
    used += w;
  }
  return `${out}${ellipsis}`;
}

/** Pads text (which may hold ANSI codes) with spaces to `width` columns. */
export function pad(text: string, width: number, align: "left" | "right" = "left"): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return align === "left" ? `${text}${fill}` : `${fill}${text}`;
}

/** One line of text for a table cell: newlines and tabs become spaces, runs of blanks one. */
export function singleLine(text: string): string {
  return text
    .replace(/[\t\r\n\u2028\u2029]+/g, " ")
    .replace(/ {2,}/g, " ")
    .trim();
}

/** The text's grapheme clusters: its code points where each stands alone, else ICU's segmentation. */
function* clusters(text: string): Generator<string> {
  if (STANDALONE_CODE_POINTS.test(text)) {
    yield* text;
    return;
  }
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (const { segment } of graphemes.segment(text)) yield segment;
}

function isVisible(character: string): boolean {
  visibleCharacter ??=
    /[^\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Nonspacing_Mark}\p{Enclosing_Mark}\p{Surrogate}]/u;
  return visibleCharacter.test(character);
}

/** The cluster from its first printing character on; undefined when nothing in it prints. */
function visiblePart(cluster: string): string | undefined {
  let offset = 0;
  for (const character of cluster) {
    if (isVisible(character)) return cluster.slice(offset);
    offset += character.length;
  }
  return undefined;
}

function clusterWidth(cluster: string): number {
  const visible = visiblePart(cluster);
  if (visible === undefined) return 0;
  if (isEmoji(cluster)) return 2;
  const hangul = hangulClusterWidth(visible);
  if (hangul !== undefined) return hangul;
  // East Asian Width of the first printing code point, plus trailing spacing marks and
  // halfwidth/fullwidth forms within the cluster (dakuten, prolonged sound mark).
  let width = eastAsianWidth(visible.codePointAt(0) ?? 0);
  let first = true;
  for (const character of visible) {
    if (first) {
      first = false;
      continue;
    }
    if (SPACING_MARK.test(character) || (character >= "\uFF00" && character <= "\uFFEF")) {
      width += eastAsianWidth(character.codePointAt(0) ?? 0);
    }
  }
  return width;
}

/** RGI emoji, and emoji that terminals still draw wide: bare keycaps, ZWJ sequences of two or more pictographs. */
function isEmoji(cluster: string): boolean {
  if (EMOJI_CANDIDATE.test(cluster)) {
    // biome-ignore lint/complexity/useRegexLiterals: V8 validates a literal when it parses the module (~50 ms for this set).
    rgiEmoji ??= new RegExp("^\\p{RGI_Emoji}$", "v");
    if (rgiEmoji.test(cluster)) return true;
  }
  if (cluster.length > 50) return false;
  if (UNQUALIFIED_KEYCAP.test(cluster)) return true;
  if (!cluster.includes("\u200D")) return false;
  return (cluster.match(EXTENDED_PICTOGRAPHIC)?.length ?? 0) >= 2;
}

const isLeadingJamo = (c: number) => (c >= 0x1100 && c <= 0x115f) || (c >= 0xa960 && c <= 0xa97c);
const isVowelJamo = (c: number) => (c >= 0x1160 && c <= 0x11a7) || (c >= 0xd7b0 && c <= 0xd7c6);
const isTrailingJamo = (c: number) => (c >= 0x11a8 && c <= 0x11ff) || (c >= 0xd7cb && c <= 0xd7fb);
const isJamo = (c: number) => isLeadingJamo(c) || isVowelJamo(c) || isTrailingJamo(c);

/**
 * A cluster of Hangul jamo: each modern leading+vowel(+trailing) run is one two-column syllable,
 * unmatched jamo add up; undefined when the cluster does not start with jamo.
 */
function hangulClusterWidth(visible: string): number | undefined {
  const codePoints: number[] = [];
  for (const character of visible) {
    if (isVisible(character)) codePoints.push(character.codePointAt(0) ?? 0);
  }
  let width = 0;
  for (let index = 0; index < codePoints.length; index++) {
    const codePoint = codePoints[index] ?? 0;
    if (!isJamo(codePoint)) {
      if (width === 0) return undefined;
      for (const rest of codePoints.slice(index)) width += eastAsianWidth(rest);
      return width;
    }
    if (isLeadingJamo(codePoint) && isVowelJamo(codePoints[index + 1] ?? 0)) {
      width += 2;
      index += isTrailingJamo(codePoints[index + 2] ?? 0) ? 2 : 1;
      continue;
    }
    width += eastAsianWidth(codePoint);
  }
  return codePoints.length === 0 ? undefined : width;
}
