import { describe, expect, it } from "vitest";
import { parseFields, type RowShape, selectFields } from "../../src/agent/fields.js";
import {
  durationSeconds,
  entityKey,
  needsRefresh,
  resolveMaxAge,
  type ShownEntity,
  staleTargets,
} from "../../src/agent/max-age.js";
import { LoreError } from "../../src/core/errors.js";

const shape: RowShape = {
  key: "issues",
  many: true,
  fields: { iid: "integer", title: "string", state: "string", labels: "string[]" },
  minimal: ["iid", "title"],
};

describe("parseFields", () => {
  it.each([
    [undefined, { kind: "all" }],
    ["help", { kind: "help" }],
    ["iid,title", { kind: "keep", names: ["iid", "title"] }],
    [" title , iid ,title", { kind: "keep", names: ["title", "iid"] }],
    ["minimal", { kind: "keep", names: ["iid", "title"] }],
    ["minimal,labels", { kind: "keep", names: ["iid", "title", "labels"] }],
    [["state", "minimal"], { kind: "keep", names: ["state", "iid", "title"] }],
  ])("%j → %j", (value, expected) => {
    expect(parseFields(value, shape, "issues")).toEqual(expected);
  });

  it.each([[""], [","], ["iid,nope"], ["help,iid"]])("%j is USAGE", (value) => {
    const attempt = () => parseFields(value, shape, "issues");
    expect(attempt).toThrow(LoreError);
    try {
      attempt();
    } catch (error) {
      expect((error as LoreError).code).toBe("USAGE");
    }
  });

  it("names the valid fields when one is unknown", () => {
    expect(() => parseFields("iid,titel", shape, "issues")).toThrow(
      "--fields: unknown field titel for lore issues; valid: iid, title, state, labels (or minimal, help)",
    );
  });
});

describe("selectFields", () => {
  const data = {
    issues: [
      { iid: 1, title: "a", state: "opened", labels: [] },
      { iid: 2, title: "b", state: "closed", labels: ["x"] },
    ],
    other: 1,
  };
  it("keeps the selected keys of every row, in the order asked, and leaves the rest of data alone", () => {
    expect(selectFields(data, shape, { kind: "keep", names: ["state", "iid"] })).toEqual({
      issues: [
        { state: "opened", iid: 1 },
        { state: "closed", iid: 2 },
      ],
      other: 1,
    });
  });
  it("reduces a single entity", () => {
    const one = { ...shape, key: "issue", many: false };
    expect(
      selectFields({ issue: { iid: 1, title: "a" }, refreshed: true }, one, {
        kind: "keep",
        names: ["title"],
      }),
    ).toEqual({
      issue: { title: "a" },
      refreshed: true,
    });
  });
  it("selects from several lists alike, each row keeping the asked keys it has", () => {
    const lists: RowShape = {
      key: "issues",
      alike: ["threads"],
      many: true,
      fields: { iid: "integer", title: "string", excerpt: "string" },
      minimal: ["iid"],
    };
    const selected = selectFields(
      { issues: [{ iid: 1, title: "a" }], threads: [{ iid: 2, excerpt: "b" }], omitted_threads: 0 },
      lists,
      { kind: "keep", names: ["excerpt", "iid"] },
    );
    expect(selected).toEqual({
      issues: [{ iid: 1 }],
      threads: [{ excerpt: "b", iid: 2 }],
      omitted_threads: 0,
    });
  });
  it("changes nothing without a selection", () => {
    expect(selectFields(data, shape, { kind: "all" })).toBe(data);
  });
});

describe("max age", () => {
  it.each([
    ["0", 0],
    ["30s", 30],
    ["5m", 300],
    ["2h", 7_200],
    ["1d", 86_400],
    ["1w", 604_800],
    ["90", 90],
    [" 3H ", 10_800],
    ["5 m", 300],
    ["", undefined],
    ["-5m", undefined],
    ["1.5h", undefined],
    ["5y", undefined],
    ["soon", undefined],
  ])("durationSeconds(%j) = %j", (text, expected) => {
    expect(durationSeconds(text)).toBe(expected);
  });

  it.each([
    [undefined, undefined, undefined],
    [undefined, "5m", 300],
    ["0", "5m", 0],
    ["off", "5m", undefined],
    ["never", undefined, undefined],
    ["2h", undefined, 7_200],
  ])("resolveMaxAge(%j, config %j) = %j", (flag, configured, expected) => {
    expect(resolveMaxAge(flag, configured)).toBe(expected);
  });

  it("rejects a flag that is not a duration", () => {
    expect(() => resolveMaxAge("later", undefined)).toThrow("--max-age later");
  });

  const now = Date.parse("2024-06-01T12:00:00Z");
  it.each([
    ["2024-06-01T11:59:30Z", 60, false],
    ["2024-06-01T11:58:00Z", 60, true],
    ["2024-06-01T11:59:59Z", 0, true],
    [null, 3_600, true],
    ["not a time", 3_600, true],
  ])("needsRefresh(%j, %j s) = %j", (syncedAt, maxAge, expected) => {
    expect(needsRefresh(syncedAt, maxAge, now)).toBe(expected);
  });
});

describe("staleTargets", () => {
  const now = Date.parse("2024-06-01T12:00:00Z");
  const entity = (project: string, type: "issue" | "merge_request", iid: number, syncedAt: string | null) =>
    ({ entity_type: type, project, iid, synced_at: syncedAt }) satisfies ShownEntity;
  const old = "2024-06-01T10:00:00Z";
  const older = "2024-06-01T09:00:00Z";
  const recent = "2024-06-01T11:59:00Z";
  const options = { maxAgeSeconds: 3_600, now, configured: ["group/proj", "team/api"], limit: 100 };

  it("groups what is older than the limit per configured project, IIDs by kind", () => {
    const plan = staleTargets(
      [
        entity("group/proj", "issue", 1, old),
        entity("group/proj", "merge_request", 7, recent),
        entity("Team/API", "issue", 3, older),
        entity("group/proj", "merge_request", 8, null),
        entity("gone/project", "issue", 4, older),
      ],
      options,
    );
    expect(plan.targets).toEqual([
      { project: "group/proj", issues: [1], mrs: [8] },
      { project: "team/api", issues: [3], mrs: [] },
    ]);
    // A copy never fetched is as old as can be: the fallback time is unknown.
    expect(plan.oldest).toEqual(
      new Map([
        ["group/proj", null],
        ["team/api", older],
      ]),
    );
    expect(plan.omitted).toBe(0);
  });

  it("skips what was just fetched and stops at the limit, counting the rest", () => {
    const entities = [1, 2, 3, 4].map((iid) => entity("group/proj", "issue", iid, old));
    const plan = staleTargets(entities, {
      ...options,
      limit: 2,
      skip: new Set([entityKey(entities[0] as ShownEntity)]),
    });
    expect(plan.targets).toEqual([{ project: "group/proj", issues: [2, 3], mrs: [] }]);
    expect(plan.omitted).toBe(1);
  });
});
