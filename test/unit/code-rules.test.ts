import { describe, expect, it } from "vitest";
import { type DiffPosition, nearLine, positionLine, positionSpan } from "../../src/code/line-window.js";
import { parsePathQuery, pathMatches } from "../../src/code/path-query.js";
import { followRenames, type RenameStep } from "../../src/code/renames.js";
import { parseTraceTarget } from "../../src/code/trace.js";
import { isLoreError } from "../../src/core/errors.js";

const usage = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return isLoreError(error, "USAGE");
  }
  return false;
};

describe("path arguments", () => {
  it.each([
    ["src/auth/login.ts", "src/auth/login.ts", "src/auth/login.ts/"],
    ["./src/auth/", null, "src/auth/"],
    ["/src//", null, "src/"],
    ["Makefile", "Makefile", "Makefile/"],
  ])("%s is file %s and directory %s", (input, exact, prefix) => {
    const q = parsePathQuery(input);
    expect(q.exact).toBe(exact);
    expect(q.prefix).toBe(prefix);
  });

  it.each([
    ["src/auth", "src/auth", true],
    ["src/auth", "src/auth/login.ts", true],
    ["src/auth", "src/authz/x.ts", false],
    ["src/auth", "src/auth.ts", false],
    ["src/auth/", "src/auth", false],
    ["src/auth/", "src/auth/deep/x.ts", true],
    ["src/auth/", "src/auth0", false],
    ["src/Auth/", "src/auth/x", false],
  ])("%s matches %s: %s", (query, path, expected) => {
    expect(pathMatches(parsePathQuery(query), path)).toBe(expected);
  });

  it.each(["", "  ", ".", "/", "./"])("%j is a usage error", (input) => {
    expect(usage(() => parsePathQuery(input))).toBe(true);
  });
});

describe("trace targets", () => {
  it.each([
    ["src/a.ts:42", "src/a.ts", 42],
    ["src/a.ts", "src/a.ts", null],
    ["weird:name.ts", "weird:name.ts", null],
  ])("%s is %s at line %s", (input, path, line) => {
    const target = parseTraceTarget(input);
    expect([target.path.path, target.line]).toEqual([path, line]);
  });

  it.each(["src/a.ts:0", "src/:3", ":12"])("%s is a usage error", (input) => {
    expect(usage(() => parseTraceTarget(input))).toBe(true);
  });
});

describe("DiffNote lines", () => {
  const at = (partial: DiffPosition): DiffPosition => partial;
  it.each([
    ["a new line", at({ new_line: 42, old_line: null }), 40, true],
    ["11 lines away", at({ new_line: 53 }), 42, false],
    ["exactly 10 lines away", at({ new_line: 52 }), 42, true],
    ["an old line only (a removed line)", at({ old_line: 45, new_line: null }), 42, true],
    [
      "a range around the line",
      at({ new_line: 80, line_range: { start: { new_line: 20 }, end: { new_line: 80 } } }),
      50,
      true,
    ],
    [
      "a range from line codes only",
      at({
        new_line: 27,
        old_line: 27,
        line_range: {
          start: { line_code: "588440f66559714280628a4f9799f0c4eb880a4a_10_10" },
          end: { line_code: "588440f66559714280628a4f9799f0c4eb880a4a_11_11" },
        },
      }),
      1,
      true,
    ],
    ["no lines at all", at({}), 1, false],
  ])("%s", (_name, position, line, expected) => {
    expect(nearLine(position, line)).toBe(expected);
  });

  it("spans both sides and reads the new side first", () => {
    const position = at({
      new_line: 19,
      old_line: null,
      line_range: { start: { old_line: 3, new_line: 17 }, end: null },
    });
    expect(positionSpan(position)).toEqual({ new: [17, 19], old: [3, 3] });
    expect(positionLine(position)).toBe(19);
    expect(positionLine(at({ old_line: 7 }))).toBe(7);
    expect(positionLine(at({}))).toBeNull();
  });
});

describe("rename chains", () => {
  const step = (from: string, to: string, iid: number, at: string): RenameStep => ({
    from,
    to,
    project: "g/p",
    iid,
    at,
  });

  it("follows renames back with each earlier name bounded by its rename", () => {
    const renames = [step("b.ts", "c.ts", 5, "2024-05-01"), step("a.ts", "b.ts", 3, "2024-03-01")];
    const chain = followRenames("c.ts", (path) => renames.filter((r) => r.to === path));
    expect(chain.names).toEqual([
      { path: "c.ts", until: null },
      { path: "b.ts", until: "2024-05-01" },
      { path: "a.ts", until: "2024-03-01" },
    ]);
    expect(chain.renames.map((r) => r.iid)).toEqual([5, 3]);
    expect(chain.truncated).toBe(false);
  });

  it("ignores a rename into an earlier name that happened after that name was retired", () => {
    // x.ts became c.ts in May; in July an unrelated file was renamed to x.ts.
    const renames = [step("x.ts", "c.ts", 5, "2024-05-01"), step("y.ts", "x.ts", 9, "2024-07-01")];
    const chain = followRenames("c.ts", (path) => renames.filter((r) => r.to === path));
    expect(chain.names.map((n) => n.path)).toEqual(["c.ts", "x.ts"]);
  });

  it("stops at a cycle and at the hop limit", () => {
    const cycle = [step("b", "a", 2, "2024-02-01"), step("a", "b", 1, "2024-01-01")];
    expect(followRenames("a", (path) => cycle.filter((r) => r.to === path)).names.map((n) => n.path)).toEqual(
      ["a", "b"],
    );
    const long = Array.from({ length: 30 }, (_, i) =>
      step(`f${i + 1}`, `f${i}`, i, new Date(Date.UTC(2024, 0, 30 - i)).toISOString()),
    );
    const chain = followRenames("f0", (path) => long.filter((r) => r.to === path), 20);
    expect(chain.names).toHaveLength(21);
    expect(chain.truncated).toBe(true);
  });
});
