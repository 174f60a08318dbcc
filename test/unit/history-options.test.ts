import { describe, expect, it } from "vitest";
import { parseNotesOptions } from "../../src/cli/commands/notes/options.js";
import { parseTimelineOptions } from "../../src/cli/commands/timeline/options.js";
import { usageMessage as usage } from "../support/usage.js";

const projects = ["acme/api", "acme/web"];
const gitlab = "https://gitlab.example.com";
const now = Date.parse("2024-06-10T12:00:00Z");

describe("parseTimelineOptions", () => {
  it.each([
    [
      ["issue:42"],
      {},
      {
        seed: { kind: "entity", type: "issue", iid: 42 },
        project: undefined,
        depth: 1,
        mentions: true,
        since: undefined,
        limit: 200,
      },
    ],
    [
      ["login", "fails"],
      { project: "web", depth: "0", mentions: false, since: "7d", limit: "20" },
      {
        seed: { kind: "query", text: "login fails" },
        project: "acme/web",
        depth: 0,
        mentions: false,
        since: "2024-06-03T12:00:00.000Z",
        limit: 20,
      },
    ],
    [
      ["acme/api!7"],
      { project: "api", depth: "10" },
      {
        seed: { kind: "entity", type: "merge_request", iid: 7, projectPath: "acme/api" },
        project: "acme/api",
        depth: 10,
        mentions: true,
        since: undefined,
        limit: 200,
      },
    ],
  ])("%j %j", (words, flags, expected) => {
    expect(parseTimelineOptions(words, flags, projects, gitlab, now)).toEqual(expected);
  });

  it.each([
    [["issue:1"], { depth: "11" }, "--depth 11: expected an integer from 0 to 10"],
    [["issue:1"], { depth: "-1" }, "--depth -1: expected an integer from 0 to 10"],
    [["issue:1"], { depth: "1.5" }, "--depth 1.5: expected an integer from 0 to 10"],
    [["issue:1"], { limit: "0" }, "-n 0: expected a positive integer"],
    [
      ["issue:1"],
      { since: "yesterday" },
      "--since yesterday: expected an ISO date (2024-05-01) or a span such as 7d, 12h, 2w",
    ],
    [["acme/api#1"], { project: "web" }, "acme/api#1 is in acme/api, but -p names acme/web"],
    [[], {}, "an issue or merge request is needed: issue:42, mr:7, group/project#42 or an issue/MR URL"],
  ])("%j %j is USAGE", (words, flags, message) => {
    expect(usage(() => parseTimelineOptions(words, flags, projects, gitlab, now))).toBe(message);
  });
});

describe("parseNotesOptions", () => {
  it("defaults: user notes, newest created first, 50", () => {
    expect(parseNotesOptions({}, projects, gitlab, now)).toEqual({
      project: undefined,
      author: undefined,
      type: undefined,
      on: undefined,
      pathPrefix: undefined,
      since: undefined,
      unresolved: false,
      contains: undefined,
      sort: "created",
      ascending: false,
      limit: 50,
    });
  });

  it("every flag", () => {
    expect(
      parseNotesOptions(
        {
          project: "api",
          author: "@alice",
          type: "DiffNote",
          on: "mr:7",
          path: "src/",
          since: "2d",
          unresolved: true,
          contains: "flaky",
          sort: "updated",
          asc: true,
          limit: "5",
        },
        projects,
        gitlab,
        now,
      ),
    ).toEqual({
      project: "acme/api",
      author: "alice",
      type: "diffnote",
      on: { kind: "entity", type: "merge_request", iid: 7 },
      pathPrefix: "src/",
      since: "2024-06-08T12:00:00.000Z",
      unresolved: true,
      contains: "flaky",
      sort: "updated",
      ascending: true,
      limit: 5,
    });
  });

  it.each([
    [{ type: "comment" }, "--type comment: expected discussion, diffnote, system, all"],
    [{ sort: "iid" }, "--sort iid: expected created or updated"],
    [{ on: "login fails" }, "login fails: expected issue:42, mr:7, group/project#42 or an issue/MR URL"],
    [{ on: "acme/web#3", project: "api" }, "--on acme/web#3 is in acme/web, but -p names acme/api"],
    [{ path: " " }, "--path needs a path prefix, e.g. --path src/api/"],
    [{ contains: "" }, "--contains needs some text"],
    [{ author: "@" }, "--author needs a username"],
  ])("%j is USAGE", (flags, message) => {
    expect(usage(() => parseNotesOptions(flags, projects, gitlab, now))).toBe(message);
  });
});
