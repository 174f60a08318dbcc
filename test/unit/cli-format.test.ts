// The human-output helpers: display widths, counts and plurals, times, tables, pager and browser
// commands, Markdown.

import { describe, expect, it } from "vitest";
import { formatCount, moreText, plural, showing } from "../../src/cli/format/count.js";
import { entityRef, stateWord } from "../../src/cli/format/entity-ref.js";
import { renderMarkdown } from "../../src/cli/format/markdown.js";
import { pagerArgv, splitCommandLine } from "../../src/cli/format/pager.js";
import { type Column, fitWidths, renderTable } from "../../src/cli/format/table.js";
import { displayWidth, pad, singleLine, truncate } from "../../src/cli/format/text-width.js";
import {
  calendarDay,
  clockTime,
  dayHeading,
  formatDuration,
  isoSeconds,
  relativeTime,
  type UtcOffset,
} from "../../src/cli/format/time.js";
import { browserCommand } from "../../src/cli/open-url.js";
import { plainStyle, type Style } from "../../src/cli/output.js";

describe("display width", () => {
  it.each([
    ["abc", 3],
    ["漢字", 4],
    ["👍🏽", 2],
    ["e\u0301", 1],
    ["\u001b[31mred\u001b[39m", 3],
    ["", 0],
  ])("%j is %d columns", (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });

  it.each([
    ["hello world", 8, "hello w…"],
    ["hello", 5, "hello"],
    ["hello", 1, "…"],
    ["hello", 0, ""],
    ["漢字漢字", 5, "漢字…"],
    ["漢字漢字", 6, "漢字…"],
    ["ab👍🏽cd", 4, "ab…"],
    ["ab👍🏽cd", 5, "ab👍🏽…"],
  ])("truncate(%j, %d) = %j", (text, width, expected) => {
    expect(truncate(text, width)).toBe(expected);
    expect(displayWidth(truncate(text, width))).toBeLessThanOrEqual(width);
  });

  it("pads by display width and flattens cells to one line", () => {
    expect(pad("漢", 4)).toBe("漢  ");
    expect(pad("7", 3, "right")).toBe("  7");
    expect(singleLine("a\nb\t c   d ")).toBe("a b c d");
  });
});

describe("counts", () => {
  it.each([
    [0, "note", "0 notes"],
    [1, "note", "1 note"],
    [2, "note", "2 notes"],
    [1412, "issue", "1,412 issues"],
  ])("plural(%d, %s) = %s", (n, word, expected) => {
    expect(plural(n, word)).toBe(expected);
  });

  it("takes irregular plurals and groups thousands", () => {
    expect(plural(3, "match", "matches")).toBe("3 matches");
    expect(formatCount(1234567)).toBe("1,234,567");
    for (const n of [0, 7, 999, 1000, -1000, -12345, 100000, 9007199254740991, 1234.5, -0.25]) {
      expect(formatCount(n)).toBe(n.toLocaleString("en-US"));
    }
  });

  it.each([
    [20, 134, "Showing 20 of 134 notes"],
    [1, 1, "Showing 1 of 1 note"],
    [50, 1412, "Showing 50 of 1,412 notes"],
  ])("showing(%d, %d) = %s", (shown, total, expected) => {
    expect(showing(shown, total, "note")).toBe(expected);
  });

  it("counts what a cut list left out, with how to see it", () => {
    expect(moreText(0, "person", "people")).toBeUndefined();
    expect(moreText(1, "person", "people")).toBe("… 1 more person (raise -n to see them)");
    expect(moreText(2_500, "note")).toBe("… 2,500 more notes (raise -n to see them)");
    expect(moreText(3, "directory", "directories", null)).toBe("… 3 more directories");
  });
});

describe("entities", () => {
  it.each([
    ["group/proj", "issue", 42, "group/proj#42"],
    ["a/b/c", "merge_request", 7, "a/b/c!7"],
  ])("entityRef(%s, %s, %d) = %s", (project, type, iid, expected) => {
    expect(entityRef(project, type, iid)).toBe(expected);
  });

  it.each([
    ["opened", false, "open"],
    ["opened", true, "draft"],
    ["merged", true, "merged"],
    ["closed", false, "closed"],
    [null, false, "?"],
  ] as const)("stateWord(%s, draft %s) = %s", (state, draft, expected) => {
    expect(stateWord(state, draft)).toBe(expected);
  });
});

