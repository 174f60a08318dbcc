import { describe, expect, it } from "vitest";
import { CHARS_PER_TOKEN, fitToBudget } from "../../src/mcp/budget.js";

const rows = (n: number, width = 100) =>
  Array.from({ length: n }, (_, i) => ({ i, text: "x".repeat(width) }));

describe("fitToBudget", () => {
  it("leaves a result that fits alone, saying so", () => {
    const data = { results: rows(3) };
    expect(fitToBudget(data, ["results"], 8_000)).toEqual({ ...data, truncated: false, omitted_count: 0 });
  });

  it("cuts rows from the end of an array until the JSON fits, and counts them", () => {
    const fitted = fitToBudget({ query: "q", results: rows(1_000) }, ["results"], 2_000);
    expect(JSON.stringify(fitted).length).toBeLessThanOrEqual(2_000 * CHARS_PER_TOKEN);
    expect(fitted.truncated).toBe(true);
    expect(fitted.results.length + fitted.omitted_count).toBe(1_000);
    expect(fitted.omitted).toEqual({ results: fitted.omitted_count });
    expect(fitted.results[0]?.i).toBe(0);
    // As many as fit: one more row would not.
    const oneMore = { ...fitted, results: rows(fitted.results.length + 1) };
    expect(JSON.stringify(oneMore).length).toBeGreaterThan(2_000 * CHARS_PER_TOKEN - 400);
  });

  it("cuts nested arrays in the order given, the next only when the first is not enough", () => {
    const data = { issue: { title: "t", discussions: rows(50), events: rows(50) } };
    const light = fitToBudget(data, ["issue.events", "issue.discussions"], 2_000);
    expect(light.issue.discussions).toHaveLength(50);
    expect(light.omitted).toEqual({ "issue.events": 50 - light.issue.events.length });
    const heavy = fitToBudget(data, ["issue.events", "issue.discussions"], 600);
    expect(heavy.issue.events).toHaveLength(0);
    expect(heavy.omitted?.["issue.discussions"]).toBeGreaterThan(0);
  });

  it("cuts a list whose last rows matter most from its start", () => {
    const fitted = fitToBudget({ events: rows(1_000) }, [{ path: "events", from: "start" }], 2_000);
    expect(fitted.truncated).toBe(true);
    expect(fitted.events.at(-1)?.i).toBe(999);
    expect(fitted.events[0]?.i).toBe(fitted.omitted_count);
    expect(fitted.omitted).toEqual({ events: fitted.omitted_count });
  });

  it("shortens huge texts when cutting rows is not enough", () => {
    const fitted = fitToBudget({ issue: { description: "y".repeat(100_000) } }, [], 1_000);
    expect(JSON.stringify(fitted).length).toBeLessThanOrEqual(1_000 * CHARS_PER_TOKEN);
    expect(fitted.shortened_texts).toBe(1);
    expect(fitted.issue.description).toContain("more characters cut to fit the token budget");
  });

  it("does not change its input", () => {
    const data = { results: rows(100) };
    fitToBudget(data, ["results"], 500);
    expect(data.results).toHaveLength(100);
  });
});
