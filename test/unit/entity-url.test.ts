import { describe, expect, it } from "vitest";
import { parseEntityUrl, projectFromWebUrl } from "../../src/gitlab/entity-url.js";

it.each([
  [
    "https://gitlab.com/group/sub/proj/-/issues/42",
    "https://gitlab.com",
    { projectPath: "group/sub/proj", type: "issue", iid: 42 },
  ],
  [
    "https://gitlab.com/group/proj/-/work_items/5?x=1",
    "https://gitlab.com/",
    { projectPath: "group/proj", type: "issue", iid: 5 },
  ],
  [
    "https://gitlab.com/group/proj/-/issues/incident/9",
    "https://gitlab.com",
    { projectPath: "group/proj", type: "issue", iid: 9 },
  ],
  [
    "https://gitlab.com/group/proj/-/merge_requests/7/diffs#note_1",
    "https://gitlab.com/api/v4",
    { projectPath: "group/proj", type: "merge_request", iid: 7 },
  ],
  [
    "https://gitlab.com/group/proj/issues/3",
    "https://gitlab.com",
    { projectPath: "group/proj", type: "issue", iid: 3 },
  ],
  [
    "https://h.example/gitlab/team/api/-/issues/4",
    "https://h.example/gitlab",
    { projectPath: "team/api", type: "issue", iid: 4 },
  ],
  [
    "https://h.example/gitlab/team/api/-/issues/4",
    "https://h.example/gitlab/api/v4/",
    { projectPath: "team/api", type: "issue", iid: 4 },
  ],
])("parses %s", (url, base, expected) => {
  expect(parseEntityUrl(url, base)).toEqual(expected);
});

it.each([
  ["https://other.com/group/proj/-/issues/1", "https://gitlab.com"],
  ["https://gitlab.com/groups/g/-/work_items/5", "https://gitlab.com"],
  ["https://gitlab.com/groups/g/-/epics/5", "https://gitlab.com"],
  ["https://gitlab.com/group/proj/-/pipelines/5", "https://gitlab.com"],
  ["https://h.example/elsewhere/team/api/-/issues/4", "https://h.example/gitlab"],
  ["not a url", "https://gitlab.com"],
])("rejects %s", (url, base) => {
  expect(parseEntityUrl(url, base)).toBeUndefined();
});

describe("projectFromWebUrl", () => {
  it.each([
    ["https://gitlab.com/group/proj/-/merge_requests/7", "group/proj"],
    // Older GitLab (and some link payloads) serve web URLs without the /-/ separator.
    ["https://gitlab.example.com/group/sub/proj/merge_requests/7", "group/sub/proj"],
    ["https://gitlab.example.com/group/proj/issues/12", "group/proj"],
    ["https://gitlab.com/group/issues/-/issues/5", "group/issues"],
    ["https://gitlab.com/group/proj/-/work_items/3", "group/proj"],
    ["https://gitlab.com/groups/g/-/work_items/3", null],
    ["https://gitlab.com/group/proj", null],
    ["not a url", null],
    [null, null],
  ])("%s → %s", (url, project) => {
    expect(projectFromWebUrl(url)).toBe(project);
  });
});