describe("times", () => {
  const now = Date.parse("2024-06-10T12:00:00Z");
  it.each([
    ["2024-06-10T11:59:30Z", "just now"],
    ["2024-06-10T11:58:00Z", "2 minutes ago"],
    ["2024-06-10T11:00:00Z", "1 hour ago"],
    ["2024-06-07T12:00:00Z", "3 days ago"],
    ["2024-05-27T12:00:00Z", "14 days ago"],
    ["2024-03-01T12:00:00Z", "3 months ago"],
    ["2022-06-01T12:00:00Z", "2 years ago"],
    ["2024-06-12T12:00:00Z", "in 2 days"],
    ["not a date", "not a date"],
  ])("%s is %s", (iso, expected) => {
    expect(relativeTime(iso, now)).toBe(expected);
  });

  it.each([
    ["2024-05-01T10:00:00.123Z", "2024-05-01T10:00:00Z"],
    ["2024-05-01T12:00:00+02:00", "2024-05-01T10:00:00Z"],
    ["2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"],
  ])("isoSeconds(%s) = %s", (iso, expected) => {
    expect(isoSeconds(iso)).toBe(expected);
  });

  // Days and clock times at an offset: UTC, and eight hours behind it (where 03:00Z is the evening before).
  const pacific: UtcOffset = () => -480;
  it.each([
    ["2024-06-10T03:00:00.500Z", undefined, "2024-06-10", "03:00"],
    ["2024-06-10T03:00:00Z", pacific, "2024-06-09", "19:00"],
    ["2024-06-09T23:59:59+02:00", undefined, "2024-06-09", "21:59"],
  ])("%s is on %s at %s", (iso, offset, day, clock) => {
    expect(calendarDay(iso, offset)).toBe(day);
    expect(clockTime(iso, offset)).toBe(clock);
  });

  it.each([
    ["2024-06-10", undefined, "Today"],
    ["2024-06-09", undefined, "Yesterday"],
    ["2024-06-07", undefined, "2024-06-07 (3 days ago)"],
    ["2023-05-01", undefined, "2023-05-01 (1 year ago)"],
    // 12:00Z is 04:00 on the same day eight hours west: today there too.
    ["2024-06-10", pacific, "Today"],
    ["2024-06-08", pacific, "2024-06-08 (2 days ago)"],
  ])("dayHeading(%s) = %s", (day, offset, expected) => {
    expect(dayHeading(day, now, offset)).toBe(expected);
  });

  it("takes the local calendar's today, not UTC's", () => {
    // 02:00Z on the 11th is still the 10th eight hours west: that day is today there.
    const early = Date.parse("2024-06-11T02:00:00Z");
    expect(dayHeading("2024-06-10", early, pacific)).toBe("Today");
    expect(dayHeading("2024-06-10", early)).toBe("Yesterday");
  });

  it.each([
    [1_260, "1.3s"],
    [9_949, "9.9s"],
    [52_000, "52s"],
    [62_000, "1m 02s"],
    [3_900_000, "1h 05m"],
    [-1, "?"],
  ])("formatDuration(%d) = %s", (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe("tables", () => {
  type Row = { readonly id: string; readonly title: string; readonly who: string };
  const columns: Column<Row>[] = [
    { header: "ID", text: (r) => r.id },
    { header: "TITLE", text: (r) => r.title, shrink: true, minWidth: 5 },
    { header: "WHO", text: (r) => r.who },
  ];
  const rows = [
    { id: "#1", title: "A short one", who: "alice" },
    { id: "#12", title: "漢字のタイトル is wide", who: "bob" },
  ];

  it("aligns columns by display width, without trailing blanks, when nothing limits the width", () => {
    expect(renderTable(columns, rows)).toEqual([
      "ID   TITLE                   WHO",
      "#1   A short one             alice",
      "#12  漢字のタイトル is wide  bob",
    ]);
  });

  it("fits the terminal by cutting the shrinkable column", () => {
    const lines = renderTable(columns, rows, { width: 20 });
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(20);
    expect(lines[2]).toBe("#12  漢字の…   bob");
  });

  it("leaves no trailing blanks after empty cells at the end of a row", () => {
    const empty = [{ id: "#3", title: "Untitled", who: "" }];
    expect(renderTable(columns, empty, { header: false })).toEqual(["#3  Untitled"]);
  });

  it("leaves the header out on request and paints after cutting", () => {
    const [first, ...rest] = columns as [Column<Row>, ...Column<Row>[]];
    const painted: Column<Row>[] = [{ ...first, paint: (t) => `<${t}>` }, ...rest];
    expect(renderTable(painted, rows.slice(0, 1), { header: false })).toEqual(["<#1>  A short one  alice"]);
  });

  it.each([
    // natural, shrinkable, minimums, available, expected
    [[3, 30, 5], [false, true, false], [12, 12, 12], 50, [3, 30, 5]],
    [[3, 30, 5], [false, true, false], [12, 12, 12], 30, [3, 18, 5]],
    [[3, 30, 20], [false, true, true], [12, 12, 12], 30, [3, 11, 12]],
    [[3, 30, 5], [false, true, false], [12, 12, 12], 10, [2, 2, 2]],
  ])("fitWidths(%j, %j, %j, %i)", (natural, shrinkable, minimums, available, expected) => {
    expect(fitWidths(natural, shrinkable, minimums, available, 2)).toEqual(expected);
  });
});

describe("pager and browser commands", () => {
  it.each([
    ["less -FRX", ["less", "-FRX"]],
    ["  more  ", ["more"]],
    [`"/opt/my pager/bin/p" -x 'a b' c\\ d`, ["/opt/my pager/bin/p", "-x", "a b", "c d"]],
    [`say "a \\"b\\""`, ["say", 'a "b"']],
    ["", []],
  ])("splitCommandLine(%j)", (text, argv) => {
    expect(splitCommandLine(text)).toEqual(argv);
  });

  it.each([
    [{}, ["less", "-FRX"]],
    [{ PAGER: "more -s" }, ["more", "-s"]],
    [{ PAGER: "more", LORE_PAGER: "less -S" }, ["less", "-S"]],
    [{ PAGER: "" }, undefined],
    [{ PAGER: "cat" }, undefined],
  ])("pager for %o", (env, argv) => {
    expect(pagerArgv(env)).toEqual(argv);
  });

  it.each([
    [{ BROWSER: "firefox --new-tab" }, "linux", ["firefox", "--new-tab"]],
    [{}, "darwin", ["open"]],
    [{ DISPLAY: ":0" }, "linux", ["xdg-open"]],
    [{ WAYLAND_DISPLAY: "wayland-0" }, "linux", ["xdg-open"]],
    [{}, "linux", undefined],
  ] as const)("browser for %o on %s", (env, platform, argv) => {
    expect(browserCommand(env, platform)).toEqual(argv);
  });
});

describe("markdown", () => {
  const plain = plainStyle;
  const bold: Style = { ...plain, bold: (t) => `*${t}*` };

  it("renders blocks for a terminal", () => {
    const source = [
      "# Steps &amp; notes",
      "",
      "Run **this** with `lore sync`, see [the docs](https://example.com/docs).",
      "",
      "- [x] done",
      "- todo",
      "  1. nested",
      "",
      "```",
      "const x = 1;",
      "```",
      "",
      "> quoted",
      "",
      "<!-- hidden -->",
      "",
      "| a | b |",
      "|---|---|",
      "| 1 | 22 |",
    ].join("\n");
    expect(renderMarkdown(source, { width: 80, style: bold })).toEqual([
      "*Steps & notes*",
      "",
      "Run *this* with lore sync, see the docs (https://example.com/docs).",
      "",
      "• [x] done",
      "• todo",
      "  1. nested",
      "",
      "    const x = 1;",
      "",
      "│ quoted",
      "",
      "*a*  *b*",
      "1  22",
    ]);
  });

  it("wraps paragraphs to the width and leaves code alone", () => {
    const lines = renderMarkdown(`${"word ".repeat(30)}\n\n    ${"x".repeat(60)}`, {
      width: 40,
      style: plain,
    });
    expect(lines.filter((l) => l.startsWith("word")).every((l) => displayWidth(l) <= 40)).toBe(true);
    expect(lines.at(-1)).toBe(`    ${"x".repeat(60)}`);
  });
});
