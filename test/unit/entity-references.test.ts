import { describe, expect, it } from "vitest";
import {
  type DerivedReference,
  deriveReferences,
  type OwnerNote,
  type ReferenceData,
} from "../../src/history/entity-references.js";
import { instanceUrl } from "../../src/history/reference-store.js";

const here = "acme/api";

function data(
  partial: Omit<Partial<ReferenceData>, "owner"> & { owner?: Partial<ReferenceData["owner"]> } = {},
): ReferenceData {
  return {
    gitlabUrl: "https://gitlab.example.com",
    notes: [],
    closesIssues: [],
    closedBy: [],
    relatedMergeRequests: [],
    ...partial,
    owner: {
      type: "issue",
      projectPath: here,
      iid: 42,
      title: "A title",
      description: null,
      createdAt: "2024-01-01T00:00:00.000Z",
      author: "alice",
      ...partial.owner,
    },
  };
}

const note = (id: number, body: string, system = false): OwnerNote => ({
  id,
  body,
  system,
  createdAt: `2024-01-0${id}T00:00:00.000Z`,
  author: system ? "gitlab-bot" : "bob",
});

/** `source > target kind origin detail @actor at noteId`, for compact tables. */
const show = (r: DerivedReference) => {
  const end = (t: DerivedReference["source"]) =>
    t.kind === "commit"
      ? `${t.projectPath}@${t.sha}`
      : `${t.projectPath}${t.kind === "issue" ? "#" : "!"}${t.iid}`;
  return `${end(r.source)} > ${end(r.target)} ${r.kind} ${r.origin}${r.detail ? ` ${r.detail}` : ""} @${r.actor ?? "-"} ${r.referencedAt ?? "-"} ${r.noteId ?? "-"}`;
};

describe("deriveReferences", () => {
  it.each<[string, ReferenceData, string[]]>([
    [
      "a title and a description mention, timed by the owner's creation",
      data({ owner: { title: "Follow-up to #7", description: "Also acme/web!3, but not `#9`." } }),
      [
        "acme/api#42 > acme/api#7 mentioned title @alice 2024-01-01T00:00:00.000Z -",
        "acme/api#42 > acme/web!3 mentioned description @alice 2024-01-01T00:00:00.000Z -",
      ],
    ],
    [
      "a user note, timed and signed by the note",
      data({ notes: [note(2, "See https://gitlab.example.com/acme/api/-/merge_requests/5#note_1")] }),
      ["acme/api#42 > acme/api!5 mentioned note @bob 2024-01-02T00:00:00.000Z 2"],
    ],
    [
      "'mentioned in' says the other entity references this one",
      data({ notes: [note(3, "mentioned in merge request !12", true)] }),
      ["acme/api!12 > acme/api#42 mentioned system_note mentioned_in @gitlab-bot 2024-01-03T00:00:00.000Z 3"],
    ],
    [
      "'closed via' a commit closes from the commit",
      data({ notes: [note(4, "closed via commit 0123abcd", true)] }),
      [
        "acme/api@0123abcd > acme/api#42 closes system_note closed_via @gitlab-bot 2024-01-04T00:00:00.000Z 4",
      ],
    ],
    [
      "'created merge request … to address this issue' relates the MR to the issue it came from",
      data({ notes: [note(5, "created merge request !7 to address this issue", true)] }),
      ["acme/api!7 > acme/api#42 related system_note addresses @gitlab-bot 2024-01-05T00:00:00.000Z 5"],
    ],
    [
      "issue links and moves, both ways round, as related",
      data({
        notes: [
          note(1, "marked this issue as related to #8", true),
          note(2, "marked #9 as a duplicate of this issue", true),
          note(3, "moved from acme/old#2", true),
          note(4, "moved to acme/new#11", true),
        ],
      }),
      [
        "acme/api#42 > acme/api#8 related system_note related_to @gitlab-bot 2024-01-01T00:00:00.000Z 1",
        "acme/api#9 > acme/api#42 related system_note duplicate_of @gitlab-bot 2024-01-02T00:00:00.000Z 2",
        "acme/old#2 > acme/api#42 related system_note moved_to @gitlab-bot 2024-01-03T00:00:00.000Z 3",
        "acme/api#42 > acme/new#11 related system_note moved_to @gitlab-bot 2024-01-04T00:00:00.000Z 4",
      ],
    ],
    [
      "other system notes and a user note quoting one are not cross-references",
      data({ notes: [note(1, "assigned to @dave", true), note(2, "changed the description", true)] }),
      [],
    ],
    [
      "an MR's closed issues are its own act; external tracker items are skipped",
      data({
        owner: { type: "merge_request", iid: 7, author: "carol" },
        closesIssues: [
          { projectPath: here, iid: 42 },
          { projectPath: "acme/web", iid: 3 },
          { projectPath: null, iid: null },
        ],
      }),
      [
        "acme/api!7 > acme/api#42 closes closes_issues @carol 2024-01-01T00:00:00.000Z -",
        "acme/api!7 > acme/web#3 closes closes_issues @carol 2024-01-01T00:00:00.000Z -",
      ],
    ],
    [
      "an issue's closing and related MRs are timed by the MR, later",
      data({
        closedBy: [{ projectPath: here, iid: 7 }],
        relatedMergeRequests: [{ projectPath: "acme/web", iid: 3 }],
      }),
      [
        "acme/api!7 > acme/api#42 closes closed_by @- - -",
        "acme/web!3 > acme/api#42 related related_merge_requests @- - -",
      ],
    ],
    [
      "a reference to itself, and the same reference twice in one text, count once or not at all",
      data({ owner: { description: "#42 relates to #7 and #7" } }),
      ["acme/api#42 > acme/api#7 mentioned description @alice 2024-01-01T00:00:00.000Z -"],
    ],
  ])("%s", (_name, input, expected) => {
    expect(deriveReferences(input).map(show)).toEqual(expected);
  });

  it("keeps the same mention from different places apart", () => {
    const rows = deriveReferences(
      data({ owner: { description: "#7" }, notes: [note(1, "#7"), note(2, "again #7")] }),
    );
    expect(rows.map((r) => [r.origin, r.noteId])).toEqual([
      ["description", null],
      ["note", 1],
      ["note", 2],
    ]);
    expect(rows.every((r) => r.target.kind === "issue" && r.target.iid === 7)).toBe(true);
  });

  it("ignores web URLs of another instance", () => {
    expect(
      deriveReferences(data({ owner: { description: "https://gitlab.com/acme/api/-/issues/3" } })),
    ).toEqual([]);
  });
});

describe("instanceUrl", () => {
  it.each([
    ["https://gitlab.example.com/acme/api", "acme/api", "https://gitlab.example.com"],
    ["https://example.com/gitlab/acme/api/", "acme/api", "https://example.com/gitlab"],
    ["https://gitlab.example.com/Acme/API", "acme/api", "https://gitlab.example.com"],
    ["https://gitlab.example.com/acme/renamed", "acme/api", "https://gitlab.example.com"],
    [null, "acme/api", ""],
    ["not a url", "acme/api", ""],
  ])("%s (%s) → %s", (webUrl, path, expected) => {
    expect(instanceUrl(webUrl, path)).toBe(expected);
  });
});
