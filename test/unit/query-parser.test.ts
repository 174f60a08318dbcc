import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { isLoreError } from "../../src/core/errors.js";
import { parseQuery } from "../../src/search/query-parser.js";

describe("parseQuery", () => {
  it.each([
    ["login", '"login"'],
    ["login timeout", '("login" AND "timeout")'],
    ['"rate limit" retry', '("rate limit" AND "retry")'],
    ["auth*", '"auth" *'],
    ["auth -oauth", '("auth" NOT "oauth")'],
    ['bug -"known issue" -wontfix', '(("bug" NOT "known issue") NOT "wontfix")'],
    ['"unbalanced quote', '"unbalanced quote"'],
    ["OR (", '"OR"'],
    ["NEAR(a b)", '("NEAR(a" AND "b)")'],
    ['say "hi"again', '("say" AND "hi" AND "again")'],
    ['x"y', '("x" AND "y")'],
    ["why does the export time out", '("export" AND "time" AND "out")'],
    ["the", '"the"'],
    ['"the" of', '"the"'],
    ["the* of", '"the" *'],
    ["title:secret", '"title:secret"'],
    ["x-ray -", '"x-ray"'],
  ])("turns %j into %s", (input, match) => {
    expect(parseQuery(input).match).toBe(match);
  });

  it.each(["", "   ", "*", "-", "-foo", "🦊 🎉", "(", '""'])("rejects %j with USAGE", (input) => {
    let caught: unknown;
    try {
      parseQuery(input);
    } catch (error) {
      caught = error;
    }
    expect(isLoreError(caught, "USAGE")).toBe(true);
  });

  it("gives an any-term expression and one expression per term, exclusions applied to both", () => {
    const parsed = parseQuery('why does export "time out" prox* -nginx');
    expect(parsed.termMatches).toEqual([
      '("export" NOT "nginx")',
      '("time out" NOT "nginx")',
      '("prox" * NOT "nginx")',
    ]);
    expect(parsed.anyMatch).toBe('(("export" OR "time out" OR "prox" *) NOT "nginx")');
    expect(parsed.match).toBe('(("export" AND "time out" AND "prox" *) NOT "nginx")');
    expect(parseQuery("the why").terms).toEqual(["the", "why"]);
  });

  it("caps very long queries", () => {
    const parsed = parseQuery("word ".repeat(2_000));
    expect(parsed.truncated).toBe(true);
    expect(parsed.terms).toHaveLength(64);
  });

  // Every expression the parser produces is valid FTS5, whatever the input.
  it("always produces an expression FTS5 accepts", () => {
    const db = new Database(":memory:");
    db.exec(
      "CREATE VIRTUAL TABLE t USING fts5(title, content, tokenize = 'porter unicode61 remove_diacritics 2')",
    );
    db.prepare("INSERT INTO t VALUES (?, ?)").run("Login fails", "OR NEAR AND NOT (x) y* émoji 🦊");
    const hostile = [
      '"',
      '""a',
      "a OR (",
      "NEAR(",
      "a AND",
      "NOT a b",
      "*a*",
      "a:b",
      "^a",
      "a + b",
      "🦊 x",
      "x".repeat(10_000),
      "{a b}",
      "a -b -c -d",
      "why the* -not x*",
    ];
    for (const input of hostile) {
      let parsed: ReturnType<typeof parseQuery>;
      try {
        parsed = parseQuery(input);
      } catch (error) {
        expect(isLoreError(error, "USAGE"), input).toBe(true);
        continue;
      }
      for (const match of [parsed.match, parsed.anyMatch, ...parsed.termMatches])
        expect(() => db.prepare("SELECT rowid FROM t WHERE t MATCH ?").all(match), input).not.toThrow();
    }
    db.close();
  });
});
