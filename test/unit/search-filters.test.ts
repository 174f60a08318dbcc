import { expect, it } from "vitest";
import { isLoreError } from "../../src/core/errors.js";
import { parseLimit, parseSince, parseState, parseType } from "../../src/search/filters.js";

const now = Date.parse("2024-06-15T12:00:00.000Z");

it.each([
  ["7d", "2024-06-08T12:00:00.000Z"],
  ["12h", "2024-06-15T00:00:00.000Z"],
  ["2w", "2024-06-01T12:00:00.000Z"],
  ["30m", "2024-06-15T11:30:00.000Z"],
  ["2024-05-01", "2024-05-01T00:00:00.000Z"],
  ["2024-05-01T10:00:00Z", "2024-05-01T10:00:00.000Z"],
])("parses --since %s", (value, expected) => {
  expect(parseSince(value, now)).toBe(expected);
});

it.each([
  () => parseSince("yesterday", now),
  () => parseSince("7x", now),
  () => parseState("open"),
  () => parseType("epic"),
  () => parseLimit("0", 20),
  () => parseLimit("-3", 20),
  () => parseLimit("2.5", 20),
])("rejects bad filter values with USAGE (%#)", (fn) => {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isLoreError(caught, "USAGE")).toBe(true);
});

it("maps mr to merge_request and keeps defaults", () => {
  expect(parseType("mr")).toBe("merge_request");
  expect(parseLimit(undefined, 20)).toBe(20);
  expect(parseLimit("500", 20)).toBe(500);
  expect(parseState("all")).toBe("all");
});
