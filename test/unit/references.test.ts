import { describe, expect, it } from "vitest";
import { withoutCode } from "../../src/core/markdown-code.js";
import {
  extractReferences,
  parseSystemNoteReference,
  type ReferenceTarget,
} from "../../src/history/references.js";

const context = { projectPath: "acme/platform/api", gitlabUrl: "https://gitlab.example.com" };
const issue = (projectPath: string, iid: number): ReferenceTarget => ({ kind: "issue", projectPath, iid });
const mr = (projectPath: string, iid: number): ReferenceTarget => ({
  kind: "merge_request",
  projectPath,
  iid,
});
const here = "acme/platform/api";

describe("extractReferences", () => {
  it.each<[string, string, ReferenceTarget[]]>([
    ["a short issue reference", "See #12 for details", [issue(here, 12)]],
    ["a short MR reference", "Fixed in !34.", [mr(here, 34)]],
    ["a full issue reference", "dup of acme/other#7", [issue("acme/other", 7)]],
    ["a full MR reference in a subgroup", "needs a/b/c!9 first", [mr("a/b/c", 9)]],
    ["a project in the same namespace", "like web#5", [issue("acme/platform/web", 5)]],
    [
      "an issue web URL of the instance",
      "see https://gitlab.example.com/acme/other/-/issues/42#note_9.",
      [issue("acme/other", 42)],
    ],
    [
      "a legacy MR URL without /-/",
      "(https://gitlab.example.com/acme/platform/api/merge_requests/8)",
      [mr(here, 8)],
    ],
    ["a work item URL", "<https://gitlab.example.com/acme/platform/api/-/work_items/3>", [issue(here, 3)]],
    ["a URL of another instance", "https://gitlab.com/acme/other/-/issues/42", []],
    ["a URL's own fragment", "https://docs.example.com/guide#12 is long", []],
    [
      "several, deduplicated, in order",
      "#3, !4 and #3 again, then #1",
      [issue(here, 3), mr(here, 4), issue(here, 1)],
    ],
    ["a reference at the start of a line", "#1 is the cause", [issue(here, 1)]],
    ["the +/+s display suffixes", "#5+ and #6+s", [issue(here, 5), issue(here, 6)]],
    ["an HTML entity", "it&#39;s fine", []],
    ["a heading", "# 12 reasons", []],
    ["zero", "#0", []],
    ["an iid beyond GitLab's integer range", "#99999999999", []],
    ["a Markdown image", "![shot](x.png)", []],
    ["a .git path", "repo.git#4", []],
    ["inside a code span", "run `make #12` then #13", [issue(here, 13)]],
    ["inside a double-backtick span", "``a ` #12`` and !2", [mr(here, 2)]],
    ["an unclosed backtick is literal", "a ` #12", [issue(here, 12)]],
    ["inside <code>", "<code>#12</code> #14", [issue(here, 14)]],
  ])("%s", (_name, text, expected) => {
    expect(extractReferences(text, context)).toEqual(expected);
  });

  it("skips fenced code blocks, with backticks or tildes, closed or not", () => {
    const text = [
      "Before #1",
      "```ts",
      "const x = '#2';",
      "```",
      "Middle !3",
      "~~~~",
      "#4",
      "~~~",
      "still code #5",
      "~~~~",
      "After #6",
      "   ```",
      "never closed #7",
    ].join("\n");
    expect(extractReferences(text, context)).toEqual([issue(here, 1), mr(here, 3), issue(here, 6)]);
  });

  it("skips a fence inside a block quote", () => {
    expect(extractReferences("> ```\n> #2\n> ```\n> #3", context)).toEqual([issue(here, 3)]);
  });

  it("never throws on hostile input", () => {
    for (const text of ["", "#", "!", "```", "`".repeat(1000), "#".repeat(10_000), "a/#1", "/#1", "#\u0000"])
      expect(() => extractReferences(text, context)).not.toThrow();
  });
});

describe("withoutCode", () => {
  it("keeps the text's length and line structure outside code", () => {
    const out = withoutCode("a `b` c\n```\nx\n```\nd");
    expect(out.split("\n")[0]).toBe("a     c");
    expect(out.split("\n").at(-1)).toBe("d");
  });
});

describe("parseSystemNoteReference", () => {
  it.each([
    ["mentioned in merge request !12", { relation: "mentioned_in", target: mr(here, 12) }],
    ["mentioned in issue acme/other#7", { relation: "mentioned_in", target: issue("acme/other", 7) }],
    ["Mentioned in issue web#3", { relation: "mentioned_in", target: issue("acme/platform/web", 3) }],
    [
      "mentioned in commit abc1234",
      { relation: "mentioned_in", target: { kind: "commit", projectPath: here, sha: "abc1234" } },
    ],
    [
      "mentioned in commit acme/other@0123456789abcdef",
      {
        relation: "mentioned_in",
        target: { kind: "commit", projectPath: "acme/other", sha: "0123456789abcdef" },
      },
    ],
    ["mentioned in task #9", { relation: "mentioned_in", target: issue(here, 9) }],
    ["closed via merge request !5", { relation: "closed_via", target: mr(here, 5) }],
    ["created merge request !7 to address this issue", { relation: "addressed_by", target: mr(here, 7) }],
    [
      "created merge request web!3 to address this issue",
      { relation: "addressed_by", target: mr("acme/platform/web", 3) },
    ],
    [
      "created merge request acme/fork!12 to address this issue",
      { relation: "addressed_by", target: mr("acme/fork", 12) },
    ],
    [
      "closed via commit deadbeef",
      { relation: "closed_via", target: { kind: "commit", projectPath: here, sha: "deadbeef" } },
    ],
    ["marked this issue as related to #9", { relation: "related_to", target: issue(here, 9) }],
    [
      "marked this issue as a duplicate of other#4",
      { relation: "duplicate_of", target: issue("acme/platform/other", 4) },
    ],
    ["marked #8 as a duplicate of this issue", { relation: "duplicated_by", target: issue(here, 8) }],
    ["moved to acme/new#11", { relation: "moved_to", target: issue("acme/new", 11) }],
    ["moved from acme/old#2", { relation: "moved_from", target: issue("acme/old", 2) }],
  ])("%s", (body, expected) => {
    expect(parseSystemNoteReference(body, context)).toEqual(expected);
  });

  it.each([
    "changed the description",
    "assigned to @alice",
    "mentioned in merge request #12",
    "mentioned in issue !12",
    "mentioned in commit xyz",
    "mentioned in epic &3",
    "created merge request #7 to address this issue",
    "created branch [`7-fix`](/acme/platform/api/-/compare/main...7-fix) to address this issue",
    "created merge request !7",
    "mentioned in issue #0",
    "",
  ])("ignores %j", (body) => {
    expect(parseSystemNoteReference(body, context)).toBeUndefined();
  });
});
