import { describe, expect, it } from "vitest";
import { z } from "zod";
import { documentProjects, withoutProject, withProjects } from "../../src/config/edit.js";
import { leafKeys, parseConfigValue, resolveConfigKey, valueAt, withValue } from "../../src/config/keys.js";
import { ConfigSchema } from "../../src/config/schema.js";
import { isLoreError } from "../../src/core/errors.js";

/** The USAGE error's message and suggestion, on two lines. */
function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isLoreError(error, "USAGE")) return `${error.message}\n${error.suggestion ?? ""}`;
    throw error;
  }
  throw new Error("expected a USAGE error");
}

const schema = z.object({
  gitlab: z.object({ baseUrl: z.string(), concurrency: z.number().int().default(8) }),
  read: z
    .object({ offline: z.boolean().default(false), maxAge: z.string().optional() })
    .default({ offline: false }),
  mode: z.enum(["fast", "slow"]).default("fast"),
  projects: z.array(z.object({ path: z.string() })),
  extra: z.union([z.number(), z.string()]).optional(),
});

describe("resolveConfigKey", () => {
  it.each([
    ["gitlab.baseUrl", { kind: "string", required: true }],
    ["gitlab.concurrency", { kind: "number", required: false }],
    ["read.offline", { kind: "boolean", required: false }],
    ["read.maxAge", { kind: "string", required: false }],
    ["mode", { kind: "enum", values: ["fast", "slow"], required: false }],
    ["gitlab", { kind: "section", required: true }],
    ["read", { kind: "section", required: false }],
    ["projects", { kind: "list", required: true }],
    ["extra", { kind: "other", required: false }],
  ])("knows %s", (key, expected) => {
    expect(resolveConfigKey(schema, key)).toEqual({ key, path: key.split("."), ...expected });
  });

  it.each([
    ["gitlab.concurency", /Unknown config key "gitlab\.concurency" \(did you mean "gitlab\.concurrency"\?\)/],
    ["read.ofline", /did you mean "read\.offline"/],
    ["nothing.like.it", /Unknown config key "nothing\.like\.it"\.\n/],
    ["gitlab..baseUrl", /is not a config key/],
    ["", /is not a config key/],
    ["gitlab.token", /no config key for a secret/],
    ["gitlab.private_token", /no config key for a secret/],
    ["embedding.apiKey", /no config key for a secret/],
  ])("refuses %j", (key, message) => {
    expect(usageMessage(() => resolveConfigKey(schema, key))).toMatch(message);
  });

  it("knows every key of lore's own schema, including ones other features add", () => {
    const keys = leafKeys(ConfigSchema).map((k) => k.key);
    expect(keys).toEqual(
      expect.arrayContaining(["gitlab.baseUrl", "gitlab.tokenEnvVar", "projects", "embedding.provider"]),
    );
    expect(resolveConfigKey(ConfigSchema, "embedding.provider").values).toEqual(["ollama", "openai", "none"]);
    expect(usageMessage(() => resolveConfigKey(ConfigSchema, "gitlab.token"))).toMatch(/GITLAB_TOKEN/);
  });
});

describe("parseConfigValue", () => {
  const key = (name: string) => resolveConfigKey(schema, name);
  it.each([
    ["gitlab.concurrency", "16", 16],
    ["gitlab.concurrency", " 30_000 ", 30000],
    ["gitlab.concurrency", "2.5", 2.5],
    ["read.offline", "true", true],
    ["read.offline", "OFF", false],
    ["read.offline", "1", true],
    ["mode", "slow", "slow"],
    ["gitlab.baseUrl", " https://x ", "https://x"],
    ["read.maxAge", "12", "12"],
    ["extra", "12", 12],
    ["extra", "twelve", "twelve"],
  ])("reads %s %j", (name, text, value) => {
    expect(parseConfigValue(key(name), text)).toEqual(value);
  });

  it.each([
    ["gitlab.concurrency", "many", /expected a number/],
    ["gitlab.concurrency", "", /expected a number/],
    ["read.offline", "maybe", /expected true or false/],
    ["mode", "medium", /expected one of fast, slow/],
    ["projects", "a/b", /projects is a list, not a single value\.\n.*lore project add/],
    ["gitlab", "x", /section, not a single value.*\n.*lore config set gitlab\.KEY/],
  ])("refuses %s %j", (name, text, message) => {
    expect(usageMessage(() => parseConfigValue(key(name), text))).toMatch(message);
  });
});

describe("valueAt and withValue", () => {
  const document = { gitlab: { baseUrl: "u", concurrency: 4 }, other: 1 };
  it("reads nested values, undefined for what is absent", () => {
    expect(valueAt(document, ["gitlab", "concurrency"])).toBe(4);
    expect(valueAt(document, ["gitlab", "nope"])).toBeUndefined();
    expect(valueAt(document, ["other", "deeper"])).toBeUndefined();
  });
  it("sets and removes without touching the original or anything else", () => {
    expect(withValue(document, ["gitlab", "concurrency"], 16)).toEqual({
      gitlab: { baseUrl: "u", concurrency: 16 },
      other: 1,
    });
    expect(withValue(document, ["read", "offline"], true)).toEqual({ ...document, read: { offline: true } });
    expect(withValue(document, ["gitlab", "concurrency"], undefined)).toEqual({
      gitlab: { baseUrl: "u" },
      other: 1,
    });
    expect(document.gitlab.concurrency).toBe(4);
  });
});

describe("project lists in a config document", () => {
  const document = { gitlab: {}, projects: [{ path: "group/a" }, { path: "Team/B", note: "kept" }] };
  it("adds new paths once, whatever their case, and removes one", () => {
    expect(documentProjects(withProjects(document, ["team/b", "group/c", "group/C"]))).toEqual([
      "group/a",
      "Team/B",
      "group/c",
    ]);
    expect(withoutProject(document, "team/b").projects).toEqual([{ path: "group/a" }]);
    expect(withProjects({}, ["x/y"])).toEqual({ projects: [{ path: "x/y" }] });
  });
});
