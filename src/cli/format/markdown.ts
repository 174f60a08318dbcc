// GitLab Markdown (descriptions, notes) made readable in a terminal: headings in bold, lists with
// bullets and hanging indents, quotes with a bar, code blocks indented and never re-wrapped,
// tables aligned, links as "text (url)", paragraphs wrapped to the width. Loaded only when output
// goes to a terminal (marked is the parser; this file is the renderer). marked-terminal was not
// used: it brings a syntax highlighter and ~2.4 MB of code for a few hundred ms of start-up.

import { marked, type Token, type Tokens } from "marked";
import wrapAnsi from "wrap-ansi";
import { plainStyle, type Style } from "../output.js";
import { renderTable } from "./table.js";

export interface MarkdownOptions {
  /** Columns to wrap to. */
  readonly width: number;
  readonly style: Style;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X"))
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? match;
  });
}

/** Renders Markdown to terminal lines (with ANSI styles when `style` paints). */
export function renderMarkdown(source: string, options: MarkdownOptions): string[] {
  const tokens = marked.lexer(source.replace(/\r\n?/g, "\n"), { gfm: true });
  const lines = blocks(tokens, Math.max(20, options.width), options.style);
  while (lines.length > 0 && lines.at(-1)?.trim() === "") lines.pop();
  return lines;
}

function blocks(tokens: readonly Token[], width: number, s: Style): string[] {
  const out: string[] = [];
  const separate = () => {
    if (out.length > 0 && out.at(-1) !== "") out.push("");
  };
  for (const token of tokens) {
    const rendered = block(token, width, s);
    if (rendered === undefined) continue;
    separate();
    out.push(...rendered);
  }
  return out;
}

/** Text (which may hold ANSI codes) wrapped at spaces to `width` columns; a longer word is broken. */
export function wrapText(text: string, width: number): string[] {
  return wrapAnsi(text, width, { hard: true, trim: true }).split("\n");
}

function wrap(text: string, width: number): string[] {
  return wrapAnsi(text, width, { hard: false, trim: true }).split("\n");
}

function block(token: Token, width: number, s: Style): string[] | undefined {
  switch (token.type) {
    case "space":
    case "def":
      return undefined;
    case "heading": {
      const t = token as Tokens.Heading;
      return wrap(s.bold(inline(t.tokens, s)), width);
    }
    case "paragraph":
      return wrap(inline((token as Tokens.Paragraph).tokens, s), width);
    case "text": {
      const t = token as Tokens.Text;
      return wrap(t.tokens ? inline(t.tokens, s) : decodeEntities(t.text), width);
    }
    case "code": {
      const t = token as Tokens.Code;
      return t.text.split("\n").map((line) => `    ${s.dim(line)}`);
    }
    case "blockquote": {
      const inner = blocks((token as Tokens.Blockquote).tokens, width - 2, s);
      return inner.map((line) => `${s.dim("│")} ${line}`);
    }
    case "list":
      return list(token as Tokens.List, width, s);
    case "hr":
      return [s.dim("─".repeat(Math.min(width, 40)))];
    case "table": {
      const t = token as Tokens.Table;
      const columns = t.header.map((cell, i) => ({
        header: inline(cell.tokens, plainStyle),
        text: (row: Tokens.TableCell[]) => inline(row[i]?.tokens ?? [], plainStyle),
        align: t.align[i] === "right" ? ("right" as const) : ("left" as const),
        shrink: true,
        minWidth: 6,
      }));
      return renderTable(columns, t.rows, { width, header: s.bold });
    }
    case "html": {
      const text = htmlText((token as Tokens.HTML).text);
      return text === "" ? undefined : wrap(s.dim(text), width);
    }
    default: {
      const raw = "text" in token && typeof token.text === "string" ? token.text : token.raw;
      return wrap(decodeEntities(raw), width);
    }
  }
}

function list(token: Tokens.List, width: number, s: Style): string[] {
  const out: string[] = [];
  const start = typeof token.start === "number" ? token.start : 1;
  token.items.forEach((item, index) => {
    const marker = token.ordered ? `${start + index}.` : "•";
    const prefix = `${marker} ${item.task ? (item.checked ? "[x] " : "[ ] ") : ""}`;
    // Hanging indent: wrapped and nested lines start under the item's text.
    const indent = " ".repeat(prefix.length);
    const body = blocks(
      item.tokens.filter((t) => t.type !== "checkbox"),
      width - indent.length,
      s,
    );
    const lines = item.loose ? body : body.filter((line) => line !== "");
    lines.forEach((line, i) => {
      out.push(i === 0 ? `${s.dim(marker)}${prefix.slice(marker.length)}${line}` : `${indent}${line}`);
    });
    if (item.loose && index < token.items.length - 1) out.push("");
  });
  return out;
}

/** HTML in Markdown: comments vanish, tags are dropped, their text stays. */
function htmlText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<[^>]+>/g, ""),
  ).trim();
}

function inline(tokens: readonly Token[], s: Style): string {
  return tokens.map((token) => inlineToken(token, s)).join("");
}

function inlineToken(token: Token, s: Style): string {
  switch (token.type) {
    case "text": {
      const t = token as Tokens.Text;
      return t.tokens ? inline(t.tokens, s) : decodeEntities(t.text);
    }
    case "escape":
      return (token as Tokens.Escape).text;
    case "strong":
      return s.bold(inline((token as Tokens.Strong).tokens, s));
    case "em":
      return inline((token as Tokens.Em).tokens, s);
    case "del":
      return s.dim(`~${inline((token as Tokens.Del).tokens, s)}~`);
    case "codespan":
      return s.cyan(decodeEntities((token as Tokens.Codespan).text));
    case "br":
      return "\n";
    case "link": {
      const t = token as Tokens.Link;
      const text = inline(t.tokens, s);
      return text === t.href || `mailto:${text}` === t.href
        ? s.cyan(t.href)
        : `${text} ${s.dim(`(${t.href})`)}`;
    }
    case "image": {
      const t = token as Tokens.Image;
      return s.dim(`[image${t.text ? `: ${t.text}` : ""}] (${t.href})`);
    }
    case "html":
      return htmlText((token as Tokens.Tag).text);
    default:
      return "raw" in token ? decodeEntities(token.raw) : "";
  }
}
