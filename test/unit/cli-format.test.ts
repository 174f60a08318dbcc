// The human-output helpers: display widths, counts and plurals, times, tables, pager and browser
// commands, Markdown.

import { describe, expect, it } from "vitest";
import { formatCount, plural } from "../../src/cli/format/count.js";
import { renderMarkdown } from "../../src/cli/format/markdown.js";
import { pagerArgv, splitCommandLine } from "../../src/cli/format/pager.js";
import { type Column, fitWidths, renderTable } from "../../src/cli/format/table.js";
import { displayWidth, pad, singleLine, truncate } from "../../src/cli/format/text-width.js";
import { formatDuration, isoSeconds, relativeTime } from "../../src/cli/format/time.js";
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
