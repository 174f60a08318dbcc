import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigSchema } from "../../src/config/schema.js";
import { describeUnknownKey, editDistance, unknownKeys } from "../../src/config/unknown-keys.js";

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["abc", "abc", 0],
    ["tokenenvvr", "tokenenvvar", 1],
    ["tokenevnvar", "tokenenvvar", 1],
    ["kitten", "sitting", 3],
    ["", "abc", 3],
  ])("%s → %s is %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe("unknownKeys", () => {
  const base = { gitlab: { baseUrl: "https://gitlab.com" }, projects: [{ path: "a/b" }] };
  const gitlab = (extra: object) => ({ ...base, gitlab: { ...base.gitlab, ...extra } });
  it.each([
    [base, []],
    [gitlab({ tokenEnvVR: "X" }), [{ path: "gitlab.tokenEnvVR", suggestion: "gitlab.tokenEnvVar" }]],
    [gitlab({ token_env_var: "X" }), [{ path: "gitlab.token_env_var", suggestion: "gitlab.tokenEnvVar" }]],
    [{ ...base, tokenEnvVar: "X" }, [{ path: "tokenEnvVar", suggestion: "gitlab.tokenEnvVar" }]],
    [
      { ...base, sync: { overlapSecond: 5 } },
      [{ path: "sync.overlapSecond", suggestion: "sync.overlapSeconds" }],
    ],
    [
      { ...base, embedding: { chunkchars: 500 } },
      [{ path: "embedding.chunkchars", suggestion: "embedding.chunkChars" }],
    ],
    [{ ...base, colour: "always" }, [{ path: "colour" }]],
    [
      { ...base, projects: [{ path: "a/b" }, { path: "c/d", paht: 1 }] },
      [{ path: "projects[1].paht", suggestion: "projects[1].path" }],
    ],
  ])("finds the unknown keys of %o", (config, expected) => {
    expect(unknownKeys(ConfigSchema, config)).toEqual(expected);
  });

  it("knows keys added to the schema without being told", () => {
    const schema = ConfigSchema.extend({ people: z.object({ halfLifeDays: z.number() }).optional() });
    expect(unknownKeys(schema, { ...base, people: { halfLifeDays: 90, halfLifeDay: 3 } })).toEqual([
      { path: "people.halfLifeDay", suggestion: "people.halfLifeDays" },
    ]);
  });

  it("describes a key with and without a suggestion", () => {
    expect(describeUnknownKey({ path: "a.b", suggestion: "a.c" })).toBe(
      'unknown key "a.b" is ignored (did you mean "a.c"?)',
    );
    expect(describeUnknownKey({ path: "x" })).toBe('unknown key "x" is ignored');
  });
});
