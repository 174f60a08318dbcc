// Markdown without its code: fenced blocks (``` or ~~~), inline code spans and HTML code/pre
// elements are blanked, so text scanners (mentions, references) do not read what the writer quoted
// as code. Blanking keeps lengths and line breaks, so positions outside code are unchanged.

/**
 * The text with fenced code blocks, inline code spans and HTML code/pre elements blanked out
 * (CommonMark rules: a fence closes with the same character at least as long; a code span closes
 * with a backtick run of the same length; an unclosed fence runs to the end).
 */
export function withoutCode(markdown: string): string {
  const lines = markdown.split(/\r?\n/);
  const kept: string[] = [];
  let fence: { char: string; length: number } | undefined;
  for (const line of lines) {
    const opener = /^(?:\s*>)*\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      const closer = /^(?:\s*>)*\s{0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (closer?.[1] && closer[1][0] === fence.char && closer[1].length >= fence.length) fence = undefined;
      kept.push("");
      continue;
    }
    // A backtick fence's info string may not contain backticks; otherwise it is inline code.
    if (opener?.[1] && !(opener[1][0] === "`" && line.slice(opener[0].length).includes("`"))) {
      fence = { char: opener[1][0] as string, length: opener[1].length };
      kept.push("");
      continue;
    }
    kept.push(line);
  }
  return blankCodeSpans(kept.join("\n")).replace(/<(pre|code)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, (m) =>
    " ".repeat(m.length),
  );
}

function blankCodeSpans(text: string): string {
  let out = "";
  let index = 0;
  while (index < text.length) {
    const open = text.indexOf("`", index);
    if (open < 0) break;
    let run = open;
    while (text[run] === "`") run += 1;
    const length = run - open;
    const close = findBacktickRun(text, run, length);
    if (close < 0) {
      // No closing run of that length: the backticks are literal text.
      out += text.slice(index, run);
      index = run;
      continue;
    }
    out += text.slice(index, open) + " ".repeat(close + length - open);
    index = close + length;
  }
  return out + text.slice(index);
}

function findBacktickRun(text: string, from: number, length: number): number {
  let index = from;
  while (index < text.length) {
    const start = text.indexOf("`", index);
    if (start < 0) return -1;
    let end = start;
    while (text[end] === "`") end += 1;
    if (end - start === length) return start;
    index = end;
  }
  return -1;
}
