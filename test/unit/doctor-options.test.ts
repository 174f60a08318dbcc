import { describe, expect, it } from "vitest";
import { parseDbTimeout } from "../../src/cli/commands/doctor/options.js";
import { usageMessage as usage } from "../support/usage.js";

describe("parseDbTimeout", () => {
  it.each<[unknown, number]>([
    [undefined, 60_000],
    ["60", 60_000],
    ["0", 0],
    ["0.5", 500],
    ["2.25", 2_250],
    ["0.001", 1],
    [" 3 ", 3_000],
  ])("%j is %d ms", (value, ms) => {
    expect(parseDbTimeout(value)).toBe(ms);
  });

  it.each([
    ["soon", "--db-timeout soon: expected a number of seconds, e.g. 60 or 0.5 (0: no limit)"],
    ["-1", "--db-timeout -1: expected a number of seconds, e.g. 60 or 0.5 (0: no limit)"],
    [".5", "--db-timeout .5: expected a number of seconds, e.g. 60 or 0.5 (0: no limit)"],
    ["1e3", "--db-timeout 1e3: expected a number of seconds, e.g. 60 or 0.5 (0: no limit)"],
    ["0.0004", "--db-timeout 0.0004: the smallest budget is 0.001 s (0: no limit)"],
  ])("rejects %j", (value, message) => {
    expect(usage(() => parseDbTimeout(value))).toBe(message);
  });
});
