import { describe, expect, it } from "vitest";
import { parseHalfLife, parseWhoOptions } from "../../src/cli/commands/who/options.js";
import { isLoreError } from "../../src/core/errors.js";
import { withoutCode } from "../../src/core/markdown-code.js";
import { isBotUsername } from "../../src/people/bots.js";
import { type Candidate, inboxEntries } from "../../src/people/inbox.js";
import { mentionsUser } from "../../src/people/mentions.js";
import { directoryOf, median, topDirectories } from "../../src/people/reviews.js";
import { compareRanked, contributionScore, recencyWeight, roundScore } from "../../src/people/scoring.js";

const NOW = Date.parse("2025-01-01T00:00:00Z");
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000).toISOString();

describe("recency weight", () => {
  it.each([
    [0, 180, 1],
    [180, 180, 0.5],
    [360, 180, 0.25],
    [90, 180, Math.SQRT1_2],
    [30, 30, 0.5],
    [-10, 180, 1], // dated in the future: no bonus
  ])("%i days old with a half-life of %i days weighs %f", (age, halfLife, expected) => {
    expect(recencyWeight(daysAgo(age), NOW, halfLife)).toBeCloseTo(expected, 10);
  });

  it("scales by the kind of contribution", () => {
    expect(contributionScore("authored", daysAgo(0), NOW, 180)).toBe(1);
    expect(contributionScore("reviewed", daysAgo(0), NOW, 180)).toBe(0.5);
    expect(contributionScore("diff_note", daysAgo(180), NOW, 180)).toBeCloseTo(0.1, 10);
  });

  it("puts a recent author above one from three years ago", () => {
    expect(contributionScore("authored", daysAgo(30), NOW, 180)).toBeGreaterThan(
      3 * contributionScore("authored", daysAgo(3 * 365), NOW, 180),
    );
  });
});

describe("ranking", () => {
  const p = (username: string, score: number, last_active_at: string) => ({
    username,
    score,
    last_active_at,
  });
  it.each([
    ["higher score first", [p("a", 1, "2024-01-01"), p("b", 2, "2023-01-01")], ["b", "a"]],
    ["ties: more recently active first", [p("a", 1, "2023-01-01"), p("b", 1, "2024-01-01")], ["b", "a"]],
    ["then by name", [p("b", 1, "2024-01-01"), p("a", 1, "2024-01-01")], ["a", "b"]],
  ])("%s", (_name, people, expected) => {
    expect([...people].sort(compareRanked).map((x) => x.username)).toEqual(expected);
  });

  it("rounds shown scores to three decimals", () => {
    expect(roundScore(1.23456)).toBe(1.235);
  });
});

describe("bots", () => {
  it.each([
    ["renovate-bot", true],
    ["dependabot", true],
    ["GitLab-Bot", true],
    ["project_123_bot_4f2a9c", true],
    ["group_45_bot", true],
    ["ghost", true],
    ["alice", false],
    ["bottle", false],
    ["project_bot", true], // ends in "bot"
    ["projects_1_botanist", false],
    ["ghostwriter", false],
  ])("%s is a bot: %s", (username, expected) => {
    expect(isBotUsername(username)).toBe(expected);
  });
});

describe("code in markdown", () => {
  it.each([
    ["plain `code` text", "plain        text"],
    ["``a ` b`` c", `${" ".repeat(9)} c`],
    ["unmatched ` tick", "unmatched ` tick"],
    ["before\n```js\n@alice\n```\nafter", "before\n\n\n\nafter"],
    ["~~~\n@alice\n~~~~\nafter", "\n\n\nafter"],
    ["```\nnever closed\n@alice", "\n\n"],
  ])("%j", (input, expected) => {
    expect(withoutCode(input)).toBe(expected);
  });
});

describe("mentions", () => {
  it.each([
    ["@alice please look", true],
    ["cc @Alice", true],
    ["(@alice)", true],
    ["thanks @alice.", true],
    ["@alice, @bob", true],
    ["@alicex", false],
    ["@alice-bot", false],
    ["@alice.smith", false],
    ["mail alice@alice.example", false],
    ["write to bob@alice", false],
    ["`@alice`", false],
    ["```\n@alice\n```", false],
    ["no mention", false],
    ["", false],
  ])("%j mentions alice: %s", (text, expected) => {
    expect(mentionsUser(text, "alice")).toBe(expected);
  });

  it("treats regex characters in names literally", () => {
    expect(mentionsUser("@a.b", "a.b")).toBe(true);
    expect(mentionsUser("@axb", "a.b")).toBe(false);
  });
});

