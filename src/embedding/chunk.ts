// Splits a document into chunks under a character budget, on paragraph boundaries first, then
// lines, then hard cuts, with a small overlap so a sentence cut at a boundary is still embedded
// whole somewhere. Deterministic: the same text always gives the same chunks.

import { embeddingText } from "../documents/render.js";

/** The chunks of a document's embedding text (title and body); search cuts its snippets the same way. */
export function documentChunks(
  title: string,
  body: string,
  settings: { readonly chunkChars: number; readonly chunkOverlapChars: number },
): string[] {
  return chunkText(embeddingText(title, body), settings.chunkChars, settings.chunkOverlapChars);
}

export function chunkText(text: string, maxChars: number, overlapChars: number): string[] {
  const clean = text.replace(/\r\n/g, "\n").trim();
  if (clean.length === 0) return [];
  if (clean.length <= maxChars) return [clean];
  const pieces = splitPieces(clean, maxChars);
  const chunks: string[] = [];
  let current = "";
  for (const piece of pieces) {
    const joined = current ? `${current}\n${piece}` : piece;
    if (joined.length <= maxChars) {
      current = joined;
      continue;
    }
    if (current) chunks.push(current);
    const tail = overlapChars > 0 && current ? overlapTail(current, overlapChars) : "";
    current = tail && tail.length + 1 + piece.length <= maxChars ? `${tail}\n${piece}` : piece;
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Pieces no longer than maxChars: paragraphs, else their lines, else hard slices. */
function splitPieces(text: string, maxChars: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split(/\n{2,}/)) {
    if (paragraph.length <= maxChars) {
      out.push(paragraph);
      continue;
    }
    for (const line of paragraph.split("\n")) {
      if (line.length <= maxChars) {
        out.push(line);
        continue;
      }
      for (let i = 0; i < line.length; i += maxChars) out.push(line.slice(i, i + maxChars));
    }
  }
  return out;
}

/** The end of a chunk, starting at a word boundary, at most `chars` long. */
function overlapTail(chunk: string, chars: number): string {
  if (chunk.length <= chars) return chunk;
  const tail = chunk.slice(chunk.length - chars);
  const space = tail.search(/\s/);
  return (space >= 0 ? tail.slice(space + 1) : tail).trim();
}
