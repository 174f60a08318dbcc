import { describe, expect, it } from "vitest";
import { parseRelatedTarget } from "../../src/cli/commands/related/run.js";
import { isLoreError } from "../../src/core/errors.js";
import { lexicalScore } from "../../src/search/lexical.js";

describe("parseRelatedTarget", () => {
  it.each([
    [["issue", "42"], { kind: "entity", type: "issue", iid: 42 }],
    [["issue", "#42"], { kind: "entity", type: "issue", iid: 42 }],
    [["mr", "!7"], { kind: "entity", type: "merge_request", iid: 7 }],
    [["MR", "7"], { kind: "entity", type: "merge_request", iid: 7 }],
    [["merge_request", "7"], { kind: "entity", type: "merge_request", iid: 7 }],
    [["export times out"], { kind: "text", text: "export times out" }],
    [["issue", "with", "login"], { kind: "text", text: "issue with login" }],
    [["issue", "login"], { kind: "text", text: "issue login" }],
    [["42"], { kind: "text", text: "42" }],
  ])("reads %j", (args, target) => {
    expect(parseRelatedTarget(args)).toEqual(target);
  });

  it.each([[["issue"]], [["mr", "0"]], [["issue", "#0"]], [["  "]], [[]]])("rejects %j as USAGE", (args) => {
    let caught: unknown;
    try {
      parseRelatedTarget(args);
    } catch (error) {
      caught = error;
    }
    expect(isLoreError(caught, "USAGE")).toBe(true);
  });
});

describe("lexicalScore", () => {
  it("sorts by terms matched first, then bm25", () => {
    const ordered = [
      lexicalScore(3, 0.1),
      lexicalScore(2, 500),
      lexicalScore(2, 4),
      lexicalScore(2, 0),
      lexicalScore(1, 1e9),
    ];
    expect(ordered).toEqual([...ordered].sort((a, b) => b - a));
    expect(lexicalScore(2, 1)).toBe(2.5);
    expect(lexicalScore(1, -3)).toBe(1);
  });
});
