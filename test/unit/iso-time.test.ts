import { describe, expect, it } from "vitest";
import { isoTime } from "../../src/ingestion/values.js";
import { prng } from "../support/generate.js";

/** What isoTime gives every value: the parse-and-format it skips for canonical times. */
const normalised = (value: string) => {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
};

describe("isoTime", () => {
  it("keeps canonical UTC times and normalises the rest, as a parse and format would", () => {
    const cases = [
      "2016-01-04T15:31:46.176Z",
      "2024-02-29T23:59:59.999Z",
      "2023-02-29T00:00:00.000Z", // not a day: rolls over to 1 March
      "2024-02-30T00:00:00.000Z",
      "2024-04-31T10:00:00.000Z",
      "2024-12-31T00:00:00.000Z",
      "2024-01-01T24:00:00.000Z",
      "2024-01-01T10:00:60.000Z", // not a time: kept as it is
      "2016-01-04T16:31:46.176+01:00",
      "2016-01-04T15:31:46Z",
      "2016-01-04",
      "not a time",
    ];
    for (const value of cases) expect(isoTime(value), value).toBe(normalised(value));
    expect(isoTime("2016-01-04T16:31:46.176+01:00")).toBe("2016-01-04T15:31:46.176Z");
    expect(isoTime("2023-02-29T00:00:00.000Z")).toBe("2023-03-01T00:00:00.000Z");
    expect(isoTime(null)).toBeNull();
    expect(isoTime("")).toBeNull();
  });

  it("agrees with a parse and format on random canonical-looking times", () => {
    const random = prng(23);
    const two = (n: number) => String(n).padStart(2, "0");
    const pick = (n: number) => Math.floor(random() * n);
    for (let i = 0; i < 20_000; i++) {
      const value = `${1900 + pick(250)}-${two(pick(14))}-${two(pick(33))}T${two(pick(25))}:${two(pick(61))}:${two(pick(61))}.${String(pick(1000)).padStart(3, "0")}Z`;
      expect(isoTime(value), value).toBe(normalised(value));
    }
  });
});
