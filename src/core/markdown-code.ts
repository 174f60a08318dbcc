// Markdown without its code: fenced blocks (``` or ~~~) and inline code spans are blanked, so text
// scanners (mentions, references) do not read what the writer quoted as code.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The text with fenced code blocks and code spans replaced by spaces (line breaks kept). */
export function withoutCode(markdown: string): string {
  const lines = markdown.split("\n");
  let fence: string | null = null;
  const kept = lines.map((line) => {
    const opener = FENCE.exec(line)?.[1];
    if (fence !== null) {
      // A fence closes on a line of the same character at least as long, and nothing else.
      if (opener && opener[0] === fence[0] && opener.length >= fence.length && line.trim() === opener)
        fence = null;
      return "";
    }
    if (opener) {
      fence = opener;
      return "";
    }
    return withoutCodeSpans(line);
  });
  return kept.join("\n");
}

/** Blanks inline code: a run of N backticks up to the next run of exactly N (unmatched runs stay). */
function withoutCodeSpans(line: string): string {
  let out = "";
  let i = 0;
  while (i < line.length) {
    if (line[i] !== "`") {
      out += line[i];
      i += 1;
      continue;
    }
    let run = 0;
    while (line[i + run] === "`") run += 1;
    const closing = findRun(line, i + run, run);
    if (closing < 0) {
      out += line.slice(i, i + run);
      i += run;
      continue;
    }
    out += " ".repeat(closing + run - i);
    i = closing + run;
  }
  return out;
}

function findRun(line: string, from: number, length: number): number {
  for (let i = from; i < line.length; i++) {
    if (line[i] !== "`") continue;
    let run = 0;
    while (line[i + run] === "`") run += 1;
    if (run === length) return i;
    i += run - 1;
  }
  return -1;
}
