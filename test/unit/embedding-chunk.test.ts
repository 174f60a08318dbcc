import { expect, it } from "vitest";
import { chunkText } from "../../src/embedding/chunk.js";

it("keeps a short document whole and drops empty ones", () => {
  expect(chunkText("  hello world  ", 100, 10)).toEqual(["hello world"]);
  expect(chunkText(" \n ", 100, 10)).toEqual([]);
});

it("splits on paragraphs, then lines, then hard cuts, within the budget", () => {
  const paragraphs = Array.from({ length: 6 }, (_, i) => `Paragraph ${i} ${"word ".repeat(20).trim()}`);
  const chunks = chunkText(paragraphs.join("\n\n"), 250, 0);
  expect(chunks.length).toBeGreaterThan(1);
  for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(250);
  expect(chunks.join("\n")).toContain("Paragraph 5");
  const longLine = "x".repeat(1000);
  const hard = chunkText(longLine, 300, 0);
  expect(hard.every((c) => c.length <= 300)).toBe(true);
  expect(hard.join("")).toBe(longLine);
});

it("overlaps consecutive chunks and is deterministic", () => {
  const text = Array.from({ length: 40 }, (_, i) => `line number ${i} with some words`).join("\n");
  const a = chunkText(text, 200, 40);
  expect(a).toEqual(chunkText(text, 200, 40));
  for (let i = 1; i < a.length; i++) {
    const previousEnd = (a[i - 1] as string).slice(-20).split("\n").at(-1) as string;
    expect(a[i]).toContain(previousEnd.trim().split(" ").slice(-2).join(" "));
  }
  for (const chunk of a) expect(chunk.length).toBeLessThanOrEqual(200);
});
