// Terminal widths of text: East Asian wide characters and emoji take two columns, combining marks
// none, ANSI colour codes none. Columns are measured and cut by these rules, never by `.length`.

import stringWidth from "string-width";

let graphemes: Intl.Segmenter | undefined;

/** Columns the text takes in a terminal (ANSI escapes ignored). */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/**
 * Cuts plain text (no ANSI codes) to at most `width` columns, ending with `…` when it was cut.
 * Never splits a grapheme: a wide character that would straddle the edge is left out whole.
 */
export function truncate(text: string, width: number, ellipsis = "…"): string {
  if (width <= 0) return "";
  if (stringWidth(text) <= width) return text;
  const room = width - stringWidth(ellipsis);
  if (room < 0) return "";
  let out = "";
  let used = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (const { segment } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > room) break;
    out += segment;
    used += w;
  }
  return `${out}${ellipsis}`;
}

/** Pads text (which may hold ANSI codes) with spaces to `width` columns. */
export function pad(text: string, width: number, align: "left" | "right" = "left"): string {
  const fill = " ".repeat(Math.max(0, width - stringWidth(text)));
  return align === "left" ? `${text}${fill}` : `${fill}${text}`;
}

/** One line of text for a table cell: newlines and tabs become spaces, runs of blanks one. */
export function singleLine(text: string): string {
  return text
    .replace(/[\t\r\n\u2028\u2029]+/g, " ")
    .replace(/ {2,}/g, " ")
    .trim();
}