describe("inbox entries", () => {
  const NOW = Date.parse("2024-01-02T01:00:00.000Z");
  const candidate = (partial: Partial<Candidate>): Candidate => ({
    seq: 1,
    source: "note",
    id: 1,
    entity_type: "issue",
    project: "g/p",
    iid: 1,
    title: "t",
    web_url: "https://gitlab.example.com/g/p/-/issues/1",
    synced_at: "2024-01-02T00:00:00.000Z",
    author_username: "bob",
    body: "",
    at: "2024-01-01T00:00:00.000Z",
    on_theirs: 0,
    ...partial,
  });

  it("calls a mention a mention even on the user's own item, and keeps replies", () => {
    const entries = inboxEntries(
      [
        candidate({ id: 1, body: "@alice look", on_theirs: 1 }),
        candidate({ id: 2, body: "a reply", on_theirs: 1 }),
        candidate({ id: 3, body: "`@alice` is code", on_theirs: 0 }),
      ],
      "alice",
      NOW,
    );
    expect(entries.map((e) => [e.kind, e.url])).toEqual([
      ["mention", "https://gitlab.example.com/g/p/-/issues/1#note_1"],
      ["reply", "https://gitlab.example.com/g/p/-/issues/1#note_2"],
    ]);
    // As fresh as the issue they are on.
    expect(entries[0]).toMatchObject({ synced_at: "2024-01-02T00:00:00.000Z", age_seconds: 3_600 });
  });

  it("keeps an edited description once, at its latest arrival", () => {
    const entries = inboxEntries(
      [
        candidate({ seq: 1, source: "description", id: 9, body: "@alice v1" }),
        candidate({ seq: 5, source: "note", id: 9, body: "@alice note" }),
        candidate({ seq: 7, source: "description", id: 9, body: "@alice v2" }),
      ],
      "alice",
      NOW,
    );
    expect(entries.map((e) => [e.seq, e.excerpt])).toEqual([
      [5, "@alice note"],
      [7, "@alice v2"],
    ]);
    expect(entries[1]?.url).toBe("https://gitlab.example.com/g/p/-/issues/1");
  });
});

describe("review statistics", () => {
  it.each([
    [[], null],
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 2, 3], 2.5],
  ])("median of %j is %s", (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it.each([
    ["src/a/b.ts", "src/a/"],
    ["Makefile", "Makefile"],
    ["a/b", "a/"],
  ])("the directory of %s is %s", (path, expected) => {
    expect(directoryOf(path)).toBe(expected);
  });

  it("counts distinct MRs per directory, most first, then by name", () => {
    expect(
      topDirectories([
        { merge_request_id: 1, new_path: "src/a.ts" },
        { merge_request_id: 1, new_path: "src/b.ts" },
        { merge_request_id: 2, new_path: "src/c.ts" },
        { merge_request_id: 2, new_path: "docs/x.md" },
        { merge_request_id: 3, new_path: "app/y.rb" },
      ]),
    ).toEqual([
      { path: "src/", mrs: 2 },
      { path: "app/", mrs: 1 },
      { path: "docs/", mrs: 1 },
    ]);
  });
});

describe("who options", () => {
  const parse = (target: string | undefined, options: Record<string, unknown> = {}) =>
    parseWhoOptions(options, target, NOW);

  it.each([
    ["src/auth/", {}, "expert"],
    ["@alice", {}, "workload"],
    ["@alice", { reviews: true }, "reviews"],
    [undefined, { active: true }, "active"],
    [undefined, { overlap: "src/a.ts" }, "overlap"],
  ])("%s %j asks the %s question", (target, options, mode) => {
    expect(parse(target, options).mode).toBe(mode);
  });

  it("reads the expert settings", () => {
    const request = parse("src/auth/", {
      halfLife: "90",
      explain: true,
      includeBots: true,
      since: "30d",
      limit: "5",
    });
    expect(request).toMatchObject({
      mode: "expert",
      halfLifeDays: 90,
      explain: true,
      includeBots: true,
      limit: 5,
      since: new Date(NOW - 30 * 86_400_000).toISOString(),
    });
  });

  it.each([
    [undefined, {}],
    ["src/", { active: true }],
    ["@alice", { overlap: "src/" }],
    [undefined, { active: true, overlap: "src/" }],
    ["src/", { reviews: true }],
    [undefined, { reviews: true }],
    ["@alice", { explain: true }],
    ["@alice", { halfLife: "30" }],
    ["@", {}],
    ["@al ice", {}],
    ["/", {}],
    ["src/", { limit: "0" }],
    ["src/", { since: "yesterday" }],
  ])("%s %j is a usage error", (target, options) => {
    let caught: unknown;
    try {
      parse(target, options);
    } catch (error) {
      caught = error;
    }
    expect(isLoreError(caught, "USAGE")).toBe(true);
  });

  it.each([
    [undefined, 180],
    ["90", 90],
    ["0.5", 0.5],
  ])("--half-life %s is %f days", (value, days) => {
    expect(parseHalfLife(value)).toBe(days);
  });

  it.each(["0", "-3", "abc", "1e3"])("--half-life %s is refused", (value) => {
    expect(() => parseHalfLife(value)).toThrow(/half-life/);
  });
});
