import { describe, expect, it } from "vitest";
import { parseRelatedTarget } from "../../src/cli/commands/related/options.js";
import { parseTimelineOptions } from "../../src/cli/commands/timeline/options.js";
import { lexicalScore } from "../../src/search/lexical.js";
import { usageMessage as usage } from "../support/usage.js";

const gitlab = "https://gitlab.example.com";
const issue = (iid: number, projectPath?: string) => ({
  kind: "entity",
  type: "issue",
  iid,
  ...(projectPath ? { projectPath } : {}),
});
const mr = (iid: number, projectPath?: string) => ({
  kind: "entity",
  type: "merge_request",
  iid,
  ...(projectPath ? { projectPath } : {}),
});

describe("parseRelatedTarget", () => {
  it.each<[string[], object]>([
    [["issue", "42"], issue(42)],
    [["issue", "#42"], issue(42)],
    [["mr", "!7"], mr(7)],
    [["MR", "7"], mr(7)],
    [["merge_request", "7"], mr(7)],
    [["issue 42"], issue(42)],
    [["issue:42"], issue(42)],
    [["m:7"], mr(7)],
    [["#42"], issue(42)],
    [["acme/api!7"], mr(7, "acme/api")],
    [[`${gitlab}/acme/api/-/issues/42`], issue(42, "acme/api")],
    [[`${gitlab}/acme/api/merge_requests/7`], mr(7, "acme/api")],
    [["export times out"], { kind: "text", text: "export times out" }],
    [["issue", "with", "login"], { kind: "text", text: "issue with login" }],
    [["issue", "login"], { kind: "text", text: "issue login" }],
    [["42"], { kind: "text", text: "42" }],
  ])("reads %j", (args, target) => {
    expect(parseRelatedTarget(args, gitlab)).toEqual(target);
  });

  it.each<[string[], string]>([
    [["issue"], "issue: give its IID, e.g. issue 42"],
    [["mr", "0"], "mr 0: an IID is a positive integer (issue:42, mr:7)"],
    [["issue", "#0"], "issue #0: an IID is a positive integer (issue:42, mr:7)"],
    [["issue", "!4"], "issue !4: an issue is #IID"],
    [["  "], "an issue or merge request is needed: issue:42, mr:7, group/project#42 or an issue/MR URL"],
    [[], "an issue or merge request is needed: issue:42, mr:7, group/project#42 or an issue/MR URL"],
    [
      ["https://elsewhere.example/acme/api/-/issues/1"],
      "https://elsewhere.example/acme/api/-/issues/1 is not an issue or merge request URL of https://gitlab.example.com",
    ],
  ])("rejects %j as USAGE", (args, message) => {
    expect(usage(() => parseRelatedTarget(args, gitlab))).toBe(message);
  });

  it("rejects a reference to another project than -p's", () => {
    expect(usage(() => parseRelatedTarget(["acme/web#3"], gitlab, "acme/api"))).toBe(
      "acme/web#3 is in acme/web, but -p names acme/api",
    );
    expect(parseRelatedTarget(["ACME/API#3"], gitlab, "acme/api")).toEqual(issue(3, "ACME/API"));
  });

  // One parser: whatever names an entity for related names the same one for timeline.
  it.each([["issue", "42"], ["mr !7"], ["i:3"], [`${gitlab}/acme/api/-/work_items/5`]])(
    "timeline reads %j as related does",
    (...args) => {
      const seed = parseTimelineOptions(args, {}, ["acme/api"], gitlab).seed;
      expect(seed).toEqual(parseRelatedTarget(args, gitlab));
    },
  );
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
