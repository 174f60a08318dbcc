import { describe, expect, it } from "vitest";
import {
  DESCRIPTION_LIMIT,
  embeddingText,
  joinDocument,
  renderDiscussionDocument,
  renderEntityDocument,
  truncate,
} from "../../src/documents/render.js";

const issue = {
  type: "issue" as const,
  project: "group/proj",
  iid: 42,
  title: "Login fails",
  state: "opened",
  labels: ["auth", "bug"],
  author: "alice",
  assignees: ["bob"],
  milestone: "v1.2",
  createdAt: "2024-01-01T00:00:00.000Z",
  updatedAt: "2024-01-02T00:00:00.000Z",
  closedAt: null,
  webUrl: "https://gitlab.example.com/group/proj/-/issues/42",
  description: "## Steps\n\n1. open the page\n2. log in",
  threads: [
    { author: "bob", createdAt: "2024-01-01T10:00:00.000Z", body: "I can reproduce\nwith SSO", replies: 2 },
  ],
};

describe("renderEntityDocument", () => {
  it("renders an issue as a metadata header and a body of description and discussion digest", () => {
    expect(renderEntityDocument(issue)).toEqual({
      header: [
        "Issue group/proj#42: Login fails",
        "State: opened | Labels: auth, bug | Author: @alice | Assignees: @bob",
        "Milestone: v1.2",
        "Created: 2024-01-01T00:00:00.000Z | Updated: 2024-01-02T00:00:00.000Z",
        "URL: https://gitlab.example.com/group/proj/-/issues/42",
      ].join("\n"),
      body: [
        "## Steps\n\n1. open the page\n2. log in",
        "",
        "Discussion (1 thread):",
        "- @bob: I can reproduce with SSO (+2 replies)",
      ].join("\n"),
    });
  });

  it("has an empty body when there is no prose, and embeds the title and body only", () => {
    const bare = renderEntityDocument({ ...issue, description: null, threads: [] });
    expect(bare.body).toBe("");
    expect(embeddingText("Login fails", bare.body)).toBe("Login fails");
    const doc = renderEntityDocument(issue);
    expect(embeddingText(issue.title, doc.body)).toBe(`Login fails\n\n${doc.body}`);
    expect(embeddingText(issue.title, doc.body)).not.toContain("State:");
  });

  it("stores header and body with the body's start counted in code points", () => {
    const stored = joinDocument({ header: "Labels: 🦊", body: "text" });
    expect(stored.content).toBe("Labels: 🦊\n\ntext");
    expect(stored.headerChars).toBe(11);
    expect([...stored.content].slice(stored.headerChars).join("")).toBe("text");
  });

  it("lists an MR's branches and changed files", () => {
    const { header, body } = renderEntityDocument({
      ...issue,
      type: "merge_request",
      iid: 7,
      sourceBranch: "fix-login",
      targetBranch: "main",
      mergedAt: "2024-01-03T00:00:00.000Z",
      threads: [],
      changedFiles: [
        { path: "src/a.ts", flag: null },
        { path: "src/b.ts", flag: "new" },
        { path: "src/c.ts", flag: "renamed", oldPath: "src/old.ts" },
      ],
    });
    expect(header).toContain("Merge request group/proj!7: Login fails");
    expect(header).toContain("Branches: fix-login → main");
    expect(header).toContain("Merged: 2024-01-03T00:00:00.000Z");
    expect(body).toContain(
      "Changed files (3):\n- src/a.ts\n- src/b.ts (new)\n- src/c.ts (renamed from src/old.ts)",
    );
  });

  it("is deterministic and cuts huge descriptions with a marker", () => {
    const huge = { ...issue, description: "x".repeat(DESCRIPTION_LIMIT + 500) };
    expect(renderEntityDocument(huge)).toEqual(renderEntityDocument(huge));
    expect(renderEntityDocument(huge).body).toContain("[… truncated 500 characters]");
    expect(truncate("short", 10)).toBe("short");
  });
});

describe("renderDiscussionDocument", () => {
  it("names its parent in the header and carries every note with author and DiffNote location", () => {
    const text = renderDiscussionDocument({
      parentType: "merge_request",
      project: "group/proj",
      iid: 7,
      parentTitle: "Fix login",
      webUrl: "https://h/group/proj/-/merge_requests/7#note_1",
      notes: [
        {
          author: "bob",
          createdAt: "2024-01-01T00:00:00.000Z",
          body: "Why this?",
          system: false,
          location: "src/a.ts line 27",
        },
        {
          author: "alice",
          createdAt: "2024-01-01T01:00:00.000Z",
          body: "Because.",
          system: false,
          location: null,
        },
      ],
    });
    expect(text).toEqual({
      header: [
        "Discussion on merge request group/proj!7: Fix login",
        "URL: https://h/group/proj/-/merge_requests/7#note_1",
      ].join("\n"),
      body: ["@bob on src/a.ts line 27:", "Why this?", "", "@alice:", "Because."].join("\n"),
    });
  });
});
