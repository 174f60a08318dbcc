import { describe, expect, it } from "vitest";
import { lightStem, MATCH_END, MATCH_START, makeSnippet } from "../../src/search/snippet.js";

const marked = (s: string) => s.replaceAll(MATCH_START, "[").replaceAll(MATCH_END, "]");
const term = (text: string, prefix = false) => ({ text, prefix });

describe("lightStem", () => {
  it.each([
    ["timeouts", "timeout"],
    ["Exported", "export"],
    ["retrying", "retry"],
    ["retries", "retry"],
    ["Café", "cafe"],
    ["is", "is"],
    ["bus", "bus"],
  ])("%s → %s", (word, stem) => {
    expect(lightStem(word)).toBe(stem);
  });
});

describe("makeSnippet", () => {
  it("marks the terms in the window with most of them, cutting with ellipses", () => {
    const body = `${"filler ".repeat(30)}the nightly Export hits the proxy timeouts again ${"tail ".repeat(30)}`;
    const snippet = marked(makeSnippet(body, [term("export"), term("proxy"), term("timeout")], 8));
    expect(snippet).toMatch(/^…/);
    expect(snippet).toMatch(/…$/);
    expect(snippet).toContain("[Export] hits the [proxy] [timeouts]");
  });

  it("marks prefixes and every word of a phrase", () => {
    const snippet = marked(
      makeSnippet("Pagination of the rate limit page", [term("pagin", true), term("rate limit")]),
    );
    expect(snippet).toBe("[Pagination] of the [rate] [limit] page");
  });

  it("starts at the beginning when no term is in the body, and is empty for an empty body", () => {
    expect(makeSnippet("one two three four", [term("zeppelin")], 3)).toBe("one two three…");
    expect(makeSnippet("", [term("x")])).toBe("");
  });

  it("keeps punctuation and spacing between the words it shows", () => {
    expect(marked(makeSnippet("Fix: the proxy, (again).", [term("proxy")]))).toBe("Fix: the [proxy], (again");
  });
});
