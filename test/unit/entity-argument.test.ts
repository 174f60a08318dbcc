import { describe, expect, it } from "vitest";
import { isLoreError } from "../../src/core/errors.js";
import { parseEntityArgument } from "../../src/history/entity-argument.js";

const gitlab = "https://gitlab.example.com/gitlab";

describe("parseEntityArgument", () => {
  it.each([
    ["issue:42", { kind: "entity", type: "issue", iid: 42 }],
    ["i:42", { kind: "entity", type: "issue", iid: 42 }],
    ["ISSUE:42", { kind: "entity", type: "issue", iid: 42 }],
    ["mr:7", { kind: "entity", type: "merge_request", iid: 7 }],
    ["m:7", { kind: "entity", type: "merge_request", iid: 7 }],
    ["#42", { kind: "entity", type: "issue", iid: 42 }],
    ["!7", { kind: "entity", type: "merge_request", iid: 7 }],
    ["acme/api#42", { kind: "entity", type: "issue", iid: 42, projectPath: "acme/api" }],
    ["a/b/c!7", { kind: "entity", type: "merge_request", iid: 7, projectPath: "a/b/c" }],
    [
      "https://gitlab.example.com/gitlab/acme/api/-/merge_requests/7/diffs",
      { kind: "entity", type: "merge_request", iid: 7, projectPath: "acme/api" },
    ],
    [
      "https://gitlab.example.com/gitlab/acme/api/-/work_items/3",
      { kind: "entity", type: "issue", iid: 3, projectPath: "acme/api" },
    ],
    ["  login fails  ", { kind: "query", text: "login fails" }],
    ["#42 crashes", { kind: "query", text: "#42 crashes" }],
    ["api#42", { kind: "query", text: "api#42" }],
    ["note: retry", { kind: "query", text: "note: retry" }],
  ])("%j", (text, expected) => {
    expect(parseEntityArgument(text, gitlab, true)).toEqual(expected);
  });

  it.each([
    "issue:0",
    "issue:x",
    "mr:",
    "i:99999999999",
    "!0",
    "",
    "https://gitlab.com/acme/api/-/issues/1",
    "https://gitlab.example.com/gitlab/groups/acme/-/epics/1",
  ])("%j is USAGE", (text) => {
    let caught: unknown;
    try {
      parseEntityArgument(text, gitlab, true);
    } catch (error) {
      caught = error;
    }
    expect(isLoreError(caught, "USAGE")).toBe(true);
  });

  it("free text is USAGE where only an entity will do", () => {
    expect(() => parseEntityArgument("login fails", gitlab, false)).toThrow(/expected issue:42/);
  });
});
