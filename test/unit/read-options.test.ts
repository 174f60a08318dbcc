import { describe, expect, it } from "vitest";
import { parseEntityListOptions, parseIid } from "../../src/cli/commands/entities/options.js";
import { parseSearchOptions } from "../../src/cli/commands/search/options.js";
import { usageMessage as usage } from "../support/usage.js";

const projects = ["group/proj", "team/api"];
const now = Date.parse("2024-06-10T12:00:00Z");

describe("parseEntityListOptions", () => {
  it.each([
    [
      {},
      {
        project: undefined,
        state: "opened",
        labels: undefined,
        author: undefined,
        since: undefined,
        limit: 50,
      },
    ],
    [
      { project: "api", state: "all", label: ["bug", "ui"], author: "@alice", since: "7d", limit: "5" },
      {
        project: "team/api",
        state: "all",
        labels: ["bug", "ui"],
        author: "alice",
        since: "2024-06-03T12:00:00.000Z",
        limit: 5,
      },
    ],
    [
      { state: "merged", since: "2024-05-01" },
      { state: "merged", since: "2024-05-01T00:00:00.000Z" },
    ],
    [
      {
        assignee: "@bob",
        reviewer: "carol",
        milestone: " v2.0 ",
        draft: false,
        targetBranch: "main",
        sourceBranch: "fix/login",
        search: "Rate Limit",
        createdSince: "30d",
        dueBefore: "2024-07-01",
        sort: "created",
        asc: true,
      },
      {
        assignee: "bob",
        reviewer: "carol",
        milestone: "v2.0",
        draft: false,
        targetBranch: "main",
        sourceBranch: "fix/login",
        search: "Rate Limit",
        createdSince: "2024-05-11T12:00:00.000Z",
        dueBefore: "2024-07-01",
        sort: "created",
        ascending: true,
      },
    ],
    [
      { draft: true, sort: "iid" },
      { draft: true, sort: "iid", ascending: false },
    ],
    [{}, { draft: undefined, sort: "updated", ascending: false, search: undefined }],
    [{ dueBefore: "2024-07-01T23:30:00-02:00" }, { dueBefore: "2024-07-02" }],
  ])("parses %o", (flags, expected) => {
    expect(parseEntityListOptions(flags, projects, now)).toMatchObject(expected);
  });

  it.each([
    [{ state: "open" }, "--state open"],
    [{ limit: "0" }, "-n 0"],
    [{ limit: "ten" }, "-n ten"],
    [{ since: "yesterday" }, "--since yesterday"],
    [{ project: "nope" }, "-p nope"],
    [{ project: "proj", label: [" "] }, "--label"],
    [{ author: "@" }, "--author"],
    [{ assignee: " " }, "--assignee needs a username"],
    [{ reviewer: "@" }, "--reviewer needs a username"],
    [{ milestone: "" }, "--milestone needs"],
    [{ targetBranch: " " }, "--target-branch needs"],
    [{ search: "" }, "--search needs"],
    [{ createdSince: "lately" }, "--created-since lately"],
    [{ dueBefore: "soon" }, "--due-before soon"],
    [{ dueBefore: "2024-13-45" }, "--due-before 2024-13-45"],
    [{ sort: "title" }, "--sort title: expected one of updated, created, iid"],
  ])("rejects %o", (flags, fragment) => {
    expect(usage(() => parseEntityListOptions(flags, projects, now))).toContain(fragment);
  });
});

describe("parseIid", () => {
  it.each([
    ["42", "#", 42],
    ["#42", "#", 42],
    ["!7", "!", 7],
    [" 9 ", "!", 9],
  ] as const)("%s (%s) → %d", (raw, sigil, iid) => {
    expect(parseIid(raw, sigil)).toBe(iid);
  });

  it.each([
    ["0", "#"],
    ["-1", "#"],
    ["!7", "#"],
    ["#7", "!"],
    ["1.5", "#"],
    ["abc", "!"],
  ] as const)("rejects %s (%s)", (raw, sigil) => {
    expect(usage(() => parseIid(raw, sigil))).toContain("positive integer");
  });
});

describe("parseSearchOptions", () => {
  it.each([
    [
      ["rate", "limit"],
      {},
      { query: "rate limit", mode: undefined, project: undefined, limit: 20, filters: { type: undefined } },
    ],
    [
      ["login"],
      {
        mode: "lexical",
        project: "proj",
        type: "mr",
        state: "merged",
        label: ["bug"],
        author: "bob",
        limit: "3",
      },
      {
        query: "login",
        mode: "lexical",
        project: "group/proj",
        limit: 3,
        filters: { type: "merge_request", state: "merged", labels: ["bug"], author: "bob" },
      },
    ],
    [
      ["x"],
      { since: "12h", type: "discussion" },
      { filters: { since: "2024-06-10T00:00:00.000Z", type: "discussion" } },
    ],
  ])("parses %o %o", (words, flags, expected) => {
    expect(parseSearchOptions(words, flags, projects, now)).toMatchObject(expected);
  });

  it.each([
    [[" "], {}, "needs words"],
    [["x"], { mode: "fuzzy" }, "--mode fuzzy"],
    [["x"], { type: "issues" }, "--type issues"],
    [["x"], { state: "done" }, "--state done"],
    [["x"], { limit: "-2" }, "-n -2"],
    [["x"], { project: "zzz" }, "-p zzz"],
  ])("rejects %o %o", (words, flags, fragment) => {
    expect(usage(() => parseSearchOptions(words, flags, projects, now))).toContain(fragment);
  });
});
