import { describe, expect, it } from "vitest";
import { stageSummaryText, walkProgressText, walkSummaryText } from "../../src/cli/commands/sync/progress.js";
import { countAgainst, etaMs, percent, stageProgressText } from "../../src/cli/format/progress.js";
import { emptyWalkCounters } from "../../src/sync/incremental.js";
import type { WalkProgress } from "../../src/sync/run-incremental.js";

function walk(
  issues: Partial<ReturnType<typeof emptyWalkCounters>>,
  mrs: Partial<ReturnType<typeof emptyWalkCounters>>,
  totals: WalkProgress["totals"] = {},
  done = false,
): WalkProgress {
  return {
    project: "group/proj",
    issues: { ...emptyWalkCounters(), ...issues },
    mrs: { ...emptyWalkCounters(), ...mrs },
    totals,
    done,
  };
}

describe("progress arithmetic", () => {
  it.each([
    [0, 0, 100],
    [1, 3, 33],
    [450, 450, 100],
    [500, 450, 100],
  ])("percent(%d, %d) = %d", (done, total, expected) => {
    expect(percent(done, total)).toBe(expected);
  });

  it.each([
    [1200, { count: 4512, exact: true }, "1,200/4,512 (26%)"],
    [1200, { count: 10_000, exact: false }, "1,200/10,000+"],
    [1200, undefined, "1,200"],
    // Rows added during the walk take it past the count it started with.
    [460, { count: 450, exact: true }, "460/460 (100%)"],
  ])("countAgainst(%d, %o) = %s", (done, goal, expected) => {
    expect(countAgainst(done, goal)).toBe(expected);
  });

  it.each([
    [100, 400, 10_000, 30_000],
    [100, 400, 1_000, undefined],
    [0, 400, 10_000, undefined],
    [100, undefined, 10_000, undefined],
    [400, 400, 10_000, 0],
  ])("etaMs(%d, %s, %d) = %s", (done, total, elapsed, expected) => {
    expect(etaMs(done, total, elapsed)).toBe(expected);
  });
});

describe("walk lines", () => {
  it("waits for the first page", () => {
    expect(walkProgressText(walk({}, {}), 5_000)).toBe("waiting for the first page");
  });

  it("counts handled entities against GitLab's totals, with rate and ETA", () => {
    const progress = walk(
      { fetched: 200, ingested: 80, unchanged: 20 },
      { fetched: 100, ingested: 50 },
      { issues: { count: 400, exact: true }, mrs: { count: 200, exact: true } },
    );
    expect(walkProgressText(progress, 10_000)).toBe(
      "issues 100/400 (25%) · merge requests 50/200 (25%) · 15/s · ETA 30s",
    );
  });

  it("has no ETA when GitLab would not count, and says how far listing got without a goal", () => {
    const capped = walk(
      { fetched: 200, ingested: 100 },
      { fetched: 100, ingested: 50 },
      { issues: { count: 400, exact: true }, mrs: { count: 10_000, exact: false } },
    );
    expect(walkProgressText(capped, 10_000)).toBe("issues 100/400 (25%) · merge requests 50/10,000+ · 15/s");
    expect(walkProgressText(walk({ fetched: 100, ingested: 40 }, {}), 1_000)).toBe(
      "issues 40 of 100 listed · merge requests 0",
    );
  });

  it("closes with what the summary prints", () => {
    const final = walk({ fetched: 1, ingested: 1 }, { fetched: 4, ingested: 2, unchanged: 2 }, {}, true);
    expect(walkSummaryText(final)).toBe("1 issue, 4 merge requests listed · 3 stored");
  });
});

describe("stage lines", () => {
  it("shows count/total, then what was written", () => {
    expect(stageProgressText({ done: 120, total: 2400 }, 4_000)).toBe("120/2,400 (5%) · 30/s · ETA 1m 16s");
    expect(stageSummaryText("docs", { done: 2400, total: 2400, written: 1 })).toBe("1 document regenerated");
    expect(stageSummaryText("embed", { done: 2400, total: 2400, written: 2399 })).toBe(
      "2,399 documents embedded",
    );
  });
});
